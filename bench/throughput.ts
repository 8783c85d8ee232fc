// The throughput table of `npm run bench`: the local server exactly as `npm start` runs it (the
// built dist/server/server.mjs, production log level and scrypt cost) in one child process, a
// bare node:http server in another as the ceiling, and autocannon in this process against each.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchClient } from './BenchClient.js';
import { startChildServer, type ChildServer } from './childServer.js';
import { loadTest, type LoadRequest, type LoadResult } from './loadTest.js';

export interface ThroughputRow extends LoadResult {
  readonly label: string;
  /** Requests per second as a share of the ceiling's. */
  readonly ratio: number;
}

export const ROW = {
  ceiling: 'bare node:http server (ceiling, best of 2)',
  tokenPoll: 'check_messages, token',
  passwordPoll: 'check_messages, cached password',
  send: 'send_message, token',
  groupSend: 'send_group_message to 10 members, token',
} as const;

const SERVER = fileURLToPath(new URL('../dist/server/server.mjs', import.meta.url));
const CEILING = fileURLToPath(new URL('./ceilingServer.ts', import.meta.url));
const PASSWORD = 'a bench password';
/** Messages already in the poller's inbox: its cursor is a real one, after some history. */
const HISTORY = 1_000;
const GROUP_MEMBERS = 10;
const TEXT = 'Are we still on for tomorrow? Bring the charts, I have the room booked.';
/** A message is settled this long after its timestamp (Limits.lateWriteWindowMs), plus a margin. */
const SETTLE_MS = 5_500;

/**
 * `profileDir`, when given, makes the API server write a CPU profile (node --cpu-prof) there when
 * it stops. Expects `dist/server/server.mjs` to be built.
 */
export async function measureThroughput(options: { profileDir?: string | undefined } = {}): Promise<ThroughputRow[]> {
  const logs = mkdtempSync(join(tmpdir(), 'messaging-bench-'));
  const profiling = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const api = await startChildServer(
    [...profiling, SERVER],
    {
      ...process.env,
      PORT: '0',
      // As in production: one log line per request, full scrypt cost. A cached password or token
      // skips scrypt after the first check, which is what the poll rows measure.
      LOG_LEVEL: 'info',
      SCRYPT_COST: 'owasp',
      // The scene registers a dozen users from one address.
      REGISTER_PER_MINUTE: '100000',
      TOKEN_SECRET: 'the benchmark token secret, 32 bytes or more',
    },
    join(logs, 'api.log'),
  );
  const results = new Map<string, LoadResult>();
  const ceilings: LoadResult[] = [];
  try {
    const scene = await setScene(new BenchClient(api.url));
    const measureCeiling = async () =>
      ceilings.push(
        await withCeiling(join(logs, 'ceiling.log'), (ceiling) => loadTest(ceiling, { path: '/check_messages', body: { cursor: scene.cursor } })),
      );
    // The ceiling runs while the poller's history settles, and again at the end: the better of
    // the two counts, so a burst of other work on the machine during one does not flatter the ratios.
    await measureCeiling();
    results.set(ROW.ceiling, ceilings[0]!);
    await scene.settled;
    const cursor = await new BenchClient(api.url).caughtUpCursor(scene.pollerToken);
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const requests: [string, LoadRequest][] = [
      [ROW.tokenPoll, { path: '/check_messages', body: { cursor }, headers: bearer(scene.pollerToken) }],
      [ROW.passwordPoll, { path: '/check_messages', body: { user_id: scene.pollerId, password: PASSWORD, cursor } }],
      [ROW.send, { path: '/send_message', body: { receiver_id: scene.receiverId, message: TEXT }, headers: bearer(scene.senderToken) }],
      [ROW.groupSend, { path: '/send_group_message', body: { group_id: scene.groupId, message: TEXT }, headers: bearer(scene.senderToken) }],
    ];
    for (const [label, request] of requests) results.set(label, await loadTest(api, request));
    await measureCeiling();
    results.set(ROW.ceiling, ceilings.reduce((best, run) => (run.requestsPerSecond > best.requestsPerSecond ? run : best)));
  } finally {
    await api.stop();
  }
  const ceiling = results.get(ROW.ceiling)!.requestsPerSecond;
  return [...results].map(([label, result]) => ({ label, ...result, ratio: result.requestsPerSecond / ceiling }));
}

interface Scene {
  readonly pollerId: string;
  readonly pollerToken: string;
  readonly senderToken: string;
  readonly receiverId: string;
  readonly groupId: string;
  /** A cursor of the poller's chain, for the ceiling's body (it is not read there). */
  readonly cursor: string;
  /** Resolves once the poller's history is older than the late-write window. */
  readonly settled: Promise<void>;
}

/**
 * A poller with history, a sender and a receiver, and a group of ten. Registrations and logins
 * hash at full cost (about a second each, two at a time), so this takes several seconds.
 */
async function setScene(client: BenchClient): Promise<Scene> {
  const [pollerId, senderId, receiverId, ...members] = await Promise.all(
    Array.from({ length: 3 + GROUP_MEMBERS - 1 }, () => client.register(PASSWORD)),
  );
  // Logging in also puts the poller's password in the server's verified-password cache.
  const [pollerToken, senderToken] = await Promise.all([client.login(pollerId!, PASSWORD), client.login(senderId!, PASSWORD)]);
  const { group_id: groupId } = await client.post('/create_group', { members }, senderToken);
  for (let sent = 0; sent < HISTORY; sent += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.post('/send_message', { receiver_id: pollerId, message: `history ${sent + i}` }, senderToken)),
    );
  }
  const settled = new Promise<void>((resolve) => setTimeout(resolve, SETTLE_MS));
  const { next_cursor: cursor } = await client.post('/check_messages', {}, pollerToken);
  return {
    pollerId: pollerId!,
    pollerToken,
    senderToken,
    receiverId: receiverId!,
    groupId: groupId as string,
    cursor: cursor as string,
    settled,
  };
}

async function withCeiling<T>(stdoutPath: string, measure: (ceiling: ChildServer) => Promise<T>): Promise<T> {
  const ceiling: ChildServer = await startChildServer(['--import', 'tsx', CEILING], process.env, stdoutPath);
  try {
    return await measure(ceiling);
  } finally {
    await ceiling.stop();
  }
}
