// The two local regions the tests of test/multiregion share (scripts/multiRegionHarness.ts):
// replication 200 ms ± 100 ms, a lag bound (L) of 2 s, so a settle window of 7 s; and a small
// HTTP client that names the region each request goes to.
import http from 'node:http';
import { startMultiRegion, type Harness, type HarnessOptions } from '../../scripts/multiRegionHarness.js';

/** Every link's replication delay and jitter (setup.ts sets them back after each test). */
export const DELAY_MS = 200;
export const JITTER_MS = 100;
export const LAG_BOUND_MS = 2_000;
/** SPEC's late-write window plus L: what a cursor holds unsettled with several regions. */
export const SETTLE_WINDOW_MS = 5_000 + LAG_BOUND_MS;
export const PASSWORD = 'correct horse battery';
/** Per-address checks of unknown user ids allowed a minute in the shared harness (the rate test's limit). */
export const UNKNOWN_USER_CHECKS_PER_MINUTE = 10;

/**
 * On globalThis: mocha loads the setup file (which stops it) and the suites through different
 * module instances of this file.
 */
const state = globalThis as { twoRegionsHarness?: Promise<Harness> | undefined };

export function harnessOptions(overrides: HarnessOptions = {}): HarnessOptions {
  return {
    delayMs: DELAY_MS,
    jitterMs: JITTER_MS,
    lagBoundMs: LAG_BOUND_MS,
    ...overrides,
    serverEnv: {
      SCRYPT_COST: 'test',
      LOG_LEVEL: 'info',
      REGISTER_PER_MINUTE: '100000',
      UNKNOWN_USER_CHECKS_PER_MINUTE: String(UNKNOWN_USER_CHECKS_PER_MINUTE),
      // The app's metrics (EMF lines on stdout), so a test can see LateReplicatedInbox counted.
      POWERTOOLS_METRICS_DISABLED: 'false',
      ...overrides.serverEnv,
    },
  };
}

/** The harness every suite here shares, started once. */
export function sharedHarness(): Promise<Harness> {
  state.twoRegionsHarness ??= startMultiRegion(harnessOptions());
  return state.twoRegionsHarness;
}

/** The shared harness with its two regions (a, b) and their API URLs (A, B), for a suite's `before`. */
export async function twoRegions(): Promise<{ h: Harness; a: string; b: string; A: string; B: string }> {
  const h = await sharedHarness();
  const [a, b] = h.regions as [string, string];
  return { h, a, b, A: h.urls[a]!, B: h.urls[b]! };
}

/** Neither region sees the other's writes until resumed (setup.ts resumes after each test). */
export function partition(h: Harness): void {
  const [a, b] = h.regions as [string, string];
  h.replicator.pause(a, b);
  h.replicator.pause(b, a);
}

export async function currentHarness(): Promise<Harness | undefined> {
  return state.twoRegionsHarness;
}

export async function stopSharedHarness(): Promise<void> {
  const running = state.twoRegionsHarness;
  state.twoRegionsHarness = undefined;
  if (running) await (await running).stop();
}

export interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: any;
}

/**
 * POSTs JSON to `baseUrl` (a region's server), from `localAddress` when given (another loopback
 * address is another client address to the server's per-address limits).
 */
export function post(baseUrl: string, path: string, body: unknown, options: { headers?: Record<string, string>; localAddress?: string } = {}): Promise<Answer> {
  const url = new URL(path, baseUrl);
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(payload.length), ...options.headers },
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The body of a 200, or a failed test naming what answered otherwise. */
export function ok(answer: Answer, what: string): any {
  if (answer.status !== 200) throw new Error(`${what}: expected 200, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export async function register(baseUrl: string): Promise<string> {
  return ok(await post(baseUrl, '/register_user', { password: PASSWORD }), 'register_user').user_id as string;
}

export async function token(baseUrl: string, userId: string): Promise<string> {
  return ok(await post(baseUrl, '/login', { user_id: userId, password: PASSWORD }), 'login').token as string;
}

export function bearer(value: string): { headers: Record<string, string> } {
  return { headers: { authorization: `Bearer ${value}` } };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
