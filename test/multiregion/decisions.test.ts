// Exact decisions at the data's home (docs/multi-region.md, D3, D10, D11, D12): each test makes
// two regions disagree as much as replication lets them (links paused where it matters), and
// checks the promise holds anyway. Each would fail if the decision were taken in the region that
// served the request.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import type { Harness } from '../../scripts/multiRegionHarness.js';
import { bearer, ok, PASSWORD, post, register, partition, token, twoRegions, UNKNOWN_USER_CHECKS_PER_MINUTE } from './twoRegions.js';

describe('Two regions: decisions taken at the data\'s home', function () {
  this.timeout(60_000);
  let h: Harness;
  let A: string;
  let B: string;
  let a: string;
  let b: string;

  before(async function () {
    ({ h, a, b, A, B } = await twoRegions());
  });

  it('tags new ids with the region that made them, and accepts in one region a token issued by the other', async function () {
    const [inA, inB] = await Promise.all([register(A), register(B)]);
    expect(inA, 'a user made in us-east-1 is tagged useast1').to.match(/^user-[0-9A-Z]{26}useast1$/);
    expect(inB, 'a user made in eu-west-1 is tagged euwest1').to.match(/^user-[0-9A-Z]{26}euwest1$/);
    const issuedInA = await token(A, inA);
    const poll = await post(B, '/check_messages', {}, bearer(issuedInA));
    expect(poll.status, 'a token from a login in one region is accepted in the other (one secret)').to.equal(200);
  });

  it('lets a user registered a moment ago in one region receive at once through the other (confirmed at its home)', async function () {
    const sender = await register(B);
    await h.replicator.settled();
    partition(h); // the new profile does not reach eu-west-1 while this runs
    const receiver = await register(A);
    const sent = await post(B, '/send_message', { sender_id: sender, password: PASSWORD, receiver_id: receiver, message: 'welcome' });
    expect(sent.status, `a send through eu-west-1 to a user only us-east-1 has: ${JSON.stringify(sent.body)}`).to.equal(200);
    const blocked = await post(B, '/block_user', { user_id: sender, password: PASSWORD, blocked_user_id: receiver });
    expect(blocked.status, 'and blocking them there finds them too').to.equal(200);
    const unknown = await post(B, '/send_message', { sender_id: sender, password: PASSWORD, receiver_id: 'user-00000000000000000000000000useast1', message: 'x' });
    expect(unknown.status, 'an id its home does not know is still 404').to.equal(404);
  });

  it('refuses a blocked sender through the other region at once, whichever region the block was made in', async function () {
    const [blocker, blocked] = await Promise.all([register(A), register(B)]);
    await h.replicator.settled();
    partition(h);
    ok(await post(A, '/block_user', { user_id: blocker, password: PASSWORD, blocked_user_id: blocked }), 'block through us-east-1');
    for (const [region, url] of [
      ['eu-west-1', B],
      ['us-east-1', A],
    ] as const) {
      const send = await post(url, '/send_message', { sender_id: blocked, password: PASSWORD, receiver_id: blocker, message: 'let me in' });
      expect(send.status, `the blocked user's send through ${region} is refused`).to.equal(403);
    }
  });

  it('locks a user out after ten wrong passwords however they are spread over the regions', async function () {
    const user = await register(A);
    await h.replicator.settled();
    partition(h); // no lockout record replicates: only the home's count can add them up
    for (let attempt = 0; attempt < 10; attempt++) {
      const answer = await post(attempt % 2 === 0 ? A : B, '/login', { user_id: user, password: 'wrong password 1' });
      expect(answer.status, `wrong password ${attempt + 1} is a plain 401`).to.equal(401);
    }
    for (const [region, url] of [
      ['us-east-1', A],
      ['eu-west-1', B],
    ] as const) {
      const eleventh = await post(url, '/login', { user_id: user, password: PASSWORD });
      expect(eleventh.status, `the eleventh attempt through ${region} is locked out, even with the right password`).to.equal(429);
    }
  });

  it('stores one message when the same client_message_id is sent through both regions at once', async function () {
    const [sender, receiver] = await Promise.all([register(A), register(B)]);
    await h.replicator.settled();
    partition(h);
    const body = { sender_id: sender, password: PASSWORD, receiver_id: receiver, message: 'once', client_message_id: 'race-1' };
    const answers = await Promise.all([post(A, '/send_message', body), post(B, '/send_message', body)]);
    const ids = answers.map((answer) => ok(answer, 'a racing send').message_id as string);
    expect(ids[0], 'both sends answer the same message id').to.equal(ids[1]);
    h.replicator.resume(a, b);
    h.replicator.resume(b, a);
    await h.replicator.settled();
    for (const region of h.regions) {
      const items = await inboxItems(h, region, receiver);
      expect(items.map((item) => item.mid), `one inbox item in ${region}'s replica after convergence`).to.deep.equal([ids[0]]);
    }
  });

  it('keeps a per-address limit one limit when its requests are split between the regions', async function () {
    // A client address of its own (another loopback address), so no other test's checks count.
    const address = '127.0.0.77';
    const statuses: number[] = [];
    const minute = Math.floor(Date.now() / 60_000);
    for (let i = 0; i < UNKNOWN_USER_CHECKS_PER_MINUTE + 2; i++) {
      const unknown = `user-0000000000000000000000${String(i).padStart(4, '0')}`;
      const answer = await post(i % 2 === 0 ? A : B, '/login', { user_id: unknown, password: PASSWORD }, { localAddress: address });
      statuses.push(answer.status);
    }
    if (Math.floor(Date.now() / 60_000) !== minute) this.retries(1); // a new minute began: the windows split
    expect(statuses.slice(0, UNKNOWN_USER_CHECKS_PER_MINUTE), 'the first checks of unknown ids are 401').to.deep.equal(
      Array(UNKNOWN_USER_CHECKS_PER_MINUTE).fill(401),
    );
    expect(statuses.slice(UNKNOWN_USER_CHECKS_PER_MINUTE), 'past the limit, 429 in both regions').to.deep.equal([429, 429]);
  });
});

/** The items of a user's inbox in one region's replica. */
async function inboxItems(h: Harness, region: string, userId: string): Promise<Record<string, unknown>[]> {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region, endpoint: h.endpoints[region], credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  try {
    const { Items } = await client.send(
      new QueryCommand({ TableName: h.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `INBOX#${userId}` }, ConsistentRead: true }),
    );
    return Items ?? [];
  } finally {
    client.destroy();
  }
}
