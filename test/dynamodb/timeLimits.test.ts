// The DynamoDB client's time limits, through a real socket: FaultProxy accepts every connection
// and holds, drops or answers 500 where a test says so. What nock cannot show: whether the SDK gives
// up at all when a server accepts a request and never answers.
import { expect } from 'chai';
import { AWS_CALL_LIMITS, createDynamoDbTable, worstCaseMs } from '../../src/adapters/dynamodb/createDynamoDbTable.js';
import { DynamoDbUserRepository } from '../../src/adapters/dynamodb/DynamoDbUserRepository.js';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { FENCE_MS } from '../../src/adapters/dynamodb/createDynamoDbTable.js';
import type { DynamoDbSettings } from '../../src/adapters/dynamodb/dynamoDbSettings.js';
import { requestTimeLeft, withinRequestBudget } from '../../src/adapters/lambda/requestDeadline.js';
import type { DomainError } from '../../src/core/DomainError.js';
import { freshTable } from '../support/dynamoDbLocal.js';
import { FaultProxy } from '../support/FaultProxy.js';

async function timed(work: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await work;
    return { error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

describe('DynamoDB time limits, through a socket that does not answer', function () {
  this.timeout(30_000);
  let proxy: FaultProxy;
  let users: DynamoDbUserRepository;
  let proxied: DynamoDbSettings;

  beforeEach(async () => {
    const { settings } = await freshTable();
    proxy = await FaultProxy.start(settings.endpoint!);
    proxied = { ...settings, endpoint: proxy.endpoint, callLimits: AWS_CALL_LIMITS };
    // AWS's limits: three attempts of one second, what a deployment runs with.
    users = new DynamoDbUserRepository(createDynamoDbTable({ ...settings, endpoint: proxy.endpoint, callLimits: AWS_CALL_LIMITS }));
  });
  afterEach(() => proxy.close());

  it('gives up on a request that is accepted and never answered, within the call limit, as 503 unavailable', async () => {
    proxy.inject({ fault: { kind: 'hold' } });

    const { error, ms } = await timed(users.findForSignIn('user-held', Date.now()));

    expect((error as DomainError).code, 'unavailable, with Retry-After').to.equal('unavailable');
    expect((error as DomainError).retryAfterSeconds).to.be.at.least(1);
    // Three attempts each held to their 1 s limit; a generous margin for a busy machine.
    expect(ms, 'within the call limit, not the 300 s socket timeout').to.be.below(worstCaseMs(AWS_CALL_LIMITS) + 2_000);
    expect(proxy.seen.filter((op) => op === 'Query'), 'every attempt was sent').to.have.length(AWS_CALL_LIMITS.attempts);
  });

  it('answers from the next attempt when only the first is held', async () => {
    proxy.inject({ operation: 'Query', times: 1, fault: { kind: 'hold' } });

    const record = await users.findForSignIn('user-retried', Date.now());

    expect(record.user, 'the second attempt answered').to.equal(undefined);
    expect(proxy.seen.filter((op) => op === 'Query')).to.have.length(2);
  });

  it('turns a dropped connection and a 500 into 503 unavailable once the attempts are spent', async () => {
    for (const fault of [{ kind: 'drop' }, { kind: 'error' }] as const) {
      const injected = proxy.inject({ fault });

      const { error } = await timed(users.findForSignIn('user-dropped', Date.now()));

      expect((error as DomainError).code, fault.kind).to.equal('unavailable');
      expect(injected.used, `${fault.kind}: every attempt met the fault`).to.equal(AWS_CALL_LIMITS.attempts);
      injected.remove();
    }
  });

  it('gives no call longer than its request has left, keeping a fence’s time back for a fence', async () => {
    proxy.inject({ fault: { kind: 'hold' } });
    const table = createDynamoDbTable(proxied, requestTimeLeft);

    const outcomes = await withinRequestBudget(async () => {
      const read = await timed(new DynamoDbUserRepository(table).findForSignIn('user-late', Date.now()));
      const fence = await timed(table.send(new PutCommand({ TableName: proxied.tableName, Item: { PK: 'p', SK: 's' } }), { fence: true }));
      return { read, fence, left: requestTimeLeft() };
    }, 2 * FENCE_MS);

    expect((outcomes.read.error as DomainError).code).to.equal('unavailable');
    expect(outcomes.read.ms, 'the read had the budget less a fence, not its own 3.6 s').to.be.below(FENCE_MS + 700);
    expect((outcomes.fence.error as DomainError).code).to.equal('unavailable');
    expect(outcomes.left, 'the fence used the time kept for it, and no more').to.be.above(-700);
    expect(requestTimeLeft(), 'outside a request nothing is limited').to.equal(Infinity);
  });
});

