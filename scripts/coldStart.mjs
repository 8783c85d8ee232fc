// Cold start of the Lambda bundle: the time to import it in a fresh `node` process (read, parse,
// evaluate every module, build the container), which is what Lambda's INIT phase spends on our
// code before the first request. Each run is its own process; the median of the runs is reported.
//   node scripts/coldStart.mjs [--runs=N]             builds dist/lambda and measures it
//   node scripts/coldStart.mjs --compare [--runs=N]   also measures an untrimmed build, for contrast
// measureColdStart() is exported for `npm run bench` and anyone else who wants the number.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildLambda, kilobytes } from './buildLambda.mjs';

// Runs in the child: the clock starts after Node itself has booted, so only the bundle is timed.
const IMPORT_AND_TIME =
  'const started = performance.now(); await import(process.env.BUNDLE_URL); ' +
  'process.stdout.write(String(performance.now() - started));';

/**
 * Imports `bundlePath` in `runs` fresh processes and returns the median, fastest and slowest import
 * time in milliseconds. The environment is a laptop's (in-memory storage, a fixed TOKEN_SECRET, no
 * AWS_LAMBDA_FUNCTION_NAME) with Lambda's NODE_OPTIONS (source maps on).
 */
export function measureColdStart(bundlePath, { runs = 15 } = {}) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', IMPORT_AND_TIME], {
      encoding: 'utf8',
      env: {
        BUNDLE_URL: pathToFileURL(resolve(bundlePath)).href,
        NODE_OPTIONS: '--enable-source-maps',
        TOKEN_SECRET: 'cold-start-measurement-secret-of-32-bytes',
        LOG_LEVEL: 'silent',
      },
    });
    if (child.status !== 0) throw new Error(`importing ${bundlePath} failed: ${child.stderr}`);
    samples.push(Number(child.stdout));
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const medianMs = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { medianMs, minMs: sorted[0], maxMs: sorted[sorted.length - 1], runs };
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
