// One test per invariant of the group send lease (src/adapters/dynamodb/GroupSendLease.ts), on
// DynamoDB Local, with a clock the test moves.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { FENCE_MS } from '../../src/adapters/dynamodb/createDynamoDbTable.js';
import { DynamoDbMessageRepository } from '../../src/adapters/dynamodb/DynamoDbMessageRepository.js';
import type { DynamoDbTable, Item } from '../../src/adapters/dynamodb/DynamoDbTable.js';
import { GroupSendLeases, LEASE_MS, MAX_POSITIONS, WRITE_STOP_MS, type Lease } from '../../src/adapters/dynamodb/GroupSendLease.js';
import { InboxFanOut } from '../../src/adapters/dynamodb/InboxFanOut.js';
import { keys } from '../../src/adapters/dynamodb/keys.js';
import { FAN_OUT_CALL_MS } from '../../src/adapters/dynamodb/lateWriteBudget.js';
import { loadConfig } from '../../src/adapters/lambda/config.js';
import { buildContainer, dynamoDbStorage, resolve } from '../../src/adapters/lambda/container.js';
import { TYPES } from '../../src/adapters/lambda/TYPES.js';
import { UlidIdGenerator } from '../../src/adapters/runtime/UlidIdGenerator.js';
import type { IdempotencyClaim } from '../../src/core/ClientMessageId.js';
import type { DomainError } from '../../src/core/DomainError.js';
import { Limits } from '../../src/core/Limits.js';
import type { Message } from '../../src/core/Message.js';
import { CallRecorder } from '../support/CallRecorder.js';
import { freshTable } from '../support/dynamoDbLocal.js';
import { FakeClock } from '../support/FakeClock.js';

const ids = new UlidIdGenerator();

describe('The group send lease (GroupSendLease.ts), invariant by invariant', function () {
  this.timeout(30_000);
  let table: DynamoDbTable;
  let clock: FakeClock;
  let leases: GroupSendLeases;
  let claimNumber = 0;

  beforeEach(async () => {
    ({ table } = await freshTable());
    clock = new FakeClock(Date.now());
    leases = new GroupSendLeases(table, clock);
  });

  const claimOf = (): IdempotencyClaim => ({
    senderId: 'user-sender',
    clientMessageId: `lease-${claimNumber++}`,
    fingerprint: 'fp',
    expiresAt: clock.now() + Limits.idempotencyWindowMs,
  });
  const messageAt = (sentAt: number): Message => ({ id: ids.newMessageId(sentAt), senderId: 'user-sender', text: 'hi', sentAt, groupId: 'group-g' });
  const claimItem = async (claim: IdempotencyClaim) =>
    (await table.send<{ Item?: Item }>(new GetCommand({ TableName: table.name, Key: keys.sent(claim.senderId, claim.clientMessageId), ConsistentRead: true }))).Item!;
  async function claimed(claim = claimOf()): Promise<{ claim: IdempotencyClaim; lease: Lease; message: Message }> {
    const message = messageAt(clock.now());
    const outcome = await leases.claim(claim, message);
    if (outcome.status !== 'claimed') throw new Error('expected a fresh claim');
    return { claim, lease: outcome.lease, message };
  }
  async function failureOf(work: Promise<unknown>): Promise<DomainError> {
    try {
      await work;
    } catch (error) {
      return error as DomainError;
    }
    throw new Error('expected a failure');
  }

  it('1. one writer at a time: a held lease is not taken, an expired one by exactly one of many, and its old holder changes nothing', async () => {
    const { claim, lease: first } = await claimed();

    const whileHeld = await leases.take(claim.senderId, claim.clientMessageId, clock.now());
    clock.advance(LEASE_MS + 1);
    const racing = await Promise.all(Array.from({ length: 5 }, () => leases.take(claim.senderId, claim.clientMessageId, clock.now())));
    const stale = await failureOf(leases.recordPosition(first, clock.now()));
    await leases.finish(first);

    expect(whileHeld).to.deep.include({ status: 'busy' });
    expect(racing.filter((t) => t.status === 'taken'), 'exactly one retry holds it').to.have.length(1);
    expect(racing.filter((t) => t.status === 'busy')).to.have.length(4);
    expect(stale.code, 'the lost lease records nothing').to.equal('unavailable');
    expect((await claimItem(claim)).d, 'nor finishes the claim').to.equal(undefined);
  });

  it('2. writes end inside the lease: no inbox write starts once the lease has less than a write and a fence left', async () => {
    const { lease, message } = await claimed();
    const recorder = new CallRecorder(table);
    expect(WRITE_STOP_MS, 'a write and its fence fit before the lease ends').to.be.at.least(FAN_OUT_CALL_MS + FENCE_MS);

    clock.advance(LEASE_MS - WRITE_STOP_MS + 1);
    const late = await failureOf(new InboxFanOut(table, clock, leases).write(message, ['user-a', 'user-b'], lease));

    expect(late.code).to.equal('unavailable');
    expect(recorder.calls, 'no insert was sent, only the lease released').to.deep.equal(['UpdateItem']);
    expect(leases.mayStartWrite(lease, lease.until - WRITE_STOP_MS)).to.equal(true);
  });

  it('3. positions are recorded before use: a later holder is told every one, the first and each fresh one', async () => {
    const { claim, lease, message } = await claimed();
    await leases.recordPosition(lease, message.sentAt + 1_500);
    await leases.release(lease, true);

    clock.advance(1);
    const taken = await leases.take(claim.senderId, claim.clientMessageId, message.sentAt + 9_000);
    if (taken.status !== 'taken') throw new Error('expected the lease');
    await leases.release(taken.lease, true);
    clock.advance(1);
    const next = await leases.take(claim.senderId, claim.clientMessageId, message.sentAt + 20_000);

    expect(taken.positions).to.deep.equal([message.sentAt, message.sentAt + 1_500]);
    expect(next).to.deep.include({ positions: [message.sentAt, message.sentAt + 1_500, message.sentAt + 9_000] });
  });

  it(`3. positions are bounded: a claim holding ${MAX_POSITIONS} is not leased again (each costs a completion a read per recipient)`, async () => {
    const { claim, lease, message } = await claimed();
    for (let i = 1; i < MAX_POSITIONS - 1; i++) await leases.recordPosition(lease, message.sentAt + i);
    await leases.release(lease, true);
    clock.advance(1);

    const last = await leases.take(claim.senderId, claim.clientMessageId, clock.now());
    if (last.status !== 'taken') throw new Error('expected the lease');
    await leases.release(last.lease, true);
    clock.advance(1);
    const past = await leases.take(claim.senderId, claim.clientMessageId, clock.now());

    expect(last.positions).to.have.length(MAX_POSITIONS - 1);
    expect(past.status, 'the 33rd position is refused').to.equal('busy');
    expect((past as { retryAfterSeconds: number }).retryAfterSeconds, 'until the claim expires').to.be.above(LEASE_MS / 1000);
  });

  it('4. clean means nothing in flight: only a holder that fenced everything sets it, and taking the lease clears it', async () => {
    const { claim, lease } = await claimed();
    await leases.release(lease, true);
    clock.advance(1);
    const afterClean = await leases.take(claim.senderId, claim.clientMessageId, clock.now());
    if (afterClean.status !== 'taken') throw new Error('expected the lease');
    clock.advance(LEASE_MS + 1); // this holder dies without a word
    const afterSilence = await leases.take(claim.senderId, claim.clientMessageId, clock.now());
    if (afterSilence.status !== 'taken') throw new Error('expected the lease');
    await leases.release(afterSilence.lease, false);
    clock.advance(1);
    const afterUnclean = await leases.take(claim.senderId, claim.clientMessageId, clock.now());

    expect(afterClean).to.deep.include({ clean: true });
    expect(afterSilence).to.deep.include({ clean: false });
    expect(afterUnclean).to.deep.include({ clean: false });
  });

  it('4. a holder whose insert failed unexpectedly (it may have landed, others may be in flight) does not call the claim clean', async () => {
    const messages = new DynamoDbMessageRepository(table, clock);
    const claim = claimOf();
    // The insert reaches DynamoDB, and its answer is one the adapter does not know (not a 503).
    table.client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'BatchExecuteStatementCommand') throw new Error('an answer nobody expected');
        return result;
      },
      { step: 'initialize', name: 'unexpectedInsertAnswer' },
    );

    const failure = await failureOf(messages.deliverToGroup(messageAt(clock.now()), ['user-a', 'user-b'], claim));
    clock.advance(1);
    const taken = await leases.take(claim.senderId, claim.clientMessageId, clock.now());

    expect(failure.message).to.equal('an answer nobody expected');
    expect(taken, 'released at once, but the next holder fences before it writes').to.deep.include({ status: 'taken', clean: false });
  });

  it('4. a completion of an unclean claim fences the free keys of its missing recipients before it writes fresh copies', async () => {
    const messages = new DynamoDbMessageRepository(table, clock);
    const { claim, lease, message } = await claimed();
    await leases.release(lease, false); // the first send gave up on writes it could not fence
    clock.advance(2_000);

    const retry = { ...message, sentAt: clock.now() };
    const completion = await messages.completeGroupDelivery(claim, retry, ['user-a', 'user-b']);
    const atOldPosition = await table.getMany([keys.inbox('user-a', message), keys.inbox('user-b', message)]);

    expect(completion.recipientIds).to.deep.equal(['user-a', 'user-b']);
    expect(atOldPosition.map((item) => item.tb !== undefined), 'tombstones where a late copy could land').to.deep.equal([true, true]);
    expect((await messages.latest('user-a', 5)).map((m) => [m.id, m.sentAt])).to.deep.equal([[message.id, retry.sentAt]]);
  });

  it('5. done is final: a finished claim is never leased again, and a duplicate learns it from the claim alone', async () => {
    const { claim, lease, message } = await claimed();
    await leases.finish(lease);
    clock.advance(LEASE_MS + 1);
    const recorder = new CallRecorder(table);

    const taken = await leases.take(claim.senderId, claim.clientMessageId, clock.now());
    const duplicate = await leases.claim(claim, messageAt(clock.now()));

    expect(taken).to.deep.equal({ status: 'nothing' });
    expect(duplicate).to.deep.equal({ status: 'duplicate', original: { messageId: message.id, fingerprint: 'fp', complete: true } });
    expect(recorder.calls, 'one conditional write each, no read').to.deep.equal(['UpdateItem', 'PutItem']);
  });

  it('6. a completion writes at the position it recorded with the lease, the retry’s own time, never the first send’s', async () => {
    const messages = new DynamoDbMessageRepository(table, clock);
    const { claim, lease, message } = await claimed();
    await leases.release(lease, true);
    clock.advance(300); // a retry well inside the first position's freshness

    const retry = { ...message, sentAt: clock.now() };
    await messages.completeGroupDelivery(claim, retry, ['user-a']);

    expect((await messages.latest('user-a', 5)).map((m) => m.sentAt)).to.deep.equal([retry.sentAt]);
    expect((await claimItem(claim)).xp, 'recorded').to.deep.equal([retry.sentAt]);
  });
});

describe('The DynamoDB message repository in the container', function () {
  this.timeout(30_000);

  it('runs on the bound Clock, so a fake clock drives its leases and positions', async () => {
    const { settings, table } = await freshTable();
    const config = loadConfig({ SCRYPT_COST: 'test', LOG_LEVEL: 'silent', TOKEN_SECRET: 'lease-clock-secret-of-32-bytes-at-least' });
    const container = buildContainer(config, dynamoDbStorage(settings));
    // Long ago: on the system clock the fan-out would find this position stale and write at a fresh one.
    const clock = new FakeClock(Date.UTC(2020, 0, 1));
    container.unbind(TYPES.Clock);
    container.bind(TYPES.Clock).toConstantValue(clock);
    const claim: IdempotencyClaim = { senderId: 'user-s', clientMessageId: 'bound-clock', fingerprint: 'fp', expiresAt: clock.now() + 1_000 };

    await resolve(container, TYPES.MessageRepository).deliverToGroup({ ...{ id: ids.newMessageId(clock.now()), senderId: 'user-s', text: 'hi', sentAt: clock.now() }, groupId: 'group-g' }, ['user-a'], claim);
    const item = (await table.send<{ Item?: Item }>(new GetCommand({ TableName: table.name, Key: keys.sent('user-s', 'bound-clock'), ConsistentRead: true }))).Item!;

    expect(item.d, 'the send finished').to.equal(true);
    expect(item.xp, 'no fresh position: the fake clock did not move').to.deep.equal([]);
    expect(item.at).to.equal(clock.now());
  });
});
