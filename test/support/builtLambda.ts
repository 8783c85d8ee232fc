// The Lambda artifact, built once per test run into a temporary directory: tests load what
// `npm run build:lambda` ships, never a stale dist/, and leave dist/ alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLambda, type BuiltLambda } from '../../scripts/buildLambda.mjs';

let built: Promise<BuiltLambda> | undefined;

export function builtLambda(): Promise<BuiltLambda> {
  built ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'lambda-build-'));
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
    return buildLambda({ outDir });
  })();
  return built;
}
