// The esbuild options both bundles share (the Lambda artifact and the local server), so that the
// local server runs the very code that AWS runs.

/**
 * class-validator's package.json points Node (and esbuild on platform 'node') at its CommonJS build,
 * whose index requires every validator it has, and with them all of `validator` and
 * `libphonenumber-js` (about 450 KB minified that no route uses). Its ES module build lets esbuild
 * keep only the decorators the DTOs import.
 */
export const TRIMMED_ALIASES = { 'class-validator': 'class-validator/esm2015/index.js' };

/**
 * The Node.js major of the Lambda runtime (infra/terraform: runtime nodejs<major>.x, the
 * Dockerfile's NODE_VERSION): the Lambda bundle is built for it. The local server's bundle is built
 * for the oldest Node the project runs on (package.json engines), 20.
 */
export const LAMBDA_NODE_MAJOR = 24;
export const LOCAL_NODE_TARGET = 'node20';

/** @type {import('esbuild').BuildOptions} */
export const bundleOptions = {
  bundle: true,
  platform: 'node',
  target: LOCAL_NODE_TARGET,
  format: 'esm',
  legalComments: 'none',
  logLevel: 'warning',
  alias: TRIMMED_ALIASES,
  // The ES module builds of the AWS SDK (and of inversify, jose...) let esbuild drop what the
  // DynamoDB adapter does not use: 545 KB instead of 741 KB minified, a 52 ms instead of 82 ms cold
  // start here. Node's own resolution would pick the CommonJS builds.
  mainFields: ['module', 'main'],
  // Some dependencies are CommonJS and require() Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};
