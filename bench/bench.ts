// `npm run bench`: what the API costs, in one run on this machine (about two minutes; up to four
// when other work on the machine makes rows run again).
//   1. Throughput: requests per second and p50/p99 latency at 50 connections (autocannon) of the
//      local server as `npm start` runs it, each row as a share of a bare node:http server
//      measured in the same run (the ceiling: what this machine's node does with no API at all).
//   2. History does not cost: a caught-up cursor poll against 100 and 100,000 messages of history.
//   3. Authenticating one poll, each way, in process at the production scrypt cost.
//   4. Cold start: the Lambda bundle's size and the time to import it in a fresh process, started
//      three ways: the token secret from the environment, from SSM (Powertools Parameters against a
//      stub endpoint on loopback) and with tracing on (Powertools Tracer).
//   5. Push latency: 1,000 WebSocket clients on the local server, from a send to each frame.
// The history is measured on the in-memory store and on DynamoDB Local (started here; needs Java).
// Then whether each target holds. Benchmarks report numbers; no test asserts a time. Set
// BENCH_CPU_PROFILE_DIR to also get a CPU profile of the API server (node --cpu-prof) there.
import { measureStartupVariants } from '../scripts/coldStart.mjs';
import { buildLambda, kilobytes } from '../scripts/buildLambda.mjs';
import { dynamoDbHistoryStore } from './dynamoDbHistoryStore.js';
import { DEFAULT_HISTORY, measureHistoryCost, memoryHistoryStore, type HistoryRow } from './historyCost.js';
import { measurePushLatency } from './pushLatency.js';
import { DEFAULT_LOAD } from './loadTest.js';
import { measurePollAuthCost, type AuthCostRow } from './pollAuthCost.js';
import { measureThroughput, ROW, type ThroughputRow } from './throughput.js';

/** Above this share of the machine taken by other processes, a row is marked as measured beside other work. */
const NOISY_SHARE = DEFAULT_LOAD.quietShare;
/** The targets. */
const TOKEN_POLL_RATIO = 0.5;
const PASSWORD_POLL_RATIO = 0.3;
const POLL_P99_MS = 20;
const HISTORY_RATIO = 1.25;

interface Target {
  readonly what: string;
  readonly holds: boolean;
  readonly measured: string;
}

// The SDK's notice that its releases after January 2027 need Node 22 (the Lambda runtime is 22) is
// not a result of this run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const throughput = await measureThroughput({ profileDir: process.env.BENCH_CPU_PROFILE_DIR || undefined });
printThroughput(throughput);

const history = await measureHistoryCost(memoryHistoryStore);
printHistory(memoryHistoryStore.name, history);
const dynamoDbStore = dynamoDbHistoryStore();
// A poll is a network round trip here: fewer samples, one poll each.
const dynamoDbHistory = await measureHistoryCost(dynamoDbStore, { ...DEFAULT_HISTORY, samples: 40, pollsPerSample: 1 });
printHistory(dynamoDbStore.name, dynamoDbHistory);

printAuthCost(await measurePollAuthCost());

const built = await buildLambda();
const startup = await measureStartupVariants(built.bundlePath, { runs: 15 });
console.log('\nCold start of the Lambda bundle (a fresh node process imports it: every module evaluated, the container built)');
console.log(
  `  dist/lambda/handlers.mjs ${kilobytes(built.bundleBytes)} (+ ${kilobytes(built.chunkBytes)} of chunks loaded when needed), ` +
    `dist/lambda.zip ${kilobytes(built.zipBytes)}`,
);
for (const [label, timing] of [
  ['token secret from the environment', startup.environment],
  ['token secret from SSM (stub endpoint)', startup.ssm],
  ['tracing on (Powertools Tracer)', startup.tracing],
] as const) {
  console.log(
    `  ${label.padEnd(40)} ${timing.medianMs.toFixed(1)} ms median of ${timing.runs} (${timing.minMs.toFixed(1)} to ${timing.maxMs.toFixed(1)} ms)`,
  );
}

const push = await measurePushLatency();
console.log(`\nPush latency on the local server (${push.clients} WebSocket clients connected, ${push.frames} frames)`);
console.log(
  `  from the send request to the frame: p50 ${push.p50Ms.toFixed(1)} ms, p99 ${push.p99Ms.toFixed(1)} ms ` +
    `(${percent(push.beforeAnswerShare)} of frames arrived before the sender had its answer)`,
);

const row = (label: string) => throughput.find((r) => r.label === label)!;
printTargets([
  ratioTarget(row(ROW.tokenPoll), TOKEN_POLL_RATIO),
  ratioTarget(row(ROW.passwordPoll), PASSWORD_POLL_RATIO),
  p99Target(row(ROW.tokenPoll), POLL_P99_MS),
  p99Target(row(ROW.passwordPoll), POLL_P99_MS),
  ...history.filter((r) => r.size !== DEFAULT_HISTORY.sizes[0]).map((r) => historyTarget(memoryHistoryStore.name, r)),
  ...dynamoDbHistory.filter((r) => r.size !== DEFAULT_HISTORY.sizes[0]).map((r) => historyTarget(dynamoDbStore.name, r)),
]);

function printThroughput(rows: readonly ThroughputRow[]): void {
  console.log(
    `\nThroughput at ${DEFAULT_LOAD.connections} connections (autocannon, ${DEFAULT_LOAD.seconds} s after ${DEFAULT_LOAD.warmUpSeconds} s of ` +
      `warm-up, run again when other processes took over ${percent(DEFAULT_LOAD.quietShare)} of the machine; storage: ${process.env.STORAGE || 'memory'})`,
  );
  console.log(
    `${'request'.padEnd(44)} ${'req/s'.padStart(8)} ${'p50'.padStart(6)} ${'p99'.padStart(6)} ${'ratio'.padStart(6)} ${'CPU/req'.padStart(8)}`,
  );
  for (const r of rows) {
    const notes = [
      r.failures > 0 ? `${r.failures} failed: not valid` : '',
      (r.othersCpuShare ?? 0) > NOISY_SHARE ? `other processes took ${percent(r.othersCpuShare!)} of the machine` : '',
    ].filter(Boolean);
    const cpu = r.serverCpuMicros === undefined ? '' : `${r.serverCpuMicros.toFixed(0)} µs`;
    console.log(
      `${r.label.padEnd(44)} ${r.requestsPerSecond.toFixed(0).padStart(8)} ${ms(r.p50Ms)} ${ms(r.p99Ms)} ${r.ratio.toFixed(2).padStart(6)} ${cpu.padStart(8)}` +
        (notes.length ? `  (${notes.join('; ')})` : ''),
    );
  }
  console.log("CPU/req: the server process's CPU time per answered request, which other work on the machine moves less than req/s.");
}

function printHistory(storage: string, rows: readonly HistoryRow[]): void {
  console.log(`\nHistory does not cost: a caught-up cursor poll (CheckMessages), median of interleaved timings (storage: ${storage})`);
  console.log(`${'window'.padEnd(40)} ${'history'.padStart(9)} ${'µs/poll'.padStart(9)} ${'ratio'.padStart(6)}`);
  for (const r of rows) {
    const window = r.seen === 0 ? 'settled (cursor carries no ids)' : `unsettled (cursor carries ${r.seen} ids)`;
    console.log(`${window.padEnd(40)} ${r.size.toLocaleString('en-US').padStart(9)} ${r.medianMicros.toFixed(2).padStart(9)} ${r.ratio.toFixed(2).padStart(6)}`);
  }
}

function printAuthCost(rows: readonly AuthCostRow[]): void {
  console.log('\nAuthenticating one poll, in process, production scrypt cost (the first poll of each way not counted)');
  for (const r of rows) {
    console.log(`  ${r.label.padEnd(42)} ${r.scryptPerPoll.toFixed(2).padStart(5)} scrypt/poll ${formatMicros(r.microsPerPoll).padStart(10)}/poll`);
  }
}

function formatMicros(micros: number): string {
  if (micros >= 10_000) return `${(micros / 1000).toFixed(0)} ms`;
  return micros >= 10 ? `${micros.toFixed(0)} µs` : `${micros.toFixed(1)} µs`;
}

function ms(value: number): string {
  return `${value} ms`.padStart(6);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(0)}%`;
}

function ratioTarget(r: ThroughputRow, least: number): Target {
  return { what: `${r.label}: at least ${least} of the ceiling`, holds: r.failures === 0 && r.ratio >= least, measured: r.ratio.toFixed(2) };
}

function p99Target(r: ThroughputRow, underMs: number): Target {
  return { what: `${r.label}: p99 under ${underMs} ms`, holds: r.failures === 0 && r.p99Ms < underMs, measured: `${r.p99Ms} ms` };
}

function historyTarget(storage: string, r: HistoryRow): Target {
  return {
    what: `${storage}, ${r.seen === 0 ? 'settled' : 'unsettled'} window: ${r.size.toLocaleString('en-US')} messages of history under ${HISTORY_RATIO} times ${DEFAULT_HISTORY.sizes[0]}`,
    holds: r.ratio < HISTORY_RATIO,
    measured: r.ratio.toFixed(2),
  };
}

function printTargets(all: readonly Target[]): void {
  console.log('\nTargets');
  for (const t of all) console.log(`  ${(t.holds ? 'holds' : 'MISSED').padEnd(6)} ${t.what} (measured ${t.measured})`);
}
