// `npm run bench`: what a request costs the API, in one run on this machine.
//   1. Throughput: requests per second and p50/p99 latency at 50 connections (autocannon) of the
//      local server as `npm start` runs it, each row as a share of a bare node:http server
//      measured in the same run (the ceiling: what this machine's node does with no API at all).
// Then whether each target holds. It takes about a minute and a half. Set BENCH_CPU_PROFILE_DIR
// to also get a CPU profile of the API server (node --cpu-prof) in that directory.
import { measureThroughput, ROW, type ThroughputRow } from './throughput.js';

/** Above this share of the machine taken by other processes, a row is marked as measured beside other work. */
const NOISY_SHARE = 0.05;

interface Target {
  readonly what: string;
  readonly holds: boolean;
  readonly measured: string;
}

const throughput = await measureThroughput({ profileDir: process.env.BENCH_CPU_PROFILE_DIR || undefined });
printThroughput(throughput);

const row = (label: string) => throughput.find((r) => r.label === label)!;
const targets: Target[] = [
  ratioTarget(row(ROW.tokenPoll), 0.5),
  ratioTarget(row(ROW.passwordPoll), 0.3),
  p99Target(row(ROW.tokenPoll), 20),
  p99Target(row(ROW.passwordPoll), 20),
];
printTargets(targets);

function printThroughput(rows: readonly ThroughputRow[]): void {
  console.log(`\nThroughput at 50 connections (autocannon, 10 s after 3 s of warm-up; storage: ${process.env.STORAGE || 'memory'})`);
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

function percent(share: number): string {
  return `${(share * 100).toFixed(0)}%`;
}

function ms(value: number): string {
  return `${value} ms`.padStart(6);
}

function ratioTarget(r: ThroughputRow, least: number): Target {
  return { what: `${r.label}: at least ${least} of the ceiling`, holds: r.failures === 0 && r.ratio >= least, measured: r.ratio.toFixed(2) };
}

function p99Target(r: ThroughputRow, underMs: number): Target {
  return { what: `${r.label}: p99 under ${underMs} ms`, holds: r.failures === 0 && r.p99Ms < underMs, measured: `${r.p99Ms} ms` };
}

function printTargets(all: readonly Target[]): void {
  console.log('\nTargets');
  for (const t of all) console.log(`  ${t.holds ? 'holds' : 'MISSED'}  ${t.what} (measured ${t.measured})`);
}
