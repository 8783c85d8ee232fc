// The Lambda artifact: every handler of src/adapters/lambda/handlers.ts in one minified ES module
// (handlers.mjs, with its source map), plus a chunk per module it imports only when needed (the
// SSM client that reads the token secret, the X-Ray tracer), zipped as dist/lambda.zip for
// Terraform to upload to every
// function (infra/terraform: handler "handlers.<export>", runtime nodejs24.x), built for that
// runtime's Node (LAMBDA_NODE_MAJOR).
//   npm run build:lambda            builds it and prints its size
// buildLambda() is also what the tests call, so they load the artifact that gets deployed.
import { build } from 'esbuild';
import { zipSync } from 'fflate';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LAMBDA_NODE_MAJOR, bundleOptions } from './bundleOptions.mjs';

export const LAMBDA_ENTRY = 'src/adapters/lambda/handlers.ts';
/** Where Terraform takes the artifact from (infra/terraform/main.tf, local.lambda_zip). */
export const LAMBDA_ZIP = 'dist/lambda.zip';
/** The module file inside the zip: Lambda's handler setting is `<file name without .mjs>.<export>`. */
export const LAMBDA_MODULE = 'handlers.mjs';

// A fixed date and mode for every entry, so the same bundle always makes the same zip (Terraform
// redeploys when the zip's hash changes) and Lambda can read the files whoever built them.
const ZIP_ENTRY = { mtime: new Date(2000, 0, 1), os: 3, attrs: (0o100644 << 16) >>> 0 }; // a regular file, rw-r--r--

/**
 * Builds the bundle under `outDir`/lambda and zips it as `outDir`/lambda.zip.
 * `trim: false` builds it as esbuild does by default (class-validator's CommonJS build), for
 * measuring what the trimming saves (scripts/coldStart.mjs --compare).
 */
export async function buildLambda({ outDir = 'dist', trim = true } = {}) {
  const bundleDir = join(outDir, 'lambda');
  rmSync(bundleDir, { recursive: true, force: true });
  mkdirSync(bundleDir, { recursive: true });
  const bundlePath = join(bundleDir, LAMBDA_MODULE);
  const result = await build({
    ...bundleOptions,
    ...(trim ? {} : { alias: {} }),
    target: `node${LAMBDA_NODE_MAJOR}`,
    entryPoints: { [LAMBDA_MODULE.replace(/\.mjs$/, '')]: LAMBDA_ENTRY },
    outdir: bundleDir,
    outExtension: { '.js': '.mjs' },
    // What handlers.ts imports with import() (the SSM client, Powertools Tracer) goes into chunks
    // of its own, read and compiled only when imported: every cold start pays for the code it
    // runs, not for the bytes of what it might.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    // Stack traces in CloudWatch name source files and lines (Lambda runs with
    // NODE_OPTIONS=--enable-source-maps); the sources themselves stay out of the zip.
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
  });
  writeFileSync(join(bundleDir, 'meta.json'), JSON.stringify(result.metafile));

  const bundle = readFileSync(bundlePath);
  const sourceMap = readFileSync(`${bundlePath}.map`);
  // Every output (the module, its chunks, their source maps) at its path inside the bundle folder.
  const files = Object.keys(result.metafile.outputs).map((path) => relative(bundleDir, path)).sort();
  const zip = zipSync(Object.fromEntries(files.map((file) => [file, [readFileSync(join(bundleDir, file)), ZIP_ENTRY]])), { level: 9 });
  const chunkBytes = files
    .filter((file) => file.endsWith('.mjs') && file !== LAMBDA_MODULE)
    .reduce((sum, file) => sum + readFileSync(join(bundleDir, file)).length, 0);
  const zipPath = join(outDir, 'lambda.zip');
  writeFileSync(zipPath, zip);

  // The bundle's entry in the metafile (its keys are paths relative to the working directory).
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint === LAMBDA_ENTRY);
  if (!output) throw new Error(`esbuild reported no output for ${LAMBDA_ENTRY}`);
  return {
    bundlePath,
    zipPath,
    bundleBytes: bundle.length,
    /** The chunks loaded only when imported (the SSM client, the tracer). */
    chunkBytes,
    /** Every file in the zip, by its path in it. */
    files,
    sourceMapBytes: sourceMap.length,
    zipBytes: zip.length,
    /** Names the bundle exports: the Lambda handlers (and `router`). */
    exports: output.exports,
    /** Every source file that went into the bundle. */
    inputs: Object.keys(output.inputs),
  };
}

export function kilobytes(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const built = await buildLambda();
  console.log(
    `${built.zipPath}: ${kilobytes(built.zipBytes)} ` +
      `(${LAMBDA_MODULE} ${kilobytes(built.bundleBytes)}, chunks loaded when needed ${kilobytes(built.chunkBytes)}, ` +
      `source map ${kilobytes(built.sourceMapBytes)})`,
  );
}
