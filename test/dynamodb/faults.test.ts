// What DynamoDB Local never does: throttle, leave batch items unprocessed, cancel a transaction
// for a conflict, hang. nock answers for DynamoDB where a test says so: on a fake endpoint, or in
// front of DynamoDB Local for chosen operations only (everything else passes through to it).
import { expect } from 'chai';
import nock from 'nock';
import { AWS_CALL_LIMITS, createDynamoDbTable } from '../../src/adapters/dynamodb/createDynamoDbTable.js';
import { DynamoDbMessageRepository } from '../../src/adapters/dynamodb/DynamoDbMessageRepository.js';
import { DynamoDbUserRepository } from '../../src/adapters/dynamodb/DynamoDbUserRepository.js';
import { inboxSortKey } from '../../src/adapters/dynamodb/keys.js';
import { loadConfig } from '../../src/adapters/lambda/config.js';
import { buildContainer, dynamoDbStorage, resolve } from '../../src/adapters/lambda/container.js';
import { TYPES } from '../../src/adapters/lambda/TYPES.js';
import { SystemClock } from '../../src/adapters/runtime/SystemClock.js';
import { UlidIdGenerator } from '../../src/adapters/runtime/UlidIdGenerator.js';
import type { IdempotencyClaim } from '../../src/core/ClientMessageId.js';
import { DomainError } from '../../src/core/DomainError.js';
import { INBOX_START } from '../../src/core/InboxCursor.js';
import type { Message } from '../../src/core/Message.js';
import type { Clock } from '../../src/ports/Clock.js';
import { freshTable } from '../support/dynamoDbLocal.js';
import { v2Event } from '../lambda/events.js';

const FAKE = 'http://dynamodb.faults.test';
const JSON_1_0 = { 'content-type': 'application/x-amz-json-1.0' };
const ids = new UlidIdGenerator();

/** DynamoDB's JSON error body for `type`. */
function awsError(type: string, extra: object = {}) {
  return { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: `${type} (injected)`, ...extra };
}

/** An interceptor for requests of one DynamoDB operation, e.g. 'TransactWriteItems'. */
function operation(scope: nock.Scope, name: string): nock.Interceptor {
  return scope.post('/').matchHeader('x-amz-target', `DynamoDB_20120810.${name}`);
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

type Answer = [number, object];
const throttled = (): Answer => [400, awsError('ProvisionedThroughputExceededException')];
const holding = (userId: string) => (body: object) => JSON.stringify(body).includes(`INBOX#${userId}`);

interface Rule {
  readonly operation: string;
  remaining: number;
  used: number;
  readonly matches: (body: object) => boolean;
  readonly answer?: (body: object) => Answer;
  readonly delayMs?: number;
}

/**
 * nock in front of DynamoDB Local: the client talks to `localhost`, one interceptor sees every
 * request, answers it itself where a rule says so, and otherwise forwards it to the emulator at
 * 127.0.0.1, a host nock leaves alone.
 */
class FaultyFront {
  readonly endpoint: string;
  private readonly rules: Rule[] = [];

  constructor(local: string) {
    const target = new URL(local);
    this.endpoint = `http://localhost:${target.port}`;
    const rules = this.rules;
    nock(this.endpoint)
      .persist()
      .post('/')
      .reply(async function (_uri, body) {
        const headers = this.req.headers as Record<string, string>;
        const operation = String(headers['x-amz-target']).split('.')[1];
        const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as object;
        const rule = rules.find((r) => r.operation === operation && r.remaining > 0 && r.matches(parsed));
        if (rule) {
          rule.remaining--;
          rule.used++;
          if (rule.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
          if (rule.answer) {
            const [status, answer] = rule.answer(parsed);
            return [status, JSON.stringify(answer), JSON_1_0];
          }
        }
        const forwarded = await fetch(`http://127.0.0.1:${target.port}/`, {
          method: 'POST',
          headers: { 'content-type': headers['content-type']!, 'x-amz-target': headers['x-amz-target']!, authorization: headers.authorization! },
          body: JSON.stringify(parsed),
        });
        return [forwarded.status, await forwarded.text(), JSON_1_0];
      });
  }

  /** The next `times` requests of `operation` that match get `answer` instead of DynamoDB's. */
  fail(operation: string, times: number, matches: (body: object) => boolean, answer: (body: object) => Answer): Rule {
    const rule: Rule = { operation, remaining: times, used: 0, matches, answer };
    this.rules.push(rule);
    return rule;
  }

  /** The next `times` matching requests of `operation` reach DynamoDB only after `delayMs`. */
  slow(operation: string, times: number, matches: (body: object) => boolean, delayMs: number): Rule {
    const rule: Rule = { operation, remaining: times, used: 0, matches, delayMs };
    this.rules.push(rule);
    return rule;
  }
}

/** A clock the test can move past the fan-out's freshness limit. */
class SkewableClock implements Clock {
  skew = 0;
  now(): number {
    return Date.now() + this.skew;
  }
  async sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

const message = (senderId: string, extra: Partial<Message> = {}): Message => {
  const sentAt = Date.now();
  return { id: ids.newMessageId(sentAt), senderId, text: 'hello', sentAt, ...extra };
};

describe('DynamoDB faults', function () {
  this.timeout(30_000);
  // nock intercepts every HTTP client in the process while active: only for this suite.
  before(() => {
    if (!nock.isActive()) nock.activate();
  });
  afterEach(() => nock.cleanAll());
  after(() => nock.restore());

  describe('on an endpoint that only answers what the test says', () => {
    // AWS's limits on each call: what these tests are about.
    const table = () => createDynamoDbTable({ tableName: 'faults', region: 'local', endpoint: FAKE, callLimits: AWS_CALL_LIMITS });

    it('retries throttling itself and succeeds when DynamoDB recovers', async () => {
      const scope = nock(FAKE);
      operation(scope, 'TransactWriteItems').reply(400, awsError('ProvisionedThroughputExceededException'), JSON_1_0);
      operation(scope, 'TransactWriteItems').reply(200, {}, JSON_1_0);

      const outcome = await new DynamoDbMessageRepository(table(), new SystemClock()).deliverDirect(message('user-a'), 'user-b');

      expect(outcome).to.deep.equal({ status: 'delivered' });
      expect(scope.isDone(), 'both answers were used').to.equal(true);
    });

    it('answers 503 unavailable with Retry-After once throttling outlasts the retries, and the send is not acknowledged', async () => {
      const scope = nock(FAKE);
      operation(scope, 'TransactWriteItems').times(3).reply(400, awsError('ThrottlingException'), JSON_1_0);
      // The send it gave up on is fenced: a tombstone goes in at its inbox item's key.
      operation(scope, 'BatchExecuteStatement').reply(200, { Responses: [{ TableName: 'faults' }] }, JSON_1_0);

      const failure = await failureOf(
        new DynamoDbMessageRepository(table(), new SystemClock()).deliverDirect(message('user-a'), 'user-b'),
      );

      expect(failure).to.be.instanceOf(DomainError);
      expect((failure as DomainError).code).to.equal('unavailable');
      expect((failure as DomainError).retryAfterSeconds).to.be.at.least(1);
      expect(scope.isDone(), 'three attempts, all throttled, then the fence').to.equal(true);
    });

    it('turns exhausted throttling into a 503 response with Retry-After through the handler', async () => {
      const config = loadConfig({ STORAGE: 'dynamodb', TABLE_NAME: 'faults', DYNAMODB_ENDPOINT: FAKE, SCRYPT_COST: 'test', LOG_LEVEL: 'silent' });
      const api = resolve(buildContainer(config), TYPES.ApiHandler);
      nock(FAKE).persist().post('/').reply(400, awsError('ProvisionedThroughputExceededException'), JSON_1_0);

      const result = await api.router(v2Event({ path: '/register_user', body: { password: 'a fine password' } }));

      expect(result.statusCode).to.equal(503);
      expect(JSON.parse(result.body)).to.include({ error: 'unavailable' });
      expect(result.headers['Retry-After']).to.match(/^[1-9]\d*$/);
      expect(result.body, 'no DynamoDB text leaks').not.to.match(/Throughput|dynamodb|injected/i);
    });

    it('tells a failed condition (receiver unknown, blocked) from a conflict, which it retries', async () => {
      const scope = nock(FAKE);
      const reasons = (...codes: string[]) => ({ CancellationReasons: codes.map((Code) => ({ Code })) });
      operation(scope, 'TransactWriteItems').reply(400, awsError('TransactionCanceledException', reasons('ConditionalCheckFailed', 'None', 'None')), JSON_1_0);
      operation(scope, 'TransactWriteItems').reply(400, awsError('TransactionCanceledException', reasons('None', 'ConditionalCheckFailed', 'None')), JSON_1_0);
      operation(scope, 'TransactWriteItems').reply(400, awsError('TransactionCanceledException', reasons('None', 'TransactionConflict', 'None')), JSON_1_0);
      operation(scope, 'TransactWriteItems').reply(200, {}, JSON_1_0);
      const messages = new DynamoDbMessageRepository(table(), new SystemClock());

      const outcomes = [
        await messages.deliverDirect(message('user-a'), 'user-b'),
        await messages.deliverDirect(message('user-a'), 'user-b'),
        await messages.deliverDirect(message('user-a'), 'user-b'),
      ];

      expect(outcomes.map((o) => o.status)).to.deep.equal(['no_receiver', 'blocked', 'delivered']);
      expect(scope.isDone()).to.equal(true);
    });

  });

  describe('in front of DynamoDB Local', () => {
    let front: FaultyFront;
    let clock: SkewableClock;
    let messages: DynamoDbMessageRepository;

    beforeEach(async () => {
      const { settings } = await freshTable();
      front = new FaultyFront(settings.endpoint!);
      clock = new SkewableClock();
      messages = new DynamoDbMessageRepository(
        createDynamoDbTable({ ...settings, endpoint: front.endpoint, callLimits: AWS_CALL_LIMITS }),
        clock,
      );
    });

    const claimOf = (senderId: string, clientMessageId: string): IdempotencyClaim => ({
      senderId,
      clientMessageId,
      fingerprint: 'fp',
      expiresAt: Date.now() + 86_400_000,
    });
    const recipients = Array.from({ length: 60 }, (_, i) => `user-r${String(i).padStart(3, '0')}`);

    it('retries inserts DynamoDB declines and answers delivered once every inbox has the message', async () => {
      // The first batch call writes nothing: every statement in it is throttled.
      const fault = front.fail('BatchExecuteStatement', 1, () => true, (body) => {
        const statements = (body as { Statements: unknown[] }).Statements;
        return [200, { Responses: statements.map(() => ({ Error: { Code: 'ProvisionedThroughputExceeded', Message: 'injected' } })) }];
      });
      const sent = { ...message('user-s'), groupId: 'group-g' };

      expect(await messages.deliverToGroup(sent, recipients)).to.deep.equal({ status: 'delivered' });

      const inboxes = await Promise.all(recipients.map((r) => messages.latest(r, 5)));
      expect(fault.used, 'the fault was injected').to.equal(1);
      expect(inboxes.map((inbox) => inbox.map((m) => m.id))).to.deep.equal(recipients.map(() => [sent.id]));
    });

    it('never answers delivered for inboxes it could not write; the retry with the client id completes them, once each', async () => {
      const claim = claimOf('user-s', 'half-done');
      const sent = { ...message('user-s'), groupId: 'group-g' };
      // The batch holding the last recipient is throttled past the SDK's retries.
      const fault = front.fail('BatchExecuteStatement', 3, holding(recipients.at(-1)!), throttled);

      const failure = await failureOf(messages.deliverToGroup(sent, recipients, claim));
      expect((failure as DomainError).code, 'no 200 for an undelivered message').to.equal('unavailable');
      expect(fault.used).to.equal(3);
      const reachedBefore = (await Promise.all(recipients.map((r) => messages.latest(r, 5)))).filter((inbox) => inbox.length > 0);
      expect(reachedBefore.length, 'the first wave went out').to.be.within(1, recipients.length - 1);

      // The client retries with the same id: the failed send released its lease, so no waiting.
      const retry = await messages.deliverToGroup({ ...message('user-s'), groupId: 'group-g' }, recipients, claim);
      expect(retry).to.deep.include({ status: 'duplicate' });
      const again = { ...message('user-s'), groupId: 'group-g', id: sent.id };
      const completed = await messages.completeGroupDelivery(claim, again, recipients);
      const twice = await messages.completeGroupDelivery(claim, { ...again, sentAt: again.sentAt + 1 }, recipients);

      const inboxes = await Promise.all(recipients.map((r) => messages.latest(r, 5)));
      expect(inboxes.map((inbox) => inbox.map((m) => m.id)), 'every inbox once').to.deep.equal(recipients.map(() => [sent.id]));
      expect(completed.recipientIds.length, 'the retry wrote what the first send missed').to.equal(recipients.length - reachedBefore.length);
      expect(twice.recipientIds, 'a complete send takes no one').to.deep.equal([]);
    });

    it('writes a completion at the retry’s own time, past any cursor, and never twice', async () => {
      const claim = claimOf('user-s', 'too-late');
      const sent = { ...message('user-s'), groupId: 'group-g' };
      front.fail('BatchExecuteStatement', 3, holding(recipients.at(-1)!), throttled);
      await failureOf(messages.deliverToGroup(sent, recipients, claim));
      const late = recipients.at(-1)!;

      clock.skew = 10_000; // the retry comes 10 s later: the old position is settled for any cursor
      await messages.completeGroupDelivery(claim, { ...sent, sentAt: clock.now() }, recipients);
      await messages.completeGroupDelivery(claim, { ...sent, sentAt: clock.now() }, recipients);

      const copies = await messages.after(late, INBOX_START, 10);
      expect(copies.map((m) => m.id)).to.deep.equal([sent.id]);
      expect(copies[0]!.sentAt, 'a fresh position').to.be.at.least(sent.sentAt + 10_000);
      expect(inboxSortKey({ sentAt: copies[0]!.sentAt, id: sent.id }) > inboxSortKey({ sentAt: sent.sentAt + 5_000, id: '~' })).to.equal(
        true,
      );
    });

    it('answers a retry while the first send still holds the lease with 503 and a Retry-After', async () => {
      const claim = claimOf('user-s', 'busy');
      const sent = { ...message('user-s'), groupId: 'group-g' };
      // The lease holder is still writing: one of its batches takes 800 ms.
      front.slow('BatchExecuteStatement', 1, holding(recipients.at(-1)!), 800);
      const first = messages.deliverToGroup(sent, recipients, claim);
      await new Promise((resolve) => setTimeout(resolve, 300));

      const failure = await failureOf(messages.completeGroupDelivery(claim, { ...sent, sentAt: Date.now() }, recipients));
      expect(await first).to.deep.equal({ status: 'delivered' });

      expect((failure as DomainError).code).to.equal('unavailable');
      expect((failure as DomainError).retryAfterSeconds).to.be.at.least(1);
    });
  });
});
