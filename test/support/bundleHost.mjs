// The child side of BundleProcess.ts: imports the built Lambda bundle (BUNDLE_PATH) with nothing
// but node, then calls its exports on request, as Lambda's runtime would. Plain JavaScript on
// purpose: the bundle must run without the test suite's TypeScript loader.
import { pathToFileURL } from 'node:url';

const bundle = await import(pathToFileURL(process.env.BUNDLE_PATH).href);
// A context as Lambda passes one (what Powertools Logger reads of it, and the rest).
const context = {
  functionName: 'bundle-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:bundle-test',
  memoryLimitInMB: '512',
  awsRequestId: 'bundle-test',
  logGroupName: '/aws/lambda/bundle-test',
  logStreamName: '2026/12/03/[$LATEST]0123456789abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
};

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
