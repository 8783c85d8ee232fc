// npm run start:multi-region: the API active-active in two "regions" on this machine
// (docs/multi-region.md §8), for anyone to try: two DynamoDB Local (in memory, on loopback, for
// this user only), the replicator copying every write between them, a server per region and a
// proxy that sends each request to one of them. Ctrl-C stops everything.
//   PORT (3000)                 the proxy; the regions' servers take the next two ports
//   REPLICATION_DELAY_MS (500)  each write reaches the other region this much later...
//   REPLICATION_JITTER_MS (0)   ...give or take this much
//   REPLICATION_LAG_BOUND_MS (10000)  the servers' L: their cursors' settle window is 5 s + L
//   REGION_PROXY_MODE (random)  random or alternate
// The servers take the rest of the environment as `npm start` does (API_PROFILE, LOG_LEVEL,
// TOKEN_SECRET: one for both, random when unset).
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { startMultiRegion } from './multiRegionHarness.js';

const number = (name: string, fallback: number) => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a whole number of milliseconds (got "${value}")`);
  return Number(value);
};
const port = number('PORT', 3000);
const delayMs = number('REPLICATION_DELAY_MS', 500);
const jitterMs = number('REPLICATION_JITTER_MS', 0);
const lagBoundMs = number('REPLICATION_LAG_BOUND_MS', 10_000);
const mode = process.env.REGION_PROXY_MODE || 'random';
if (mode !== 'random' && mode !== 'alternate') throw new Error(`REGION_PROXY_MODE must be random or alternate (got "${mode}")`);

if (spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' }).status !== 0) process.exit(1);
const harness = await startMultiRegion({
  delayMs,
  jitterMs,
  lagBoundMs,
  proxyPort: port,
  serverPorts: [port + 1, port + 2],
  proxyMode: mode,
  seed: Date.now() % 2 ** 31,
  output: 'inherit',
  serverEnv: { TOKEN_SECRET: process.env.TOKEN_SECRET || randomBytes(32).toString('base64url') },
});
const [a, b] = harness.regions;
console.log(`
Two regions, active-active:
  ${a} (primary)  ${harness.urls[a]}   DynamoDB Local ${harness.endpoints[a]}
  ${b}            ${harness.urls[b]}   DynamoDB Local ${harness.endpoints[b]}
  proxy (${mode})  ${harness.proxyUrl}   each request to one region
Replication ${delayMs} ms ± ${jitterMs} ms between them; REPLICATION_LAG_BOUND_MS ${lagBoundMs} (settle window ${5_000 + lagBoundMs} ms).
Ctrl-C stops everything.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    void harness.stop().then(() => process.exit(0));
  });
}
