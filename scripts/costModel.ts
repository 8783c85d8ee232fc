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
    { name: 'send_message', perSecond: direct * (1 - withId), usage: ops.send },
    { name: 'send_message with client_message_id', perSecond: direct * withId, usage: ops.sendWithClientId },
    { name: 'send_group_message', perSecond: group * (1 - withId), usage: groupUsage(ops.groupSend, scenario.groupSize) },
    {
      name: 'send_group_message with client_message_id',
      perSecond: group * withId,
      usage: groupUsage(ops.groupSendWithClientId, scenario.groupSize),
    },
  ];
  let passwordCacheHits: number | undefined;
  if (scenario.auth === 'token') {
    kinds.push({ name: 'check_messages (token)', perSecond: polls, usage: ops.pollToken });
    kinds.push({ name: 'login (token expired)', perSecond: scenario.users / scenario.tokenTtlSeconds, usage: ops.login });
  } else {
    passwordCacheHits = scenario.passwordCacheHits ?? cacheHitShare(scenario, polls, ops.pollPasswordCached, ops.pollPasswordUncached);
    kinds.push({ name: 'check_messages (password, cached)', perSecond: polls * passwordCacheHits, usage: ops.pollPasswordCached });
    kinds.push({
      name: 'check_messages (password, scrypt)',
      perSecond: polls * (1 - passwordCacheHits),
      usage: ops.pollPasswordUncached,
    });
  }
  const inboxItemsPerSecond = direct + group * (scenario.groupSize - 1);
  let framesSentPerSecond = 0;
  if (push) {
    const { pingSeconds, connectionSeconds } = scenario.push;
    const connects = scenario.users / connectionSeconds;
    const pings = scenario.users / pingSeconds;
    kinds.push({ name: 'WebSocket $connect', perSecond: connects, usage: ops.connect, via: 'websocket connection' });
    kinds.push({ name: 'WebSocket $disconnect', perSecond: connects, usage: ops.disconnect, via: 'websocket connection' });
    kinds.push({ name: 'WebSocket ping', perSecond: pings, usage: ops.ping, via: 'websocket message' });
    kinds.push({ name: 'push (stream consumer, per recipient)', perSecond: inboxItemsPerSecond, usage: ops.pushPerRecipient, via: 'stream' });
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
    limits: {
      apiGatewayRequestsPerSecond: limits.apiGatewayRequestsPerSecond.value,
      lambdaConcurrentExecutions: limits.lambdaConcurrentExecutions.value,
      dynamodbTableReadUnitsPerSecond: limits.dynamodbTableReadUnitsPerSecond.value,
      dynamodbTableWriteUnitsPerSecond: limits.dynamodbTableWriteUnitsPerSecond.value,
    },
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
