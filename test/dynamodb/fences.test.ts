// A write the API gave up on (no answer in time) is fenced: a tombstone at its inbox item's key.
// Through FaultProxy on DynamoDB Local: the write arrives after the fence and fails, or it was in
// before the fence and counts as delivered; a tombstone is never read, and never pushed.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { createDynamoDbTable, type CallLimits } from '../../src/adapters/dynamodb/createDynamoDbTable.js';
import { DynamoDbMessageRepository } from '../../src/adapters/dynamodb/DynamoDbMessageRepository.js';
import type { DynamoDbTable, Item } from '../../src/adapters/dynamodb/DynamoDbTable.js';
import { DynamoDbUserRepository } from '../../src/adapters/dynamodb/DynamoDbUserRepository.js';
import { inboxOwnerOf } from '../../src/adapters/dynamodb/inboxItems.js';
import { keys } from '../../src/adapters/dynamodb/keys.js';
import { SystemClock } from '../../src/adapters/runtime/SystemClock.js';
import { UlidIdGenerator } from '../../src/adapters/runtime/UlidIdGenerator.js';
import type { IdempotencyClaim } from '../../src/core/ClientMessageId.js';
import { INBOX_START } from '../../src/core/InboxCursor.js';
import { Limits } from '../../src/core/Limits.js';
import type { Message } from '../../src/core/Message.js';
import { freshTable } from '../support/dynamoDbLocal.js';
import { FaultProxy } from '../support/FaultProxy.js';

const ids = new UlidIdGenerator();

describe('Fences: inbox writes given up on', function () {
  this.timeout(30_000);
  let proxy: FaultProxy;
  let table: DynamoDbTable;
  let messages: DynamoDbMessageRepository;
  let users: DynamoDbUserRepository;

  beforeEach(async () => {
    const { settings } = await freshTable();
    proxy = await FaultProxy.start(settings.endpoint!);
    // Short limits (what is tested is the fence, not the limits): 2 attempts of 300 ms, 200 ms
    // apart, so a call gives up after 800 ms.
    const limits: CallLimits = { attempts: 2, connectMs: 300, requestMs: 300 };
    table = createDynamoDbTable({ ...settings, endpoint: proxy.endpoint, callLimits: limits });
    messages = new DynamoDbMessageRepository(table, new SystemClock());
    users = new DynamoDbUserRepository(table);
  });
  afterEach(() => proxy.close());

  async function pair(): Promise<[string, string]> {
    const [sender, receiver] = [`user-s${ids.newUserId().slice(5)}`, `user-r${ids.newUserId().slice(5)}`];
    await users.insert({ id: receiver, passwordHash: 'unused', createdAt: Date.now() });
    return [sender, receiver];
  }
  const messageFrom = (senderId: string): Message => {
    const sentAt = Date.now();
    return { id: ids.newMessageId(sentAt), senderId, text: 'fenced?', sentAt };
  };
  const claimOf = (senderId: string): IdempotencyClaim => ({ senderId, clientMessageId: 'c-fence', fingerprint: 'fp', expiresAt: Date.now() + Limits.idempotencyWindowMs });
  const itemAt = async (key: { PK: string; SK: string }) =>
    (await table.send<{ Item?: Item }>(new GetCommand({ TableName: table.name, Key: key, ConsistentRead: true }))).Item;

  it('makes a direct send that arrives after the API gave up fail: no message, no claim, and the tombstone is never read nor pushed', async () => {
    const [sender, receiver] = await pair();
    const sent = messageFrom(sender);
    // Every attempt of the transaction reaches DynamoDB 2 s late, long after the call gave up.
    proxy.inject({ operation: 'TransactWriteItems', fault: { kind: 'late', ms: 2_000 } });

    const failure = await messages.deliverDirect(sent, receiver, claimOf(sender)).catch((error: unknown) => error);
    await proxy.lateWritesLanded();

    expect(failure).to.deep.include({ code: 'unavailable' });
    const tombstone = await itemAt(keys.inbox(receiver, sent));
    expect(tombstone, 'the fence holds the key').to.have.property('tb');
    expect(tombstone!.ttl, 'and expires').to.be.a('number');
    expect(inboxOwnerOf(tombstone!), 'the push consumer skips it').to.equal(undefined);
    expect(await messages.after(receiver, INBOX_START, 10), 'the late transaction failed').to.deep.equal([]);
    expect(await messages.latest(receiver, 10)).to.deep.equal([]);
    expect(await messages.findSent(sender, 'c-fence', Date.now()), 'its claim with it: a retry sends afresh').to.equal(undefined);
  });

  it('counts a direct send whose answers were lost, but which landed before its fence, as delivered, once', async () => {
    const [sender, receiver] = await pair();
    const sent = messageFrom(sender);
    // Each attempt lands 400 ms late, after its own 300 ms limit: the first commits, the call gives up.
    proxy.inject({ operation: 'TransactWriteItems', fault: { kind: 'late', ms: 400 } });

    const outcome = await messages.deliverDirect(sent, receiver);
    await proxy.lateWritesLanded();

    expect(outcome).to.deep.equal({ status: 'delivered' });
    expect(await messages.after(receiver, INBOX_START, 10)).to.deep.equal([sent]);
  });
});
