// Bundles the local server (dist/server/server.mjs) and the Lambda artifact (dist/lambda.zip, see
// buildLambda.mjs) with esbuild: the server for Node 20+, the Lambda bundle for its runtime's Node
// (nodejs24.x); the same code runs on both.
import { build } from 'esbuild';
import { bundleOptions } from './bundleOptions.mjs';
import { buildLambda } from './buildLambda.mjs';

await Promise.all([
  build({ ...bundleOptions, sourcemap: true, entryPoints: ['src/adapters/http/server.ts'], outfile: 'dist/server/server.mjs' }),
  buildLambda(),
]);
