// Cold start of the Lambda bundle: the time to import it in a fresh `node` process (read, parse,
// evaluate every module, build the container), which is what Lambda's INIT phase spends on our
// code before the first request. Each run is its own process; the median of the runs is reported.
//   node scripts/coldStart.mjs [--runs=N]             builds dist/lambda and measures it
//   node scripts/coldStart.mjs --compare [--runs=N]   also measures an untrimmed build, for contrast
//   node scripts/coldStart.mjs --startup [--runs=N]   the same bundle started three ways, interleaved:
//       TOKEN_SECRET in the environment (the local path); the token secret read from SSM through
//       Powertools Parameters (TOKEN_SECRET_PARAMETER, a stub SSM endpoint on a loopback socket:
//       the SSM client's load and one real HTTP exchange, without AWS's network time); and with
//       tracing on (TRACING=on: Powertools Tracer and the X-Ray SDK loaded)
//   node scripts/coldStart.mjs --bundle=<path> [--runs=N]   measures an existing bundle
// measureColdStart() and measureStartupVariants() are exported for `npm run bench`.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildLambda, kilobytes } from './buildLambda.mjs';
import { startSsmStub } from './ssmStub.mjs';

// Runs in the child: the clock starts after Node itself has booted, so only the bundle is timed.
const IMPORT_AND_TIME =
  'const started = performance.now(); await import(process.env.BUNDLE_URL); ' +
  'process.stdout.write(String(performance.now() - started));';

/**
 * Imports `bundlePath` in `runs` fresh processes and returns the median, fastest and slowest import
 * time in milliseconds. The environment is a laptop's (in-memory storage, a fixed TOKEN_SECRET, no
 * AWS_LAMBDA_FUNCTION_NAME) with Lambda's NODE_OPTIONS (source maps on).
 */
export function measureColdStart(bundlePath, { runs = 15, env = {} } = {}) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(importOnce(bundlePath, env));
  return summary(samples);
}

function childEnvironment(bundlePath, env) {
  return {
    BUNDLE_URL: pathToFileURL(resolve(bundlePath)).href,
    NODE_OPTIONS: '--enable-source-maps',
    TOKEN_SECRET: 'cold-start-measurement-secret-of-32-bytes',
    LOG_LEVEL: 'silent',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...env,
  };
}

function importOnce(bundlePath, env) {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', IMPORT_AND_TIME], {
    encoding: 'utf8',
    env: childEnvironment(bundlePath, env),
  });
  if (child.status !== 0) throw new Error(`importing ${bundlePath} failed: ${child.stderr}`);
  return Number(child.stdout);
}

/** importOnce without blocking this process, whose event loop serves the SSM stub the child calls. */
async function importOnceAsync(bundlePath, env) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', IMPORT_AND_TIME], {
    env: childEnvironment(bundlePath, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let [stdout, stderr] = ['', ''];
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const [status] = await once(child, 'exit');
  if (status !== 0) throw new Error(`importing ${bundlePath} failed: ${stderr}`);
  return Number(stdout);
}

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const medianMs = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { medianMs, minMs: sorted[0], maxMs: sorted[sorted.length - 1], runs: samples.length };
}

/** The parameter the SSM stub serves, as infra/terraform names it. */
const TOKEN_SECRET_PARAMETER = '/messaging-api/token-secret';

/**
 * The bundle started three ways, each run of each way in turn (so that other work on the machine
 * falls on all three alike): the secret from the environment; from SSM (Powertools Parameters,
 * against a stub endpoint on loopback: a real socket and HTTP exchange, no AWS network time);
 * and with tracing on. Answers each way's timing.
 */
export async function measureStartupVariants(bundlePath, { runs = 15 } = {}) {
  const ssm = await startSsmStub({ [TOKEN_SECRET_PARAMETER]: 'cold-start-measurement-secret-from-ssm-0123' });
  try {
    const variants = {
      environment: {},
      ssm: {
        TOKEN_SECRET: '',
        TOKEN_SECRET_PARAMETER,
        AWS_ENDPOINT_URL_SSM: ssm.endpoint,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'cold-start',
        AWS_SECRET_ACCESS_KEY: 'cold-start',
      },
      tracing: { TRACING: 'on', AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR', AWS_XRAY_LOG_LEVEL: 'silent' },
    };
    const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
    for (let i = 0; i < runs; i++) {
      for (const [name, env] of Object.entries(variants)) samples[name].push(await importOnceAsync(bundlePath, env));
    }
    if (ssm.requests.length !== runs) throw new Error(`the SSM stub was asked ${ssm.requests.length} times in ${runs} starts`);
    return Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, summary(list)]));
  } finally {
    await ssm.close();
  }
}

export function formatColdStart(label, built, timing) {
  return (
    `${label}: ${kilobytes(built.bundleBytes)} bundle, ${kilobytes(built.zipBytes)} zip, ` +
    `cold start ${timing.medianMs.toFixed(1)} ms median of ${timing.runs} ` +
    `(${timing.minMs.toFixed(1)} to ${timing.maxMs.toFixed(1)} ms)`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 15);
  const existing = args.find((a) => a.startsWith('--bundle='))?.slice('--bundle='.length);
  if (existing) {
    const timing = measureColdStart(existing, { runs });
    console.log(`${existing}: cold start ${timing.medianMs.toFixed(1)} ms median of ${timing.runs} (${timing.minMs.toFixed(1)} to ${timing.maxMs.toFixed(1)} ms)`);
    process.exit(0);
  }
  if (args.includes('--startup')) {
    const built = await buildLambda();
    const timings = await measureStartupVariants(built.bundlePath, { runs });
    for (const [name, timing] of Object.entries(timings)) {
      console.log(`${name.padEnd(12)} ${timing.medianMs.toFixed(1)} ms median of ${timing.runs} (${timing.minMs.toFixed(1)} to ${timing.maxMs.toFixed(1)} ms)`);
    }
    process.exit(0);
  }
  const variants = args.includes('--compare')
    ? [
        ['untrimmed (class-validator CommonJS)', { trim: false }],
        ['trimmed (class-validator ESM)', { trim: true }],
      ]
    : [['dist/lambda', { trim: true }]];
  const scratch = mkdtempSync(join(tmpdir(), 'cold-start-'));
  try {
    for (const [label, options] of variants) {
      const built = args.includes('--compare')
        ? await buildLambda({ ...options, outDir: join(scratch, String(options.trim)) })
        : await buildLambda(options);
      console.log(formatColdStart(label, built, measureColdStart(built.bundlePath, { runs })));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
