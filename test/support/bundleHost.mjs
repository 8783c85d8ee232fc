// The child side of BundleProcess.ts: imports the built Lambda bundle (BUNDLE_PATH) with nothing
// but node, then calls its exports on request, as Lambda's runtime would. Plain JavaScript on
// purpose: the bundle must run without the test suite's TypeScript loader.
import { pathToFileURL } from 'node:url';

const bundle = await import(pathToFileURL(process.env.BUNDLE_PATH).href);
const context = { functionName: 'bundle-test', awsRequestId: 'bundle-test', getRemainingTimeInMillis: () => 10_000 };

process.on('message', async ({ id, handler, event }) => {
  try {
    if (handler === undefined) {
      process.send({ id, result: Object.fromEntries(Object.entries(bundle).map(([name, value]) => [name, typeof value])) });
      return;
    }
    if (typeof bundle[handler] !== 'function') throw new Error(`the bundle exports no function named ${handler}`);
    process.send({ id, result: await bundle[handler](event, context) });
  } catch (error) {
    process.send({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
process.send({ ready: true });
