// The arithmetic of `npm run cost` (scripts/costModel.ts), followed by hand on made-up prices and
// usage with round numbers: what is checked is the sums, not AWS's prices.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import {
  billOf,
  capacityModeBreakEven,
  daxCost,
  domainCost,
  groupUsage,
  limitsOf,
  loadOf,
  pricesFromFile,
  provisionedConcurrencyBreakEven,
  provisionedConcurrencyCost,
  provisionedThroughputCost,
  regionsCost,
  tiered,
  usersReaching,
  type Capacity,
  type Prices,
  type Scenario,
} from '../../scripts/costModel.js';

/** Bytes that make a million of something one GB (GB = 1024^3 bytes). */
const GB_PER_MILLION = 1024 ** 3 / 1e6;

const PRICES: Prices = {
  asOf: 'test',
  region: 'test-1',
  apiGateway: {
    http: [
      { upTo: 1, price: 2 },
      { upTo: null, price: 1 },
    ],
    rest: [{ upTo: null, price: 10 }],
    websocketMessages: [
      { upTo: 1, price: 3 },
      { upTo: null, price: 1 },
    ],
    websocketPerMillionConnectionMinutes: 0.1,
  },
  lambda: {
    perMillionRequests: 0.5,
    perGbSecond: {
      arm64: [
        { upTo: 100_000, price: 0.001 },
        { upTo: null, price: 0.0005 },
      ],
      x86_64: [{ upTo: null, price: 0.002 }],
    },
  },
  dynamodb: { perMillionReadRequestUnits: 1, perMillionWriteRequestUnits: 2, storagePerGbMonth: 0.5, pointInTimeRecoveryPerGbMonth: 0.1 },
  logs: { ingestionPerGb: 1, storagePerGbMonth: 0.1 },
  kmsPerKeyMonth: 1,
  switches: {
    provisionedConcurrency: { arm64: { provisioned: 0.0003, duration: 0.0005 }, x86_64: { provisioned: 0.0004, duration: 0.001 } },
    perMillionReplicatedWriteRequestUnits: 3,
    interRegionTransferPerGb: 0.1,
    hostedZonePerMonth: 0.5,
    healthCheckPerMonth: 2,
    aliasQueriesPerMillion: 0,
    certificatePerMonth: 0,
    customDomainPerMonth: 0,
    alarmPerMetricMonth: 0.1,
    dashboardPerMonth: 3,
    customMetricPerMonth: 0.3,
    perWcuHour: 0.0018,
    perRcuHour: 0.0009,
    daxNodePerHour: 0.5,
    globalAcceleratorPerHour: 0.025,
    globalAcceleratorPerGb: { low: 0.01, high: 0.05 },
  },
  limits: { apiGatewayRequestsPerSecond: 0.7, lambdaConcurrentExecutions: 1, dynamodbTableReadUnitsPerSecond: 1, dynamodbTableWriteUnitsPerSecond: 1 },
};

const usage = (lambdaMs: number, memoryMb: number, readUnits: number, writeUnits: number) => ({
  lambdaMs,
  memoryMb,
  readUnits,
  writeUnits,
  dynamodbCalls: 1,
});

const CAPACITY: Capacity = {
  measured: false,
  note: 'made up',
  logBytesPerRequest: GB_PER_MILLION,
  inboxItemBytes: GB_PER_MILLION,
  operations: {
    pollToken: usage(100, 1024, 1, 0),
    pollPasswordCached: usage(100, 1024, 2, 0),
    pollPasswordUncached: usage(2_000, 1024, 2, 2),
    login: usage(1_000, 2048, 1, 2),
    send: usage(200, 1024, 0, 6),
    sendWithClientId: usage(200, 1024, 0, 8),
    groupSend: [
      { members: 10, ...usage(300, 1024, 2, 9) },
      { members: 100, ...usage(500, 1024, 4, 99) },
    ],
    groupSendWithClientId: [{ members: 10, ...usage(300, 1024, 2, 10) }],
    connect: usage(50, 512, 1, 4),
    disconnect: usage(50, 512, 1, 2),
    ping: usage(10, 512, 0, 0),
    pushPerRecipient: usage(20, 512, 1, 0),
  },
};

// A 30-day month is 2,592,000 s: 1,000 users polling every 2,592 s make 1,000,000 polls a month,
// logging in every 25,920 s 100,000 logins, and sending 10 a day 300,000 sends, half to groups of 10.
const SCENARIO: Scenario = {
  users: 1_000,
  pollIntervalSeconds: 2_592,
  sendsPerUserPerDay: 10,
  groupShare: 0.5,
  groupSize: 10,
  clientIdShare: 0,
  auth: 'token',
  api: 'http',
  architecture: 'arm64',
  historyMonths: 2,
  tokenTtlSeconds: 25_920,
  passwordCacheSeconds: 900,
  logRetentionDays: 30,
  delivery: 'poll',
  push: { fallbackPollSeconds: 25_920, pingSeconds: 2_592, connectionSeconds: 25_920, recordsPerConsumerCall: 10 },
};

describe('Cost model (scripts/costModel.ts)', () => {
  it('prices one month of one scale as worked out by hand', () => {
    const bill = billOf(SCENARIO, loadOf(SCENARIO, CAPACITY), CAPACITY, PRICES);

    const dollars = Object.fromEntries(bill.components.map((c) => [c.name, Number(c.dollars.toFixed(6))]));
    expect(bill.requestsPerMonth).to.be.closeTo(1_400_000, 1e-6);
    expect(dollars).to.deep.equal({
      // 1M requests at $2 a million, 0.4M at $1
      'API Gateway (HTTP API)': 2.4,
      // 1.4M at $0.50 a million
      'Lambda requests': 0.7,
      // GB-s: polls 1M x 0.1 s x 1 GB + logins 0.1M x 1 s x 2 GB + direct 0.15M x 0.2 + group 0.15M x 0.3
      // = 375,000: the first 100,000 at $0.001, 275,000 at $0.0005
      'Lambda duration (arm64)': 237.5,
      // polls 1M + logins 0.1M + group sends 0.15M x 2 = 1.4M units at $1 a million
      'DynamoDB reads': 1.4,
      // logins 0.1M x 2 + direct 0.15M x 6 + group 0.15M x 9 = 2.45M units at $2 a million
      'DynamoDB writes': 4.9,
      // 0.15M + 0.15M x 9 inbox items a month, 2 months, a GB a million: 3 GB at $0.50, and $0.10
      'DynamoDB storage (2 months of inboxes)': 1.5,
      'DynamoDB point-in-time recovery': 0.3,
      // 1.4 GB ingested at $1, and kept 30 days: 1.4 GB-months at $0.10
      'CloudWatch Logs (30-day retention)': 1.54,
      'KMS key': 1,
    });
    expect(bill.total).to.be.closeTo(251.24, 1e-6);
    expect(bill.dominant).to.equal('Lambda duration (arm64)');
  });

  it('prices push as worked out by hand: WebSocket messages and minutes, the routes and the stream consumer', () => {
    // Push: a fallback poll every 25,920 s (100,000 a month), a ping every 2,592 s (1,000,000),
    // a new connection every 25,920 s (100,000 connects and disconnects); 1,500,000 inbox items
    // (150,000 direct, 150,000 group sends to 9 others) pushed, consumed 10 records a call.
    const push: Scenario = { ...SCENARIO, delivery: 'push' };

    const bill = billOf(push, loadOf(push, CAPACITY), CAPACITY, PRICES);

    const dollars = Object.fromEntries(bill.components.map((c) => [c.name, Number(c.dollars.toFixed(6))]));
    expect(dollars).to.deep.equal({
      // polls 0.1M + logins 0.1M + sends 0.3M = 0.5M requests at $2 a million
      'API Gateway (HTTP API)': 1,
      // pings 1M + pongs 1M + pushed frames 1.5M = 3.5M: the first million at $3, 2.5M at $1
      'API Gateway (WebSocket messages)': 5.5,
      // 1,000 clients all month: 43.2M minutes at $0.10 a million
      'API Gateway (WebSocket connection minutes)': 4.32,
      // 0.5M + 0.1M + 0.1M + 1M + 1.5M / 10 = 1.85M invocations at $0.50 a million
      'Lambda requests': 0.925,
      // GB-s: 10,000 + 200,000 + 30,000 + 45,000 (as polling, with 0.1M polls) + connects 2,500 +
      // disconnects 2,500 + pings 5,000 + pushes 15,000 = 310,000: 100,000 at $0.001, 210,000 at $0.0005
      'Lambda duration (arm64)': 205,
      // 0.1M + 0.1M + 0.3M + connects 0.1M + disconnects 0.1M + pushes 1.5M = 2.2M at $1
      'DynamoDB reads': 2.2,
      // 0.2M + 0.9M + 1.35M + connects 0.4M + disconnects 0.2M = 3.05M at $2
      'DynamoDB writes': 6.1,
      'DynamoDB storage (2 months of inboxes)': 1.5,
      'DynamoDB point-in-time recovery': 0.3,
      // a log line per invocation: 1.85 GB at $1, kept 30 days at $0.10
      'CloudWatch Logs (30-day retention)': 2.035,
      'KMS key': 1,
    });
    expect(limitsOf(loadOf(push, CAPACITY), PRICES.limits)[0]!.use, 'only HTTP requests count toward API Gateway’s request limit').to.be.closeTo(
      500_000 / 2_592_000,
      1e-9,
    );
  });

  it('takes each tier its own price for the part of the amount inside it', () => {
    const tiers = [
      { upTo: 10, price: 3 },
      { upTo: 30, price: 2 },
      { upTo: null, price: 1 },
    ];

    expect(tiered(5, tiers)).to.equal(15);
    expect(tiered(25, tiers)).to.equal(30 + 30);
    expect(tiered(100, tiers)).to.equal(30 + 40 + 70);
    expect(tiered(0, tiers)).to.equal(0);
  });

  it('finds the users at which a limit is reached, and what a scale uses of each limit', () => {
    const load = loadOf(SCENARIO, CAPACITY);
    const [requests, concurrency] = limitsOf(load, PRICES.limits);

    // 1.4M requests in 2,592,000 s; Lambda-seconds 100,000 + 100,000 + 30,000 + 45,000 = 275,000
    expect(requests!.use).to.be.closeTo(1_400_000 / 2_592_000, 1e-9);
    expect(concurrency!.use).to.be.closeTo(275_000 / 2_592_000, 1e-9);
    // 0.7 requests/s at 1,400,000 / 2,592,000 per 1,000 users: 1,296 users
    const reached = usersReaching(0.7, (users) => limitsOf(loadOf({ ...SCENARIO, users }, CAPACITY), PRICES.limits)[0]!.use);
    expect(reached).to.be.within(1_296, 1_297);
    expect(usersReaching(1e12, () => 1)).to.equal(undefined);
  });

  it('blends sends with and without a client_message_id by their share', () => {
    const withIds = { ...SCENARIO, clientIdShare: 0.5 };
    const writes = (scenario: Scenario) =>
      loadOf(scenario, CAPACITY).kinds.reduce((sum, kind) => sum + kind.perSecond * kind.usage.writeUnits, 0) * 2_592_000;

    // Half the 150,000 direct sends write 8 units instead of 6, half the group sends 10 instead of 9.
    expect(writes(withIds) - writes(SCENARIO)).to.be.closeTo(75_000 * 2 + 75_000 * 1, 1e-6);
  });

  it('reads group sends between the sizes the capacity file lists, and refuses sizes outside them', () => {
    const middle = groupUsage(CAPACITY.operations.groupSend, 55);

    expect(middle).to.deep.equal({ lambdaMs: 400, memoryMb: 1024, readUnits: 3, writeUnits: 54, dynamodbCalls: 1 });
    expect(() => groupUsage(CAPACITY.operations.groupSend, 5)).to.throw(/10, 100/);
    expect(() => groupUsage(CAPACITY.operations.groupSend, 101)).to.throw(/No usage for groups of 101/);
  });

  it('polls with a password: no logins, and scrypt only on the share of polls that miss the cache', () => {
    const password = { ...SCENARIO, auth: 'password' as const, passwordCacheHits: 0.75 };
    const kinds = loadOf(password, CAPACITY).kinds;
    const perMonth = (prefix: string) => kinds.filter((k) => k.name.startsWith(prefix)).reduce((sum, k) => sum + k.perSecond, 0) * 2_592_000;

    expect(perMonth('login')).to.equal(0);
    expect(perMonth('check_messages (password, cached)')).to.be.closeTo(750_000, 1e-6);
    expect(perMonth('check_messages (password, scrypt)')).to.be.closeTo(250_000, 1e-6);
  });

  it('estimates every password poll a cache hit while one instance serves them all, and none when polls outlast the cache', () => {
    // 10 users polling every 60 s at 0.1 s a poll keep one instance busy a sixtieth of the time.
    const oneInstance = loadOf({ ...SCENARIO, users: 10, pollIntervalSeconds: 60, auth: 'password' }, CAPACITY);
    // Every 2,592 s, the password was forgotten 900 s after the last poll.
    const rarePolls = loadOf({ ...SCENARIO, auth: 'password' }, CAPACITY);

    expect(oneInstance.passwordCacheHits).to.equal(1);
    expect(rarePolls.passwordCacheHits).to.equal(0);
  });

  describe('the switches of issue 17', () => {
    it('prices provisioned concurrency by hand: a unit all month, and the duration it serves at the lower price', () => {
      // check_messages: 1M polls a month (0.386/s) of 0.1 s at 1 GB: average concurrency 0.0386, so
      // one unit serves them all. It costs 1 GB x 2,592,000 s x 0.0003 = 777.6 and saves 100,000 GB-s
      // x (0.001 - 0.0005) = 50.
      const one = provisionedConcurrencyCost(SCENARIO, loadOf(SCENARIO, CAPACITY), PRICES, 'check_messages', 1);
      // 100,000 users: 100M polls, average concurrency 3.858; two units in each of 2 regions, each
      // region's share 1.929: they serve 2 / 1.929 > 1, everything; 4 units cost 3,110.4.
      const busy = { ...SCENARIO, users: 100_000 };
      const two = provisionedConcurrencyCost(busy, loadOf(busy, CAPACITY), PRICES, 'check_messages', 2, 2);
      const short = provisionedConcurrencyCost(busy, loadOf(busy, CAPACITY), PRICES, 'check_messages', 2, 1);

      expect(one.averageConcurrency).to.be.closeTo(1_000_000 * 0.1 / 2_592_000, 1e-12);
      expect(one.servedShare).to.equal(1);
      expect(one.cost).to.be.closeTo(777.6, 1e-9);
      expect(one.durationSaved).to.be.closeTo(50, 1e-9);
      expect(one.net).to.be.closeTo(727.6, 1e-9);
      expect(two.servedShare).to.equal(1);
      expect(two.cost).to.be.closeTo(3_110.4, 1e-9);
      // One region: 2 units of 3.858 serve 51.8% of 10M GB-s, saving 0.5184 x 10,000,000 x 0.0005.
      expect(short.servedShare).to.be.closeTo(2 / (100_000_000 * 0.1 / 2_592_000), 1e-12);
      expect(short.durationSaved).to.be.closeTo(short.servedShare * 10_000_000 * 0.0005, 1e-6);
      expect(() => provisionedConcurrencyCost(SCENARIO, loadOf(SCENARIO, CAPACITY), PRICES, 'ws_connect', 1)).to.throw(/no traffic of ws_connect/);
    });

    it('breaks provisioned concurrency even at 60% use: 3.3334 / (13.3334 - 7.7778) on arm64, with the prices of docs/prices.json', () => {
      const real = pricesFromFile(JSON.parse(readFileSync(new URL('../../docs/prices.json', import.meta.url), 'utf8')));

      expect(provisionedConcurrencyBreakEven(PRICES, 'arm64'), 'made-up: 0.0003 / (0.001 - 0.0005)').to.be.closeTo(0.6, 1e-12);
      expect(provisionedConcurrencyBreakEven(real, 'arm64')).to.be.closeTo(0.6, 1e-4);
      expect(provisionedConcurrencyBreakEven(real, 'x86_64')).to.be.closeTo(0.6, 1e-4);
    });

    it('prices 2 regions by hand: every write unit once more, the replicas\' storage, the other consumer, a region\'s fixed costs', () => {
      const cost = regionsCost(SCENARIO, loadOf(SCENARIO, CAPACITY), CAPACITY, PRICES, 2);

      const dollars = Object.fromEntries(cost.components.map((c) => [c.name, Number(c.dollars.toFixed(6))]));
      expect(dollars).to.deep.equal({
        // write units 0.2M (logins) + 0.9M (direct) + 1.35M (group) = 2.45M, replicated once at $3 a million
        'replicated writes': 7.35,
        // 2.45M replicated units of a GB a million at $0.10
        'data transfer between regions': 0.245,
        // the replica holds the same 3 GB, at $0.50 + $0.10
        'storage and point-in-time recovery of the replicas': 1.8,
        // 1.5M inserts in batches of 10 (0.15M invocations, $0.075), 1.5M x 0.02 s x 0.5 GB at $0.001
        // ($15), a Query each (1.5M read units, $1.50), a log line per invocation (0.15 GB, $0.15)
        "the other regions' stream consumers": 16.725,
        // a key $1, a dashboard $3, 8 metrics $2.40, LateReplicatedInbox in both regions $0.60, alarms:
        // 46 more metrics and 3 replication alarms in each region, 52 at $0.10
        'each region: key, dashboard, alarms, metrics': 12.2,
      });
      expect(cost.total).to.be.closeTo(38.32, 1e-6);
      // The direct sends' 0.9M units are transactional: replicated at half, 0.45M fewer at $3.
      expect(cost.totalLowerBound).to.be.closeTo(38.32 - 1.35, 1e-6);
    });

    it('adds with 3 regions twice what 2 add, but the fixed costs of replication alarms, and nothing with 1', () => {
      const load = loadOf(SCENARIO, CAPACITY);
      const [one, two, three] = [1, 2, 3].map((r) => regionsCost(SCENARIO, load, CAPACITY, PRICES, r));
      const part = (cost: typeof two, name: string) => cost!.components.find((c) => c.name === name)!.dollars;

      expect(one!.total).to.equal(0);
      for (const name of ['replicated writes', 'data transfer between regions', 'storage and point-in-time recovery of the replicas', "the other regions' stream consumers"]) {
        expect(part(three, name), name).to.be.closeTo(2 * part(two, name), 1e-9);
      }
      // 3 regions: 2 x $6.40, $0.90 of LateReplicatedInbox, alarms 92 + 3 x 5 = 107 at $0.10
      expect(part(three, 'each region: key, dashboard, alarms, metrics')).to.be.closeTo(12.8 + 0.9 + 10.7, 1e-9);
    });

    it('prices the domain by hand: the zone only with one region; health checks and their requests with several', () => {
      const one = domainCost(PRICES, CAPACITY, 1);
      const two = domainCost(PRICES, CAPACITY, 2, 1);
      const sum = (c: typeof one) => c.reduce((s, x) => s + x.dollars, 0);

      expect(sum(one)).to.equal(0.5);
      // 2 checks at $2; 5,184,000 requests: API $10.368, Lambda requests $2.592, 15,552 GB-s at
      // $0.001 $15.552, 5.184 GB of logs $5.184
      expect(sum(two)).to.be.closeTo(0.5 + 4 + 10.368 + 2.592 + 15.552 + 5.184, 1e-9);
    });

    it('breaks provisioned DynamoDB capacity even at 28.9% use with the prices of docs/prices.json, and prices DAX per node-hour', () => {
      const real = pricesFromFile(JSON.parse(readFileSync(new URL('../../docs/prices.json', import.meta.url), 'utf8')));

      // made-up: 0.0018 / (3,600 x $2 a million) and 0.0009 / (3,600 x $1 a million)
      expect(capacityModeBreakEven(PRICES)).to.deep.equal({ writes: 0.25, reads: 0.25 });
      // $0.00065 / (3,600 x $0.625 a million) = 0.2889; $0.00013 / (3,600 x $0.125 a million) the same
      expect(capacityModeBreakEven(real).writes).to.be.closeTo(0.2889, 1e-4);
      expect(capacityModeBreakEven(real).reads).to.be.closeTo(0.2889, 1e-4);
      // $1,000 of on-demand throughput, provisioned at 50% use: 1,000 x 0.25 / 0.5
      expect(provisionedThroughputCost(1000, 0.25, 0.5)).to.equal(500);
      // 3 nodes x 720 h x $0.50, in 2 regions
      expect(daxCost(PRICES, 3, 2)).to.be.closeTo(2160, 1e-9);
    });
  });
});
