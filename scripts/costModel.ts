// The monthly bill of a deployment (infra/terraform) for a given traffic: what each request uses
// (docs/capacity.json) times how many there are, priced with docs/prices.json, and how far the
// traffic is from AWS's default limits. Pure arithmetic on the two files, so a test can follow
// it by hand (test/infra/costModel.test.ts); scripts/cost.ts prints it.

// ---- The two files -----------------------------------------------------------------------------

/** A price band: `price` per unit up to `upTo` units a month (null: without end). */
export interface Tier {
  readonly upTo: number | null;
  readonly price: number;
}

/** docs/prices.json, with its tiers in one shape. */
export interface Prices {
  readonly asOf: string;
  readonly region: string;
  /** Unit: a million requests. */
  readonly apiGateway: {
    readonly http: readonly Tier[];
    readonly rest: readonly Tier[];
    /** Unit: a million messages (32 KB each, both directions). */
    readonly websocketMessages: readonly Tier[];
    readonly websocketPerMillionConnectionMinutes: number;
  };
  readonly lambda: {
    readonly perMillionRequests: number;
    /** Unit: a GB-second. */
    readonly perGbSecond: { readonly arm64: readonly Tier[]; readonly x86_64: readonly Tier[] };
  };
  readonly dynamodb: {
    readonly perMillionReadRequestUnits: number;
    readonly perMillionWriteRequestUnits: number;
    readonly storagePerGbMonth: number;
    readonly pointInTimeRecoveryPerGbMonth: number;
  };
  readonly logs: { readonly ingestionPerGb: number; readonly storagePerGbMonth: number };
  readonly kmsPerKeyMonth: number;
  readonly limits: Limits;
  /** The switches and levers of issue 17 (docs/prices.json "switches"). */
  readonly switches: SwitchPrices;
}

export interface SwitchPrices {
  /** Per GB-second: provisioned, and the duration of the invocations it serves. */
  readonly provisionedConcurrency: Readonly<Record<'arm64' | 'x86_64', { readonly provisioned: number; readonly duration: number }>>;
  readonly perMillionReplicatedWriteRequestUnits: number;
  readonly interRegionTransferPerGb: number;
  readonly hostedZonePerMonth: number;
  /** One HTTPS health check (a basic check and the HTTPS feature), a month. */
  readonly healthCheckPerMonth: number;
  readonly aliasQueriesPerMillion: number;
  readonly certificatePerMonth: number;
  readonly customDomainPerMonth: number;
  readonly alarmPerMetricMonth: number;
  readonly dashboardPerMonth: number;
  readonly customMetricPerMonth: number;
  readonly perWcuHour: number;
  readonly perRcuHour: number;
  readonly daxNodePerHour: number;
  readonly globalAcceleratorPerHour: number;
  readonly globalAcceleratorPerGb: { readonly low: number; readonly high: number };
}

export interface Limits {
  readonly apiGatewayRequestsPerSecond: number;
  readonly lambdaConcurrentExecutions: number;
  readonly dynamodbTableReadUnitsPerSecond: number;
  readonly dynamodbTableWriteUnitsPerSecond: number;
}

/** What one request of a kind uses. */
export interface Usage {
  readonly lambdaMs: number;
  readonly memoryMb: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly dynamodbCalls: number;
}

export interface GroupUsage extends Usage {
  /** Members of the group, the sender included. */
  readonly members: number;
}

/** docs/capacity.json. */
export interface Capacity {
  readonly measured: boolean;
  readonly note: string;
  readonly logBytesPerRequest: number;
  readonly inboxItemBytes: number;
  readonly operations: {
    readonly pollToken: Usage;
    readonly pollPasswordCached: Usage;
    readonly pollPasswordUncached: Usage;
    readonly login: Usage;
    readonly send: Usage;
    readonly sendWithClientId: Usage;
    /** Ordered by members. */
    readonly groupSend: readonly GroupUsage[];
    readonly groupSendWithClientId: readonly GroupUsage[];
    /** Push: the WebSocket routes and the stream consumer's work for one recipient. */
    readonly connect: Usage;
    readonly disconnect: Usage;
    readonly ping: Usage;
    readonly pushPerRecipient: Usage;
  };
}

// ---- The traffic ---------------------------------------------------------------------------------

export interface Scenario {
  readonly users: number;
  /** Every user polls this often, all day. */
  readonly pollIntervalSeconds: number;
  readonly sendsPerUserPerDay: number;
  /** Share of sends that go to a group; the rest are direct messages. */
  readonly groupShare: number;
  /** Members of a group a message goes to, the sender included. */
  readonly groupSize: number;
  /** Share of sends with a client_message_id (a retry-safe client sends one every time). */
  readonly clientIdShare: number;
  /** How a poll authenticates: a bearer token (a login when it expires) or body credentials. */
  readonly auth: 'token' | 'password';
  readonly api: 'http' | 'rest';
  readonly architecture: 'arm64' | 'x86_64';
  /** Months of messages the table holds. */
  readonly historyMonths: number;
  /** TOKEN_TTL_SECONDS: a client polling all day logs in this often. */
  readonly tokenTtlSeconds: number;
  /** How long one instance remembers a verified password (InProcessVerifiedPasswordCache). */
  readonly passwordCacheSeconds: number;
  /**
   * Share of password polls that find the password in the serving instance's cache; when absent,
   * estimated from the number of instances (see cacheHitShare).
   */
  readonly passwordCacheHits?: number | undefined;
  /** log_retention_days of infra/terraform. */
  readonly logRetentionDays: number;
  /**
   * How messages reach clients: each client polls every pollIntervalSeconds, or it stays connected
   * by WebSocket all day, is pushed every message, and polls only every `fallbackPollSeconds` to
   * catch up on a push it missed.
   */
  readonly delivery: 'poll' | 'push';
  readonly push: PushScenario;
}

export interface PushScenario {
  readonly fallbackPollSeconds: number;
  /** API Gateway closes a WebSocket idle for 10 minutes: a client pings more often than that. */
  readonly pingSeconds: number;
  /** API Gateway closes every WebSocket after 2 hours: the client connects again. */
  readonly connectionSeconds: number;
  /** Stream records per invocation of the consumer (Lambda batches them, up to 100). */
  readonly recordsPerConsumerCall: number;
}

export const DEFAULT_PUSH: PushScenario = Object.freeze({
  fallbackPollSeconds: 900,
  pingSeconds: 540,
  connectionSeconds: 7_200,
  recordsPerConsumerCall: 10,
});

export const SECONDS_PER_MONTH = 30 * 86_400;
const GB = 1024 ** 3;

/** How a kind of work arrives: an HTTP API request, a WebSocket route, a stream record. */
export type Via = 'http' | 'websocket message' | 'websocket connection' | 'stream';

export interface Kind {
  readonly name: string;
  readonly perSecond: number;
  readonly usage: Usage;
  /** Default http. */
  readonly via?: Via;
  /** The function that serves it (a key of local.routes or the push functions' names). */
  readonly route: string;
  /** Its writes are one TransactWriteItems (billed twice per item; replicated, perhaps once). */
  readonly transactional?: boolean;
}

/** Requests per second (averaged over the day) of each kind, with what one of each uses. */
export interface Load {
  readonly kinds: readonly Kind[];
  /** WebSocket frames the server sends per second (pushed messages and pongs). */
  readonly framesSentPerSecond: number;
  /** Clients connected, on average, by WebSocket. */
  readonly connectedClients: number;
  /** Share of password polls that find the password in the serving instance's cache. */
  readonly passwordCacheHits: number | undefined;
  /** Inbox items written per second (one per recipient). */
  readonly inboxItemsPerSecond: number;
}

export function loadOf(scenario: Scenario, capacity: Capacity): Load {
  const ops = capacity.operations;
  const push = scenario.delivery === 'push';
  const polls = scenario.users / (push ? scenario.push.fallbackPollSeconds : scenario.pollIntervalSeconds);
  const sends = (scenario.users * scenario.sendsPerUserPerDay) / 86_400;
  const direct = sends * (1 - scenario.groupShare);
  const group = sends * scenario.groupShare;
  const withId = scenario.clientIdShare;
  const kinds: Kind[] = [
    { name: 'send_message', perSecond: direct * (1 - withId), usage: ops.send, route: 'send_message', transactional: true },
    {
      name: 'send_message with client_message_id',
      perSecond: direct * withId,
      usage: ops.sendWithClientId,
      route: 'send_message',
      transactional: true,
    },
    { name: 'send_group_message', perSecond: group * (1 - withId), usage: groupUsage(ops.groupSend, scenario.groupSize), route: 'send_group_message' },
    {
      name: 'send_group_message with client_message_id',
      perSecond: group * withId,
      usage: groupUsage(ops.groupSendWithClientId, scenario.groupSize),
      route: 'send_group_message',
    },
  ];
  let passwordCacheHits: number | undefined;
  if (scenario.auth === 'token') {
    kinds.push({ name: 'check_messages (token)', perSecond: polls, usage: ops.pollToken, route: 'check_messages' });
    kinds.push({ name: 'login (token expired)', perSecond: scenario.users / scenario.tokenTtlSeconds, usage: ops.login, route: 'login' });
  } else {
    passwordCacheHits = scenario.passwordCacheHits ?? cacheHitShare(scenario, polls, ops.pollPasswordCached, ops.pollPasswordUncached);
    kinds.push({ name: 'check_messages (password, cached)', perSecond: polls * passwordCacheHits, usage: ops.pollPasswordCached, route: 'check_messages' });
    kinds.push({
      name: 'check_messages (password, scrypt)',
      perSecond: polls * (1 - passwordCacheHits),
      usage: ops.pollPasswordUncached,
      route: 'check_messages',
    });
  }
  const inboxItemsPerSecond = direct + group * (scenario.groupSize - 1);
  let framesSentPerSecond = 0;
  if (push) {
    const { pingSeconds, connectionSeconds } = scenario.push;
    const connects = scenario.users / connectionSeconds;
    const pings = scenario.users / pingSeconds;
    kinds.push({ name: 'WebSocket $connect', perSecond: connects, usage: ops.connect, via: 'websocket connection', route: 'ws_connect', transactional: true });
    kinds.push({
      name: 'WebSocket $disconnect',
      perSecond: connects,
      usage: ops.disconnect,
      via: 'websocket connection',
      route: 'ws_disconnect',
      transactional: true,
    });
    kinds.push({ name: 'WebSocket ping', perSecond: pings, usage: ops.ping, via: 'websocket message', route: 'ws_message' });
    kinds.push({
      name: 'push (stream consumer, per recipient)',
      perSecond: inboxItemsPerSecond,
      usage: ops.pushPerRecipient,
      via: 'stream',
      route: 'push_from_stream',
    });
    framesSentPerSecond = pings + inboxItemsPerSecond;
  }
  return {
    kinds,
    passwordCacheHits,
    inboxItemsPerSecond,
    framesSentPerSecond,
    connectedClients: push ? scenario.users : 0,
  };
}

/**
 * A rough model, for want of a measurement on AWS. The verified-password cache lives in each
 * Lambda instance: a poll finds the password there when the instance serving it served the same
 * user within the cache's lifetime. With N instances of check_messages sharing the polls at random
 * and k earlier polls of the user in that lifetime, that is 1 - (1 - 1/N)^k. N is the function's
 * concurrency, which grows with the misses (a miss runs scrypt for seconds), so the two are solved
 * together, starting from every poll a hit; past a few instances the misses feed themselves and
 * the share collapses. The cache's bound of 10,000 entries is left out: it can only lower it.
 */
function cacheHitShare(scenario: Scenario, polls: number, cached: Usage, uncached: Usage): number {
  const earlierPolls = Math.floor(scenario.passwordCacheSeconds / scenario.pollIntervalSeconds);
  let hits = 1;
  for (let i = 0; i < 100; i++) {
    const concurrency = polls * (hits * cached.lambdaMs + (1 - hits) * uncached.lambdaMs) / 1000;
    const instances = Math.max(1, concurrency);
    hits = 1 - (1 - 1 / instances) ** earlierPolls;
  }
  return hits;
}

/** The usage of a group send to `members`, between the measured sizes (linear in between). */
export function groupUsage(sizes: readonly GroupUsage[], members: number): Usage {
  const exact = sizes.find((s) => s.members === members);
  if (exact) return exact;
  const above = sizes.findIndex((s) => s.members > members);
  if (above <= 0) {
    const known = sizes.map((s) => s.members).join(', ');
    throw new Error(`No usage for groups of ${members}: docs/capacity.json covers ${known} members and sizes in between`);
  }
  const low = sizes[above - 1]!;
  const high = sizes[above]!;
  const at = (members - low.members) / (high.members - low.members);
  const mix = (field: keyof Usage) => low[field] + (high[field] - low[field]) * at;
  return {
    lambdaMs: mix('lambdaMs'),
    memoryMb: mix('memoryMb'),
    readUnits: mix('readUnits'),
    writeUnits: mix('writeUnits'),
    dynamodbCalls: mix('dynamodbCalls'),
  };
}

// ---- The bill ------------------------------------------------------------------------------------

export interface Bill {
  readonly requestsPerMonth: number;
  /** Dollars a month per component, in the order printed. */
  readonly components: readonly { readonly name: string; readonly dollars: number }[];
  readonly total: number;
  readonly dominant: string;
}

export function billOf(scenario: Scenario, load: Load, capacity: Capacity, prices: Prices): Bill {
  const monthly = (perSecond: number) => perSecond * SECONDS_PER_MONTH;
  const sum = (of: (usage: Usage) => number, only?: (kind: Kind) => boolean) =>
    load.kinds.reduce((total, k) => (only && !only(k) ? total : total + k.perSecond * of(k.usage)), 0);
  const via = (v: Via) => (k: Kind) => (k.via ?? 'http') === v;
  const requestsPerMonth = monthly(sum(() => 1, via('http')));
  const websocketMessagesPerMonth = monthly(sum(() => 1, via('websocket message')) + load.framesSentPerSecond);
  const connectionMinutesPerMonth = load.connectedClients * (SECONDS_PER_MONTH / 60);
  // The stream consumer handles a batch of records per invocation; everything else, one each.
  const invocationsPerMonth = monthly(
    sum(() => 1, (k) => !via('stream')(k)) + sum(() => 1, via('stream')) / scenario.push.recordsPerConsumerCall,
  );
  const gbSeconds = monthly(sum((u) => (u.lambdaMs / 1000) * (u.memoryMb / 1024)));
  const storedGb = (monthly(load.inboxItemsPerSecond) * scenario.historyMonths * capacity.inboxItemBytes) / GB;
  const loggedGb = (invocationsPerMonth * capacity.logBytesPerRequest) / GB;
  const components = [
    {
      name: scenario.api === 'http' ? 'API Gateway (HTTP API)' : 'API Gateway (REST API)',
      dollars: tiered(requestsPerMonth / 1e6, prices.apiGateway[scenario.api]),
    },
    ...(scenario.delivery === 'push'
      ? [
          { name: 'API Gateway (WebSocket messages)', dollars: tiered(websocketMessagesPerMonth / 1e6, prices.apiGateway.websocketMessages) },
          {
            name: 'API Gateway (WebSocket connection minutes)',
            dollars: (connectionMinutesPerMonth / 1e6) * prices.apiGateway.websocketPerMillionConnectionMinutes,
          },
        ]
      : []),
    { name: 'Lambda requests', dollars: (invocationsPerMonth / 1e6) * prices.lambda.perMillionRequests },
    { name: `Lambda duration (${scenario.architecture})`, dollars: tiered(gbSeconds, prices.lambda.perGbSecond[scenario.architecture]) },
    { name: 'DynamoDB reads', dollars: (monthly(sum((u) => u.readUnits)) / 1e6) * prices.dynamodb.perMillionReadRequestUnits },
    { name: 'DynamoDB writes', dollars: (monthly(sum((u) => u.writeUnits)) / 1e6) * prices.dynamodb.perMillionWriteRequestUnits },
    { name: `DynamoDB storage (${scenario.historyMonths} months of inboxes)`, dollars: storedGb * prices.dynamodb.storagePerGbMonth },
    { name: 'DynamoDB point-in-time recovery', dollars: storedGb * prices.dynamodb.pointInTimeRecoveryPerGbMonth },
    {
      name: `CloudWatch Logs (${scenario.logRetentionDays}-day retention)`,
      dollars: loggedGb * prices.logs.ingestionPerGb + loggedGb * (scenario.logRetentionDays / 30) * prices.logs.storagePerGbMonth,
    },
    { name: 'KMS key', dollars: prices.kmsPerKeyMonth },
  ];
  const total = components.reduce((all, c) => all + c.dollars, 0);
  const dominant = components.reduce((top, c) => (c.dollars > top.dollars ? c : top)).name;
  return { requestsPerMonth, components, total, dominant };
}

/** The cost of `amount` (in the tiers' unit) with each tier's price for the part inside it. */
export function tiered(amount: number, tiers: readonly Tier[]): number {
  let cost = 0;
  let floor = 0;
  for (const tier of tiers) {
    const ceiling = tier.upTo ?? Infinity;
    if (amount <= floor) break;
    cost += (Math.min(amount, ceiling) - floor) * tier.price;
    floor = ceiling;
  }
  return cost;
}

// ---- The limits ----------------------------------------------------------------------------------

export interface LimitUse {
  readonly what: string;
  readonly limit: number;
  /** Average use at this traffic, in the limit's unit. */
  readonly use: number;
}

export function limitsOf(load: Load, limits: Limits): LimitUse[] {
  const sum = (of: (usage: Usage) => number) => load.kinds.reduce((total, k) => total + k.perSecond * of(k.usage), 0);
  const httpRequests = load.kinds.reduce((total, k) => ((k.via ?? 'http') === 'http' ? total + k.perSecond : total), 0);
  return [
    { what: 'API Gateway requests per second (account)', limit: limits.apiGatewayRequestsPerSecond, use: httpRequests },
    { what: 'Lambda concurrent executions (account)', limit: limits.lambdaConcurrentExecutions, use: sum((u) => u.lambdaMs / 1000) },
    { what: 'DynamoDB read units per second (table)', limit: limits.dynamodbTableReadUnitsPerSecond, use: sum((u) => u.readUnits) },
    { what: 'DynamoDB write units per second (table)', limit: limits.dynamodbTableWriteUnitsPerSecond, use: sum((u) => u.writeUnits) },
  ];
}

/**
 * The fewest users at which `measure` reaches `limit`, found by bisection (the use grows with the
 * users, not always in proportion: password polls miss the cache more as instances multiply).
 * Undefined when even `maxUsers` stays under it.
 */
export function usersReaching(limit: number, measure: (users: number) => number, maxUsers = 1e10): number | undefined {
  if (measure(maxUsers) < limit) return undefined;
  let low = 0;
  let high = maxUsers;
  while (high - low > Math.max(1, low * 1e-4)) {
    const middle = (low + high) / 2;
    if (measure(middle) >= limit) high = middle;
    else low = middle;
  }
  return Math.ceil(high);
}

// ---- The switches of issue 17 --------------------------------------------------------------------
// What each switch of infra/terraform adds to the bill above (docs/multi-region.md, sections 9 to
// 11). Traffic is the same whatever the regions: requests, Lambda time and reads are shared
// between them, not multiplied; what several regions add is below.

const HOURS_PER_MONTH = SECONDS_PER_MONTH / 3600;

/** Provisioned concurrency of one route: what it costs, what it saves, and how much it serves. */
export interface ProvisionedConcurrencyCost {
  readonly route: string;
  /** Per region. */
  readonly units: number;
  /** The route's average concurrency in one region, from the traffic. */
  readonly averageConcurrency: number;
  /** Share of the route's invocations the provisioned instances serve: min(1, units / average). */
  readonly servedShare: number;
  readonly cost: number;
  readonly durationSaved: number;
  readonly net: number;
}

/**
 * `units` provisioned instances of a route in each of `regions` regions, at the route's memory: each
 * is billed all month (GB × seconds × the provisioned price), and the invocations they serve pay the
 * lower duration price instead of on-demand's (first tier). The traffic is split evenly between the
 * regions; the provisioned instances serve at most the route's average concurrency (bursts above
 * it spill to on-demand instances, cold starts included).
 */
export function provisionedConcurrencyCost(
  scenario: Scenario,
  load: Load,
  prices: Prices,
  route: string,
  units: number,
  regions = 1,
): ProvisionedConcurrencyCost {
  const kinds = load.kinds.filter((k) => k.route === route);
  if (kinds.length === 0) throw new Error(`no traffic of ${route} in this scenario: provisioned concurrency would serve nothing`);
  const memoryGb = Math.max(...kinds.map((k) => k.usage.memoryMb)) / 1024;
  const concurrency = kinds.reduce((sum, k) => sum + k.perSecond * (k.usage.lambdaMs / 1000), 0) / regions;
  const gbSecondsPerMonth = kinds.reduce((sum, k) => sum + k.perSecond * (k.usage.lambdaMs / 1000) * (k.usage.memoryMb / 1024), 0) * SECONDS_PER_MONTH;
  const pc = prices.switches.provisionedConcurrency[scenario.architecture];
  const onDemand = prices.lambda.perGbSecond[scenario.architecture][0]!.price;
  const servedShare = concurrency === 0 ? 0 : Math.min(1, units / concurrency);
  const cost = units * regions * memoryGb * SECONDS_PER_MONTH * pc.provisioned;
  const durationSaved = gbSecondsPerMonth * servedShare * (onDemand - pc.duration);
  return { route, units, averageConcurrency: concurrency, servedShare, cost, durationSaved, net: cost - durationSaved };
}

/** The share of provisioned instances' time that must be busy for them to cost no more than on demand. */
export function provisionedConcurrencyBreakEven(prices: Prices, architecture: 'arm64' | 'x86_64'): number {
  const pc = prices.switches.provisionedConcurrency[architecture];
  return pc.provisioned / (prices.lambda.perGbSecond[architecture][0]!.price - pc.duration);
}

/** What serving a health check's requests costs (assumed: a function that answers without DynamoDB). */
export const HEALTH_REQUEST: Usage = { lambdaMs: 3, memoryMb: 1024, readUnits: 0, writeUnits: 0, dynamodbCalls: 0 };

export interface Component {
  readonly name: string;
  readonly dollars: number;
}

/**
 * The custom domain: the hosted zone (if one is made for it), certificates and API Gateway custom
 * domains (no charge), alias queries to API Gateway (no charge); with several regions, an HTTPS
 * health check per region and the requests its checkers send to /health (AWS gives no rate; the
 * model takes `healthRequestsPerSecond` per region, priced as HTTP API requests and Lambda).
 */
export function domainCost(prices: Prices, capacity: Capacity, regions: number, healthRequestsPerSecond = 1): Component[] {
  const s = prices.switches;
  const components: Component[] = [
    { name: 'Route 53 hosted zone (if made for the domain)', dollars: s.hostedZonePerMonth },
    { name: 'ACM certificates, API Gateway custom domains, alias queries', dollars: regions * (2 * s.customDomainPerMonth + s.certificatePerMonth) },
  ];
  if (regions > 1) {
    const requests = regions * healthRequestsPerSecond * SECONDS_PER_MONTH;
    const gbSeconds = requests * (HEALTH_REQUEST.lambdaMs / 1000) * (HEALTH_REQUEST.memoryMb / 1024);
    components.push(
      { name: `Route 53 HTTPS health checks (${regions})`, dollars: regions * s.healthCheckPerMonth },
      {
        name: `health checkers' requests to /health (${healthRequestsPerSecond}/s per region)`,
        dollars:
          (requests / 1e6) * prices.apiGateway.http[0]!.price +
          (requests / 1e6) * prices.lambda.perMillionRequests +
          gbSeconds * prices.lambda.perGbSecond.arm64[0]!.price +
          ((requests * capacity.logBytesPerRequest) / GB) * prices.logs.ingestionPerGb,
      },
    );
  }
  return components;
}

/** Alarms of one region's stack, counted in metrics read (modules/region/monitoring.tf). */
export const ALARM_METRICS_PER_REGION = 46;
/** Custom metrics of one region: the app's 7 (Powertools) and the 429 count; LateReplicatedInbox with several regions. */
export const CUSTOM_METRICS_PER_REGION = 8;

export interface RegionsCost {
  readonly regions: number;
  readonly components: readonly Component[];
  readonly total: number;
  /** With replicated transactional items billed once each (the lower bound), instead of as measured. */
  readonly totalLowerBound: number;
}

/**
 * What `regions` regions add to one (the table a global table, the stack in each region): every
 * write replicated to each other replica (a replicated write unit each; transactional items perhaps
 * at half their measured units, the lower bound), the bytes sent between regions, storage and
 * point-in-time recovery in every replica, each other region's stream consumer handling every inbox
 * insert (an invocation per batch, an eventually consistent read of the recipient's connections
 * item), and each region's key, dashboard, alarms (the replication alarms too) and custom metrics.
 */
export function regionsCost(scenario: Scenario, load: Load, capacity: Capacity, prices: Prices, regions: number): RegionsCost {
  const extra = regions - 1;
  const s = prices.switches;
  const monthly = (perSecond: number) => perSecond * SECONDS_PER_MONTH;
  const writeUnits = monthly(load.kinds.reduce((sum, k) => sum + k.perSecond * k.usage.writeUnits, 0));
  const transactionalUnits = monthly(load.kinds.filter((k) => k.transactional).reduce((sum, k) => sum + k.perSecond * k.usage.writeUnits, 0));
  const replicated = writeUnits * extra;
  const replicatedLower = (writeUnits - transactionalUnits / 2) * extra;
  const storedGb = (monthly(load.inboxItemsPerSecond) * scenario.historyMonths * capacity.inboxItemBytes) / GB;
  const items = monthly(load.inboxItemsPerSecond) * extra;
  const push = capacity.operations.pushPerRecipient;
  const invocations = items / scenario.push.recordsPerConsumerCall;
  const alarms = extra > 0 ? regions * ALARM_METRICS_PER_REGION - ALARM_METRICS_PER_REGION + regions * (2 * extra + 1) : 0;
  const components: Component[] = [
    { name: 'replicated writes', dollars: (replicated / 1e6) * s.perMillionReplicatedWriteRequestUnits },
    { name: 'data transfer between regions', dollars: ((replicated * capacity.inboxItemBytes) / GB) * s.interRegionTransferPerGb },
    { name: 'storage and point-in-time recovery of the replicas', dollars: extra * storedGb * (prices.dynamodb.storagePerGbMonth + prices.dynamodb.pointInTimeRecoveryPerGbMonth) },
    {
      name: "the other regions' stream consumers",
      dollars:
        (invocations / 1e6) * prices.lambda.perMillionRequests +
        items * (push.lambdaMs / 1000) * (push.memoryMb / 1024) * prices.lambda.perGbSecond[scenario.architecture][0]!.price +
        ((items * push.readUnits) / 1e6) * prices.dynamodb.perMillionReadRequestUnits +
        ((invocations * capacity.logBytesPerRequest) / GB) * prices.logs.ingestionPerGb,
    },
    {
      name: 'each region: key, dashboard, alarms, metrics',
      dollars:
        extra * (prices.kmsPerKeyMonth + s.dashboardPerMonth + CUSTOM_METRICS_PER_REGION * s.customMetricPerMonth) +
        (extra > 0 ? regions * s.customMetricPerMonth : 0) +
        alarms * s.alarmPerMetricMonth,
    },
  ];
  const total = components.reduce((sum, c) => sum + c.dollars, 0);
  const lowerBound = total - ((replicated - replicatedLower) / 1e6) * s.perMillionReplicatedWriteRequestUnits;
  return { regions, components, total, totalLowerBound: lowerBound };
}

/**
 * On-demand against provisioned capacity: the share of provisioned capacity that must be used, on
 * average, for provisioned to cost no more than on demand (a capacity unit used fully for an hour
 * serves 3,600 request units), for writes and for reads.
 */
export function capacityModeBreakEven(prices: Prices): { writes: number; reads: number } {
  return {
    writes: prices.switches.perWcuHour / (3600 * (prices.dynamodb.perMillionWriteRequestUnits / 1e6)),
    reads: prices.switches.perRcuHour / (3600 * (prices.dynamodb.perMillionReadRequestUnits / 1e6)),
  };
}

/** The throughput part of an on-demand bill, in provisioned mode at an average use of `utilization`. */
export function provisionedThroughputCost(onDemandDollars: number, breakEven: number, utilization: number): number {
  return (onDemandDollars * breakEven) / utilization;
}

/** A DAX cluster of `nodes` nodes in each of `regions` regions, a month. */
export function daxCost(prices: Prices, nodes = 3, regions = 1): number {
  return nodes * regions * HOURS_PER_MONTH * prices.switches.daxNodePerHour;
}

/** One accelerator, a month, and its data transfer premium for `gb` a month at the low and high rate. */
export function globalAcceleratorCost(prices: Prices, gb: number): { low: number; high: number } {
  const fixed = HOURS_PER_MONTH * prices.switches.globalAcceleratorPerHour;
  return { low: fixed + gb * prices.switches.globalAcceleratorPerGb.low, high: fixed + gb * prices.switches.globalAcceleratorPerGb.high };
}

// ---- Reading the files ---------------------------------------------------------------------------

interface PriceTierFile {
  readonly upToMillions?: number | null;
  readonly upToBillionGbSeconds?: number | null;
  readonly price: number;
}

/** API Gateway's tiers, in millions of requests as the file has them. */
function requestTiers(list: readonly PriceTierFile[]): Tier[] {
  return list.map((t) => ({ upTo: t.upToMillions ?? null, price: t.price }));
}

/** Lambda's tiers, from billions of GB-seconds in the file to GB-seconds. */
function gbSecondTiers(list: readonly PriceTierFile[]): Tier[] {
  return list.map((t) => ({ upTo: t.upToBillionGbSeconds == null ? null : t.upToBillionGbSeconds * 1e9, price: t.price }));
}

/** docs/prices.json as it is written (sources and notes beside every figure) to the model's shape. */
export function pricesFromFile(file: any): Prices {
  const limits = file.defaultLimits;
  return {
    asOf: file.asOf,
    region: file.region,
    apiGateway: {
      http: requestTiers(file.apiGateway.httpApiPerMillionRequests.tiers),
      rest: requestTiers(file.apiGateway.restApiPerMillionRequests.tiers),
      websocketMessages: requestTiers(file.apiGateway.websocket.perMillionMessages.tiers),
      websocketPerMillionConnectionMinutes: file.apiGateway.websocket.perMillionConnectionMinutes,
    },
    lambda: {
      perMillionRequests: file.lambda.perMillionRequests,
      perGbSecond: { arm64: gbSecondTiers(file.lambda.perGbSecond.arm64), x86_64: gbSecondTiers(file.lambda.perGbSecond.x86_64) },
    },
    dynamodb: {
      perMillionReadRequestUnits: file.dynamodb.perMillionReadRequestUnits,
      perMillionWriteRequestUnits: file.dynamodb.perMillionWriteRequestUnits,
      storagePerGbMonth: file.dynamodb.storagePerGbMonth,
      pointInTimeRecoveryPerGbMonth: file.dynamodb.pointInTimeRecoveryPerGbMonth,
    },
    logs: { ingestionPerGb: file.cloudwatchLogs.ingestionPerGb, storagePerGbMonth: file.cloudwatchLogs.storagePerGbMonth },
    kmsPerKeyMonth: file.kms.perKeyMonth,
    switches: switchPricesFromFile(file.switches),
    limits: {
      apiGatewayRequestsPerSecond: limits.apiGatewayRequestsPerSecond.value,
      lambdaConcurrentExecutions: limits.lambdaConcurrentExecutions.value,
      dynamodbTableReadUnitsPerSecond: limits.dynamodbTableReadUnitsPerSecond.value,
      dynamodbTableWriteUnitsPerSecond: limits.dynamodbTableWriteUnitsPerSecond.value,
    },
  };
}

function switchPricesFromFile(s: any): SwitchPrices {
  const pc = s.lambdaProvisionedConcurrency;
  const check = s.route53.healthCheck;
  return {
    provisionedConcurrency: {
      arm64: { provisioned: pc.arm64.perGbSecondProvisioned, duration: pc.arm64.perGbSecondDuration },
      x86_64: { provisioned: pc.x86_64.perGbSecondProvisioned, duration: pc.x86_64.perGbSecondDuration },
    },
    perMillionReplicatedWriteRequestUnits: s.dynamodbGlobalTables.perMillionReplicatedWriteRequestUnits,
    interRegionTransferPerGb: s.dataTransfer.interRegionPerGb,
    hostedZonePerMonth: s.route53.hostedZonePerMonth,
    // The higher of the two: whether an execute-api endpoint is an "AWS endpoint" is not known here.
    healthCheckPerMonth: Math.max(
      check.awsEndpointBasicPerMonth + check.awsEndpointOptionalFeaturePerMonth,
      check.nonAwsEndpointBasicPerMonth + check.nonAwsEndpointOptionalFeaturePerMonth,
    ),
    aliasQueriesPerMillion: s.route53.aliasQueriesToApiGatewayPerMillion,
    certificatePerMonth: s.certificatesAndDomains.acmPublicCertificatePerMonth,
    customDomainPerMonth: s.certificatesAndDomains.apiGatewayCustomDomainPerMonth,
    alarmPerMetricMonth: s.cloudwatch.alarmPerMetricMonth,
    dashboardPerMonth: s.cloudwatch.dashboardPerMonth,
    customMetricPerMonth: s.cloudwatch.customMetricPerMonth,
    perWcuHour: s.dynamodbProvisioned.perWcuHour,
    perRcuHour: s.dynamodbProvisioned.perRcuHour,
    daxNodePerHour: s.dax.t3SmallNodePerHour,
    globalAcceleratorPerHour: s.globalAccelerator.perAcceleratorHour,
    globalAcceleratorPerGb: s.globalAccelerator.dataTransferPremiumPerGb,
  };
}

/** docs/capacity.json as it is written (a "how" beside every figure) to the model's shape. */
export function capacityFromFile(file: any): Capacity {
  const usage = (op: any): Usage => ({
    lambdaMs: op.lambdaMs,
    memoryMb: op.memoryMb,
    readUnits: op.readUnits,
    writeUnits: op.writeUnits,
    dynamodbCalls: op.dynamodbCalls,
  });
  const bySize = (op: any): GroupUsage[] =>
    op.byGroupSize.map((s: any) => ({ members: s.members, ...usage(s) })).sort((a: GroupUsage, b: GroupUsage) => a.members - b.members);
  const ops = file.operations;
  return {
    measured: file.measured === true,
    note: file.note,
    logBytesPerRequest: file.logBytesPerRequest.value,
    inboxItemBytes: file.inboxItemBytes.value,
    operations: {
      pollToken: usage(ops.check_messages_token),
      pollPasswordCached: usage(ops.check_messages_password_cached),
      pollPasswordUncached: usage(ops.check_messages_password_uncached),
      login: usage(ops.login),
      send: usage(ops.send_message),
      sendWithClientId: usage(ops.send_message_with_client_id),
      groupSend: bySize(ops.send_group_message),
      groupSendWithClientId: bySize(ops.send_group_message_with_client_id),
      connect: usage(ops.ws_connect),
      disconnect: usage(ops.ws_disconnect),
      ping: usage(ops.ws_ping),
      pushPerRecipient: usage(ops.push_per_recipient),
    },
  };
}
