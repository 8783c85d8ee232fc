// How many DynamoDB requests each API operation makes, through the real handlers on DynamoDB
// Local: the budgets of docs/dynamodb.md, and the IAM actions the adapter needs.
import { expect } from 'chai';
import type { DynamoDbTable } from '../../src/adapters/dynamodb/DynamoDbTable.js';
import { inboxItem } from '../../src/adapters/dynamodb/inboxItems.js';
import { keys } from '../../src/adapters/dynamodb/keys.js';
import { DYNAMODB_ACTIONS } from '../../src/adapters/dynamodb/permissions.js';
import { UlidIdGenerator } from '../../src/adapters/runtime/UlidIdGenerator.js';
import { Limits } from '../../src/core/Limits.js';
import { wireSizeOf } from '../../src/core/Message.js';
import type { LambdaHandler } from '../../src/adapters/lambda/ApiHandler.js';
import { loadConfig } from '../../src/adapters/lambda/config.js';
import { buildContainer, dynamoDbStorage, resolve } from '../../src/adapters/lambda/container.js';
import { TYPES } from '../../src/adapters/lambda/TYPES.js';
import { CallRecorder } from '../support/CallRecorder.js';
import { FaultProxy } from '../support/FaultProxy.js';
import { freshTable } from '../support/dynamoDbLocal.js';
import { v2Event } from '../lambda/events.js';

const PASSWORD = 'budget password';
const ids = new UlidIdGenerator();

describe('DynamoDB call budgets, through the handlers', function () {
  this.timeout(60_000);
  let router: LambdaHandler;
  let recorder: CallRecorder;
  let table: DynamoDbTable;
  let proxy: FaultProxy;

  const call = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const result = await router(v2Event({ path, body, headers }));
    return { status: result.statusCode, body: JSON.parse(result.body) };
  };
  const ok = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const answer = await call(path, body, headers);
    if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const register = async () => (await ok('/register_user', { password: PASSWORD })).user_id as string;
  const bearer = async (userId: string) => ({
    authorization: `Bearer ${(await ok('/login', { user_id: userId, password: PASSWORD })).token}`,
  });
  const callsOf = (work: () => Promise<unknown>) => recorder.count(work);

  before(async () => {
    const { settings: direct } = await freshTable();
    // Everything goes straight through, but where a test interrupts a fan-out.
    proxy = await FaultProxy.start(direct.endpoint!);
    const settings = { ...direct, endpoint: proxy.endpoint };
    const config = loadConfig({
      SCRYPT_COST: 'test',
      TOKEN_SECRET: 'budget-tests-secret-of-32-bytes-at-least',
      LOG_LEVEL: 'silent',
      REGISTER_PER_MINUTE: '100000',
    });
    const container = buildContainer(config, dynamoDbStorage(settings));
    // As on AWS: the table's stream pushes, outside the request (off Lambda, the process would).
    container.unbind(TYPES.NotifierFor);
    container.bind(TYPES.NotifierFor).toConstantValue(() => ({ delivered: () => undefined }));
    router = resolve(container, TYPES.ApiHandler).router;
    table = resolve(container, TYPES.DynamoDbTable);
    recorder = new CallRecorder(table);
  });
  after(() => proxy.close());

  it('check_messages: 1 call with a token, 2 with a cached password', async () => {
    const [alice, bob] = [await register(), await register()];
    await ok('/send_message', { sender_id: alice, password: PASSWORD, receiver_id: bob, message: 'hi' });
    const token = await bearer(bob);
    const { next_cursor: cursor } = await ok('/check_messages', { user_id: bob, password: PASSWORD });

    const withToken = await callsOf(() => ok('/check_messages', { cursor }, token));
    const withPassword = await callsOf(() => ok('/check_messages', { user_id: bob, password: PASSWORD, cursor }));

    expect(withToken).to.deep.equal(['Query']);
    expect(withPassword).to.deep.equal(['Query', 'Query']);
  });

  it('send_message: 1 call with a token, with or without a client_message_id (budget 3)', async () => {
    const [alice, bob] = [await register(), await register()];
    const token = await bearer(alice);

    const plain = await callsOf(() => ok('/send_message', { receiver_id: bob, message: 'one' }, token));
    const claimed = await callsOf(() => ok('/send_message', { receiver_id: bob, message: 'two', client_message_id: 'c-1' }, token));
    const replayed = await callsOf(() => ok('/send_message', { receiver_id: bob, message: 'two', client_message_id: 'c-1' }, token));

    expect(plain).to.deep.equal(['TransactWriteItems']);
    expect(claimed).to.deep.equal(['TransactWriteItems']);
    expect(replayed, 'a retry learns the original from the failed condition').to.deep.equal(['TransactWriteItems']);
  });

  it('check_messages, limit 500, with 200 texts of 4,096 characters waiting: reads one page’s bytes, not 200 messages', async () => {
    const [writer, reader] = [await register(), await register()];
    const token = await bearer(reader);
    const { next_cursor: cursor } = await ok('/check_messages', {}, token);
    const text = '\u{1F600}'.repeat(Limits.messageMaxChars); // 16 KB of UTF-8
    const settled = Date.now() - 60_000;
    const waiting = Array.from({ length: 200 }, (_, i) => ({ id: ids.newMessageId(settled + i), senderId: writer, text, sentAt: settled + i }));
    await table.writeAll(waiting.map((message) => ({ PutRequest: { Item: inboxItem(reader, message) } })));
    let pages: { messages: unknown[]; has_more: boolean }[] = [];
    const read = async (body: object) => pages.push(await ok('/check_messages', body, token));

    const after = await recorder.usage(() => read({ cursor, limit: 500 }));
    const newest = await recorder.usage(() => read({ limit: 500 }));

    // One page is at most Limits.pageMaxBytes of messages (60 of these): the read covers about one
    // DynamoDB page, 1 MB or 256 read units (strongly consistent, 4 KB each), and a message or two more.
    const size = wireSizeOf(waiting[0]!);
    const perPage = Math.floor(Limits.pageMaxBytes / size);
    const onePage = Math.ceil((1024 * 1024 + 2 * size) / 4096);
    expect(pages.map((p) => [p.messages.length, p.has_more])).to.deep.equal([[perPage, true], [perPage, false]]);
    // DynamoDB pages at 1 MB: one Query, or two when a page ends just short of the budget.
    for (const [label, usage] of [['with a cursor (once: every message up to the limit, 2,027 read units for 600)', after], ['the newest page', newest]] as const) {
      expect(new Set(usage.calls), label).to.deep.equal(new Set(['Query']));
      expect(usage.calls.length, label).to.be.at.most(2);
      expect(usage.readUnits, label).to.be.at.most(onePage);
    }
    pages = [];
  });

  it('send_group_message to 9 recipients by a sender 500 users have blocked: reads the recipients’ blocks, not the 500', async () => {
    const [sender, ...others] = await Promise.all(Array.from({ length: 10 }, register));
    const token = await bearer(sender!);
    const { group_id: groupId } = await ok('/create_group', { members: others }, token);
    await ok('/block_user', { blocked_user_id: sender }, await bearer(others[0]!));
    const strangers = Array.from({ length: 500 }, (_, i) => keys.blockedBy(sender!, `user-STRANGER${String(i).padStart(5, '0')}`));
    await table.writeAll(strangers.map((key) => ({ PutRequest: { Item: { ...key } } })));

    const usage = await recorder.usage(() => ok('/send_group_message', { group_id: groupId, message: 'spam' }, token));

    // A Query of 100 block items (2 units) finds more; then the 9 recipients' keys (9 units on AWS).
    expect(usage.calls, 'once: a Query of all 500').to.deep.equal(['Query', 'Query', 'BatchGetItem', 'BatchExecuteStatement']);
    expect(usage.readUnits).to.be.at.most(1 + 3 + 9);
    expect((await ok('/check_messages', {}, await bearer(others[0]!))).messages, 'the one who blocked the sender').to.deep.equal([]);
    expect((await ok('/check_messages', {}, await bearer(others[1]!))).messages).to.have.length(1);
  });

  it('block_user: 2 calls with a token', async () => {
    const [alice, bob] = [await register(), await register()];
    const token = await bearer(alice);

    expect(await callsOf(() => ok('/block_user', { blocked_user_id: bob }, token))).to.deep.equal(['BatchGetItem', 'PutItem']);
  });

  /** A group of `members` (the sender first) and the sender's token. */
  async function groupOf(members: number) {
    // A few at a time: the process hashes at most 2 passwords at once and queues 16.
    const ids: string[] = [];
    while (ids.length < members) ids.push(...(await Promise.all(Array.from({ length: 8 }, register))));
    ids.length = members;
    const [sender, ...others] = ids as [string, ...string[]];
    const token = await bearer(sender);
    const { group_id: groupId } = await ok('/create_group', { members: others }, token);
    return { others, token, groupId };
  }

  for (const members of [10, 60]) {
    it(`send_group_message to ${members - 1} recipients: 3 + ceil(recipients / 25) calls, one more to mark a claimed send done`, async () => {
      const { others, token, groupId } = await groupOf(members);
      const body = { group_id: groupId, message: 'all', client_message_id: `g-${members}` };

      const claimed = await recorder.usage(() => ok('/send_group_message', body, token));
      const retried = await callsOf(() => ok('/send_group_message', body, token));
      const plain = await callsOf(() => ok('/send_group_message', { group_id: groupId, message: 'again' }, token));

      const batches = Math.ceil(others.length / 25);
      // The claim, the inserts (25 a call), and the claim marked done: a retry then reads nothing more.
      expect(claimed.calls).to.deep.equal(['Query', 'Query', 'PutItem', ...Array(batches).fill('BatchExecuteStatement'), 'UpdateItem']);
      expect(claimed.units[2], 'the claim is one write unit, whatever the group (it once listed every recipient)').to.equal(1);
      expect(retried, 'a retry of a complete send: the claim answers, no inbox is read').to.deep.equal(['Query', 'Query', 'PutItem']);
      expect(plain).to.deep.equal(['Query', 'Query', ...Array(batches).fill('BatchExecuteStatement')]);
    });
  }

  it('a retry completing an interrupted group send to 59 reads each recipient once per recorded position and writes only what is missing', async () => {
    const { others, token, groupId } = await groupOf(60);
    const body = { group_id: groupId, message: 'interrupted', client_message_id: 'g-interrupted' };
    // The fan-out's last call fails: the first 50 have the message, the last 9 do not.
    const failing = proxy.inject({ operation: 'BatchExecuteStatement', bodyIncludes: `INBOX#${others.at(-1)}`, times: 1, fault: { kind: 'error' } });
    const first = await call('/send_group_message', body, { authorization: token.authorization });

    const retry = await callsOf(() => ok('/send_group_message', body, token));

    expect([failing.used, first.status]).to.deep.equal([1, 503]);
    // Judged again (group, blocks), the claim, its lease, one read of 59 keys at one position,
    // the 9 missing inserts, done. Once: 35 calls and 3,069 keys for 1,023 recipients at 3 positions.
    expect(retry).to.deep.equal(['Query', 'Query', 'PutItem', 'UpdateItem', 'BatchGetItem', 'BatchExecuteStatement', 'UpdateItem']);
  });

  it('calls exactly the IAM actions permissions.ts lists, across every route and the lockout', async () => {
    const [alice, bob, carol] = [await register(), await register(), await register()];
    const token = await bearer(alice);
    await call('/login', { user_id: alice, password: 'wrong password' });
    await call('/login', { user_id: 'user-nobody', password: 'wrong password' });
    await ok('/send_message', { receiver_id: bob, message: 'x' }, token);
    await ok('/check_messages', {}, token);
    await ok('/block_user', { blocked_user_id: carol }, token);
    await ok('/unblock_user', { blocked_user_id: carol }, token);
    const { group_id: groupId } = await ok('/create_group', { members: [bob], name: 'g' }, token);
    await ok('/add_remove_users', { group_id: groupId, user_id: carol, action: 'add' }, token);
    await ok('/send_group_message', { group_id: groupId, message: 'y', client_message_id: 'iam-1' }, token);
    await ok('/get_group', { group_id: groupId }, token);
    await ok('/list_groups', {}, token);
    await ok('/add_remove_users', { group_id: groupId, user_id: alice, action: 'remove' }, token);

    expect([...recorder.actions].sort()).to.deep.equal([...DYNAMODB_ACTIONS].sort());
  });
});
