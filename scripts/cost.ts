// `npm run cost`: the monthly AWS bill of a deployment (infra/terraform) at a few scales, per
// component, with the dominant one, the first AWS default limit each scale reaches, and what the
// main levers change. Prices: docs/prices.json (dated); what each request uses: docs/capacity.json.
//   npm run cost -- [--users=1000,10000,1000000] [--poll-interval=60] [--sends-per-day=50]
//                   [--group-share=0.2] [--group-size=10] [--client-id-share=1]
//                   [--auth=token|password] [--api=http|rest] [--arch=arm64|x86_64] [--history-months=12]
//                   [--password-cache-hits=<share>]   (with --auth=password; default: a model's estimate)
//                   [--provisioned-concurrency=check_messages:5,...]   (units per route and region)
//                   [--health-check-requests-per-second=1]   (per region, with several regions and a domain)
// Then issue 17's switches (provisioned concurrency, the custom domain, 2 and 3 regions) and
// levers (DynamoDB capacity mode, DAX, Global Accelerator) at the same scales.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  billOf,
  capacityFromFile,
  capacityModeBreakEven,
  daxCost,
  DEFAULT_PUSH,
  domainCost,
  globalAcceleratorCost,
  groupUsage,
  limitsOf,
  loadOf,
  pricesFromFile,
  provisionedConcurrencyBreakEven,
  provisionedConcurrencyCost,
  provisionedThroughputCost,
  regionsCost,
  usersReaching,
  type Capacity,
  type Prices,
  type Scenario,
} from './costModel.js';
import { adapterReadSites } from './readConsistency.js';

// The deployment's settings the bill depends on, as infra/terraform and the app set them by default.
const TOKEN_TTL_SECONDS = 3600; // TOKEN_TTL_SECONDS
const PASSWORD_CACHE_SECONDS = 15 * 60; // InProcessVerifiedPasswordCache
const LOG_RETENTION_DAYS = 30; // log_retention_days
// Limits this deployment sets itself (infra/terraform/variables.tf defaults), far below AWS's.
const STAGE_REQUESTS_PER_SECOND = 50; // throttling_rate_limit
const LOGIN_RESERVED_CONCURRENCY = 10; // hashing_reserved_concurrency

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000,10000,1000000' },
    'poll-interval': { type: 'string', default: '60' },
    'sends-per-day': { type: 'string', default: '50' },
    'group-share': { type: 'string', default: '0.2' },
    'group-size': { type: 'string', default: '10' },
    'client-id-share': { type: 'string', default: '1' },
    auth: { type: 'string', default: 'token' },
    api: { type: 'string', default: 'http' },
    arch: { type: 'string', default: 'arm64' },
    'history-months': { type: 'string', default: '12' },
    'password-cache-hits': { type: 'string' },
    delivery: { type: 'string', default: 'poll' },
    'provisioned-concurrency': { type: 'string', default: 'check_messages:5' },
    'health-check-requests-per-second': { type: 'string', default: '1' },
  },
});

const prices = pricesFromFile(readJson('docs/prices.json'));
const capacity = capacityFromFile(readJson('docs/capacity.json'));
const scales = values.users.split(',').map((n) => positive('users', n));
const base: Omit<Scenario, 'users'> = {
  pollIntervalSeconds: positive('poll-interval', values['poll-interval']),
  sendsPerUserPerDay: atLeastZero('sends-per-day', values['sends-per-day']),
  groupShare: share('group-share', values['group-share']),
  groupSize: positive('group-size', values['group-size']),
  clientIdShare: share('client-id-share', values['client-id-share']),
  auth: oneOf('auth', values.auth, ['token', 'password'] as const),
  api: oneOf('api', values.api, ['http', 'rest'] as const),
  architecture: oneOf('arch', values.arch, ['arm64', 'x86_64'] as const),
  historyMonths: atLeastZero('history-months', values['history-months']),
  tokenTtlSeconds: TOKEN_TTL_SECONDS,
  passwordCacheSeconds: PASSWORD_CACHE_SECONDS,
  logRetentionDays: LOG_RETENTION_DAYS,
  passwordCacheHits: values['password-cache-hits'] === undefined ? undefined : share('password-cache-hits', values['password-cache-hits']),
  delivery: oneOf('delivery', values.delivery, ['poll', 'push'] as const),
  push: DEFAULT_PUSH,
};

try {
  groupUsage(capacity.operations.groupSend, base.groupSize);
} catch (error) {
  fail(`--group-size: ${(error as Error).message}`);
}

const provisioned = values['provisioned-concurrency'].split(',').map((entry) => {
  const [route, units] = entry.split(':');
  if (!route || !units) fail(`--provisioned-concurrency must be route:units,... (got "${entry}")`);
  return { route, units: positive('provisioned-concurrency', units) };
});
{
  // Only routes the traffic model has requests for: the others (health, groups' management...) are not modelled.
  const modelled = new Set(loadOf({ ...base, users: 1 }, capacity).kinds.filter((k) => (k.via ?? 'http') === 'http').map((k) => k.route));
  for (const { route } of provisioned) {
    if (!modelled.has(route)) fail(`--provisioned-concurrency: the model has no requests of ${route}; it has ${[...modelled].join(', ')}`);
  }
}
const healthRequestsPerSecond = atLeastZero('health-check-requests-per-second', values['health-check-requests-per-second']);

printHeader(base, prices, capacity);
printBills(base, scales);
printLimits(base, scales);
printLevers(base, scales);
printSwitches(base, scales);
printScalingLevers(base, scales);

function printHeader(scenario: Omit<Scenario, 'users'>, prices: Prices, capacity: Capacity): void {
  console.log(`Monthly AWS cost, ${prices.region} list prices as of ${prices.asOf} (docs/prices.json, not re-checked online), 30-day months`);
  if (!capacity.measured) {
    console.log('CAVEAT: docs/capacity.json (what each request uses) is estimated from the design, not yet measured:');
    console.log(`  ${capacity.note}`);
  }
  const direct = Math.round((1 - scenario.groupShare) * 100);
  const { push } = scenario;
  const delivery =
    scenario.delivery === 'push'
      ? `Each user stays connected by WebSocket all day (a new connection every ${push.connectionSeconds / 3600} h, a ping ` +
        `every ${push.pingSeconds / 60} min), gets every message pushed, polls every ${push.fallbackPollSeconds / 60} min to catch up `
      : `Each user polls every ${scenario.pollIntervalSeconds} s all day `;
  if (!capacity.measured) {
    // printed above
  } else {
    console.log(`What each request uses: docs/capacity.json, ${capacity.note}`);
  }
  console.log(
    delivery +
      (scenario.auth === 'token'
        ? `with a bearer token (a login each time it expires, every ${scenario.tokenTtlSeconds / 60} min)`
        : 'with body credentials (no tokens)') +
      `, and sends ${scenario.sendsPerUserPerDay} messages a day: ${direct}% direct, ${100 - direct}% to groups of ` +
      `${scenario.groupSize} members, ${Math.round(scenario.clientIdShare * 100)}% with a client_message_id. ` +
      `${scenario.api === 'http' ? 'HTTP API' : 'REST API'}, Lambda ${scenario.architecture}, ` +
      `${scenario.historyMonths} months of messages kept, logs kept ${scenario.logRetentionDays} days. Before any free tier.`,
  );
}

function printBills(scenario: Omit<Scenario, 'users'>, users: readonly number[]): void {
  const bills = users.map((u) => {
    const full = { ...scenario, users: u };
    return billOf(full, loadOf(full, capacity), capacity, prices);
  });
  const width = 44;
  const column = (text: string) => text.padStart(16);
  console.log(`\n${''.padEnd(width)}${users.map((u) => column(`${count(u)} users`)).join('')}`);
  console.log(`${'requests per second (average)'.padEnd(width)}${bills.map((b) => column(count(b.requestsPerMonth / (30 * 86_400), 1))).join('')}`);
  for (const [index, component] of bills[0]!.components.entries()) {
    console.log(`${component.name.padEnd(width)}${bills.map((b) => column(dollars(b.components[index]!.dollars))).join('')}`);
  }
  console.log(`${'total'.padEnd(width)}${bills.map((b) => column(dollars(b.total))).join('')}`);
  console.log(`${'per user'.padEnd(width)}${bills.map((b, i) => column(dollars(b.total / users[i]!, 4))).join('')}`);
  for (const [i, bill] of bills.entries()) console.log(`At ${count(users[i]!)} users the largest component is ${bill.dominant}.`);
}

function printLimits(scenario: Omit<Scenario, 'users'>, users: readonly number[]): void {
  const loadAt = (u: number) => loadOf({ ...scenario, users: u }, capacity);
  const names = limitsOf(loadAt(1), prices.limits);
  const reachedAt = names.map((_, index) => usersReaching(names[index]!.limit, (u) => limitsOf(loadAt(u), prices.limits)[index]!.use));
  console.log('\nAWS default limits (docs/prices.json), at the average rate of the day; peaks reach them sooner');
  for (const [index, limit] of names.entries()) {
    const at = reachedAt[index];
    console.log(`  ${`${limit.what}, ${count(limit.limit)}:`.padEnd(60)} ${at === undefined ? 'not reached' : `reached at ${count(at)} users`}`);
  }
  for (const u of users) {
    const uses = limitsOf(loadAt(u), prices.limits);
    const over = uses.map((use, index) => ({ ...use, at: reachedAt[index] })).filter((use) => use.use >= use.limit);
    const first = over.sort((a, b) => (a.at ?? Infinity) - (b.at ?? Infinity))[0];
    const next = uses
      .map((use, index) => ({ ...use, at: reachedAt[index] }))
      .filter((use) => use.at !== undefined && use.use < use.limit)
      .sort((a, b) => a.at! - b.at!)[0];
    const nextOne = next ? `the first to come is ${next.what}, at ${count(next.at!)} users (now ${percent(next.use / next.limit)} of it)` : 'none comes';
    console.log(
      `  ${count(u)} users: ` +
        (first ? `first limit hit: ${first.what} (${count(first.use, 0)} against ${count(first.limit)})` : `no default limit hit; ${nextOne}`),
    );
  }
  const load = loadAt(1);
  const perUser = load.kinds.reduce((sum, k) => sum + k.perSecond, 0);
  const logins = load.kinds.find((k) => k.name.startsWith('login'));
  console.log(`This deployment's own defaults (infra/terraform/variables.tf) are far lower:`);
  console.log(`  throttling_rate_limit, ${STAGE_REQUESTS_PER_SECOND} requests/s for the stage: reached at ${count(STAGE_REQUESTS_PER_SECOND / perUser)} users`);
  if (logins) {
    const loginsPerSecondAllowed = LOGIN_RESERVED_CONCURRENCY / (logins.usage.lambdaMs / 1000);
    console.log(
      `  hashing_reserved_concurrency, ${LOGIN_RESERVED_CONCURRENCY} logins at once (${count(loginsPerSecondAllowed, 1)}/s): ` +
        `reached at ${count(loginsPerSecondAllowed / logins.perSecond)} users logging in every ${scenario.tokenTtlSeconds / 60} min`,
    );
  }
}

function printLevers(scenario: Omit<Scenario, 'users'>, users: readonly number[]): void {
  const total = (changes: Partial<Scenario>, u: number) => {
    const full = { ...scenario, ...changes, users: u };
    return billOf(full, loadOf(full, capacity), capacity, prices).total;
  };
  const authLevers: { name: string; changes: Partial<Scenario> }[] =
    scenario.auth === 'token'
      ? [
          { name: 'password polling, every poll a cache hit', changes: { auth: 'password', passwordCacheHits: 1 } },
          { name: 'password polling, per-instance cache model', changes: { auth: 'password', passwordCacheHits: undefined } },
        ]
      : [{ name: 'tokens instead of password polling', changes: { auth: 'token' } }];
  const levers: { name: string; changes: Partial<Scenario> }[] = [
    ...authLevers,
    {
      name: scenario.pollIntervalSeconds === 300 ? 'poll every 60 s instead of 300 s' : `poll every 300 s instead of ${scenario.pollIntervalSeconds} s`,
      changes: { pollIntervalSeconds: scenario.pollIntervalSeconds === 300 ? 60 : 300 },
    },
    {
      name: scenario.architecture === 'arm64' ? 'Lambda on x86_64 instead of arm64' : 'Lambda on arm64 instead of x86_64',
      changes: { architecture: scenario.architecture === 'arm64' ? 'x86_64' : 'arm64' },
    },
    {
      name: scenario.api === 'http' ? 'REST API instead of HTTP API' : 'HTTP API instead of REST API',
      changes: { api: scenario.api === 'http' ? 'rest' : 'http' },
    },
    scenario.delivery === 'poll'
      ? {
          name: `WebSocket push (fallback poll every ${scenario.push.fallbackPollSeconds / 60} min)`,
          changes: { delivery: 'push' as const },
        }
      : { name: `polling every ${scenario.pollIntervalSeconds} s instead of push`, changes: { delivery: 'poll' as const } },
    // Not one of the four asked for, but a token poller's logins are most of its Lambda time.
    ...(scenario.auth === 'token' && scenario.tokenTtlSeconds < 86_400
      ? [{ name: 'tokens valid 24 h (TOKEN_TTL_SECONDS=86400)', changes: { tokenTtlSeconds: 86_400 } }]
      : []),
  ];
  const width = 44;
  const column = (text: string) => text.padStart(24);
  console.log('\nLevers: the monthly total with one thing changed, and the change');
  console.log(`${''.padEnd(width)}${users.map((u) => column(`${count(u)} users`)).join('')}`);
  const baseline = users.map((u) => total({}, u));
  console.log(`${'as above'.padEnd(width)}${baseline.map((t) => column(dollars(t))).join('')}`);
  for (const lever of levers) {
    const totals = users.map((u) => total(lever.changes, u));
    const cells = totals.map((t, i) => column(`${dollars(t)} (${signedPercent(t / baseline[i]! - 1)})`));
    console.log(`${lever.name.padEnd(width)}${cells.join('')}`);
  }
  const passwordHits = users.map((u) => loadOf({ ...scenario, auth: 'password', passwordCacheHits: undefined, users: u }, capacity).passwordCacheHits!);
  console.log(
    '  Password polling needs no logins, but each Lambda instance has its own password cache, and a miss costs a scrypt ' +
      '(about 2 s at 1,024 MB). With polls spread at random over the instances (a rough model, scripts/costModel.ts), ' +
      `the share that skips scrypt is ${passwordHits.map((h, i) => `${percent(h)} at ${count(users[i]!)} users`).join(', ')}.`,
  );
}

function printSwitches(scenario: Omit<Scenario, 'users'>, users: readonly number[]): void {
  const width = 58;
  const column = (text: string) => text.padStart(18);
  const loadAt = (u: number) => loadOf({ ...scenario, users: u }, capacity);
  const baseTotal = (u: number) => billOf({ ...scenario, users: u }, loadAt(u), capacity, prices).total;
  const row = (name: string, cells: string[]) => console.log(`${name.padEnd(width)}${cells.map(column).join('')}`);
  const money = (of: (u: number) => number) => users.map((u) => dollars(of(u)));

  console.log("\nSwitches of infra/terraform (all off by default): what each adds to the monthly total above");
  console.log(`  Prices: docs/prices.json "switches", most of them unverified transcriptions (each entry says).`);
  row('', users.map((u) => `${count(u)} users`));

  const breakEven = provisionedConcurrencyBreakEven(prices, scenario.architecture);
  for (const { route, units } of provisioned) {
    const at = (u: number) => provisionedConcurrencyCost({ ...scenario, users: u }, loadAt(u), prices, route, units);
    row(`provisioned concurrency, ${route} = ${units} (one region)`, []);
    row('  average concurrency of the route', users.map((u) => count(at(u).averageConcurrency, 2)));
    row('  provisioned instances, all month', money((u) => at(u).cost));
    row('  duration they save (served at the lower price)', money((u) => -at(u).durationSaved));
    row('  net', users.map((u) => `${dollars(at(u).net)} (${signedPercent(at(u).net / baseTotal(u))})`));
  }
  console.log(`  Break-even: provisioned instances busy ${percent(breakEven)} of the time on average (${scenario.architecture}).`);

  const domainAt = (regions: number) => domainCost(prices, capacity, regions, healthRequestsPerSecond).reduce((s, c) => s + c.dollars, 0);
  row('custom domain with TLS, one region', users.map(() => dollars(domainAt(1))));
  console.log('  A hosted zone if one is made for it; ACM public certificates, API Gateway custom domains and alias queries cost nothing.');

  for (const regions of [2, 3]) {
    row(`${regions} regions (replica_regions with ${regions - 1})`, []);
    const costs = users.map((u) => regionsCost({ ...scenario, users: u }, loadAt(u), capacity, prices, regions));
    for (const [index, component] of costs[0]!.components.entries()) row(`  ${component.name}`, costs.map((c) => dollars(c.components[index]!.dollars)));
    const domain = domainCost(prices, capacity, regions, healthRequestsPerSecond);
    for (const component of domain.slice(2)) row(`  ${component.name}`, users.map(() => dollars(component.dollars)));
    const extraDomain = domainAt(regions) - domainAt(1);
    row(
      '  added, with latency routing on the domain',
      costs.map((c, i) => `${dollars(c.total + extraDomain)} (${signedPercent((c.total + extraDomain) / baseTotal(users[i]!))})`),
    );
    row('    replicated transactions at 1 unit an item', costs.map((c, i) => `${dollars(c.totalLowerBound + extraDomain)} (${signedPercent((c.totalLowerBound + extraDomain) / baseTotal(users[i]!))})`));
  }
  row('monthly total: one region, no switch', money(baseTotal));
  for (const regions of [2, 3]) {
    row(
      `monthly total: ${regions} regions, with the domain`,
      money((u) => baseTotal(u) + domainAt(1) + regionsCost({ ...scenario, users: u }, loadAt(u), capacity, prices, regions).total + domainAt(regions) - domainAt(1)),
    );
  }
  console.log(
    '  Requests, Lambda time and reads are shared between the regions, not multiplied. Not counted: adding a region to a table\n' +
      '  with data (billed like a restore, per GB), calls made across regions to a home region (docs/multi-region.md), and the\n' +
      `  health checkers' real request rate (AWS gives none; ${healthRequestsPerSecond}/s per region assumed).`,
  );
}

function printScalingLevers(scenario: Omit<Scenario, 'users'>, users: readonly number[]): void {
  const width = 58;
  const column = (text: string) => text.padStart(18);
  const row = (name: string, cells: string[]) => console.log(`${name.padEnd(width)}${cells.map(column).join('')}`);
  const bills = users.map((u) => {
    const full = { ...scenario, users: u };
    return billOf(full, loadOf(full, capacity), capacity, prices);
  });
  const throughput = bills.map((b) => b.components.filter((c) => c.name === 'DynamoDB reads' || c.name === 'DynamoDB writes').reduce((s, c) => s + c.dollars, 0));
  const breakEven = capacityModeBreakEven(prices);

  console.log('\nDynamoDB capacity mode: on demand (this design) or provisioned with auto-scaling');
  console.log(
    `  Provisioned costs no more than on demand above ${percent(breakEven.writes)} average use of the capacity for writes, ` +
      `${percent(breakEven.reads)} for reads (on demand costs ${count(1 / breakEven.writes, 2)}x provisioned used fully).`,
  );
  row('', users.map((u) => `${count(u)} users`));
  row('  on-demand reads and writes (as above)', throughput.map((d) => dollars(d)));
  for (const use of [0.5, 0.7]) {
    row(
      `  provisioned at ${percent(use)} average use`,
      throughput.map((d, i) => {
        const cost = provisionedThroughputCost(d, breakEven.writes, use);
        return `${dollars(cost)} (${signedPercent((cost - d) / bills[i]!.total)})`;
      }),
    );
  }
  console.log('  (change relative to the whole monthly total; auto-scaling follows traffic in minutes, so bursts above the capacity are throttled)');

  const sites = adapterReadSites();
  const cached = sites.filter((s) => !s.consistent).length;
  console.log('\nDAX (a cache in front of DynamoDB, in a VPC)');
  console.log(
    `  Reads DAX could serve from its cache: ${cached} of the adapter's ${sites.length} read sites are eventually consistent ` +
      '(scripts/readConsistency.ts): the push read of connections, a hint a cache would make staler; DAX passes strongly consistent reads through, so it saves ≈ $0 of reads.',
  );
  console.log(`  Its cost: 3 dax.t3.small nodes ${dollars(daxCost(prices, 3, 1))} a month per region (unverified price), and every function in a VPC.`);

  const accelerator = globalAcceleratorCost(prices, 0);
  console.log('\nGlobal Accelerator');
  console.log(
    `  ${dollars(accelerator.low)} a month an accelerator, plus ${dollars(prices.switches.globalAcceleratorPerGb.low, 3)} to ` +
      `${dollars(prices.switches.globalAcceleratorPerGb.high, 3)} per GB (unverified); its endpoints are load balancers, EC2 instances and ` +
      'Elastic IPs, so it cannot front an HTTP or WebSocket API (SCALING.md).',
  );
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8'));
}

function count(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function dollars(value: number, digits = 2): string {
  const text = `$${Math.abs(value).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })}`;
  return value < 0 ? `-${text}` : text;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}

function signedPercent(change: number): string {
  return `${change >= 0 ? '+' : '-'}${Math.abs(change * 100).toFixed(Math.abs(change) < 0.001 ? 2 : Math.abs(change) < 0.01 ? 1 : 0)}%`;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) fail(`--${name} must be a positive number (got "${text}")`);
  return value;
}

function atLeastZero(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) fail(`--${name} must be a number of at least 0 (got "${text}")`);
  return value;
}

function share(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) fail(`--${name} must be a share from 0 to 1 (got "${text}")`);
  return value;
}

function oneOf<T extends string>(name: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) fail(`--${name} must be one of ${allowed.join(', ')} (got "${text}")`);
  return text as T;
}
