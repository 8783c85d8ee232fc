// Bundles the Lambda handlers and the local server with esbuild: one ESM file each, for Node 20+
// (Lambda runs nodejs22.x; the same bundle runs on both).
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Some dependencies are CommonJS and require() Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

await Promise.all([
  build({ ...common, entryPoints: ['src/adapters/lambda/handlers.ts'], outfile: 'dist/lambda/handlers.mjs' }),
  build({ ...common, entryPoints: ['src/adapters/http/server.ts'], outfile: 'dist/server/server.mjs' }),
]);
