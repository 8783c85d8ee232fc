// A home region that stops answering (docs/multi-region.md, D9): each process's breaker opens
// after three failures in a row, and from then on messaging, sign-in and blocks use the local
// replica; group changes answer 503 (a split group could not be repaired). The price, stated in
// §5.2 and reproduced here: a send committed at the home whose answer was lost, retried through
// another region while the home is out, is stored twice; once, not more.
import { expect } from 'chai';
import type { Harness } from '../../scripts/multiRegionHarness.js';
import { ok, PASSWORD, post, register, sharedHarness, sleep, type Answer } from './twoRegions.js';

describe('Two regions: a home that does not answer', function () {
  this.timeout(120_000);
  let h: Harness;

  // The last suite (.mocharc.multiregion.json lists it last): it stops a region's storage for good.
  before(async function () {
    h = await sharedHarness();
  });

  /** Sends until one is not 503 (the breaker opening), answering every answer. */
  async function untilNot503(send: () => Promise<Answer>): Promise<Answer[]> {
    const answers: Answer[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const answer = await send();
      answers.push(answer);
      if (answer.status !== 503) return answers;
      await sleep(100);
    }
    return answers;
  }

  it('falls back for sends and sign-in, refuses group changes, and stores a lost-answer retry twice at most', async function () {
    const [a, b] = h.regions;
    const [A, B] = [h.urls[a]!, h.urls[b]!];
    const [sender, receiver] = await Promise.all([register(A), register(B)]);
    const groupId = ok(await post(A, '/create_group', { user_id: sender, password: PASSWORD, members: [receiver] }), 'create').group_id;
    await h.replicator.settled();

    // The first attempt commits at the sender's home; its answer is "lost" (the client retries),
    // and the home neither replicates it nor answers again.
    h.replicator.pause(a, b);
    const body = { sender_id: sender, password: PASSWORD, receiver_id: receiver, message: 'maybe twice', client_message_id: 'lost-answer' };
    const original = ok(await post(A, '/send_message', body), 'first attempt').message_id;
    await h.stopStorage(a);

    const retries = await untilNot503(() => post(B, '/send_message', body));
    const last = retries[retries.length - 1]!;
    expect(retries.slice(0, -1).every((r) => r.status === 503), 'a retry answers 503 until the breaker opens').to.equal(true);
    expect(retries.length, 'the breaker opens after three failures').to.be.at.most(4);
    expect(last.status, `then the send is served by eu-west-1's replica: ${JSON.stringify(last.body)}`).to.equal(200);
    expect(last.body.message_id, 'residual risk: eu-west-1 cannot see the claim, so the message is stored again').to.not.equal(original);
    const again = ok(await post(B, '/send_message', body), 'another retry');
    expect(again.message_id, 'but only once: a further retry replays the claim eu-west-1 now holds').to.equal(last.body.message_id);

    const inbox = ok(await post(B, '/check_messages', { user_id: receiver, password: PASSWORD }), 'check_messages');
    expect(inbox.messages.map((m: { message_id: string }) => m.message_id), 'the receiver has the fallback copy once').to.deep.equal([last.body.message_id]);

    const change = await post(B, '/add_remove_users', { requester_id: sender, password: PASSWORD, group_id: groupId, user_id: receiver, action: 'remove' });
    expect(change.status, 'a group change whose home is out answers 503').to.equal(503);
    expect(Number(change.headers['retry-after']), 'with Retry-After until the breaker tries again').to.be.within(1, 30);
    const read = await post(B, '/get_group', { user_id: receiver, password: PASSWORD, group_id: groupId });
    expect(read.status, 'reading it falls back to the local replica').to.equal(200);
    const plain = await post(B, '/send_group_message', { sender_id: sender, password: PASSWORD, group_id: groupId, message: 'still here' });
    expect(plain.status, 'and a group send falls back too').to.equal(200);
  });
});
