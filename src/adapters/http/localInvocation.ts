// The local server's stand-in for Lambda's invocation context, passed with every event so that
// the handlers log the same fields here as on Lambda (RequestLog). One constant context for the
// process: concurrent requests share it, so none can borrow another's. There is no Lambda request
// id here (each line's requestId is the request's own); cold_start is true on the first request.
import { totalmem } from 'node:os';
import type { InvocationContext } from '../lambda/RequestLog.js';

export const LOCAL_INVOCATION: InvocationContext = Object.freeze({
  functionName: 'local-server',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'local',
  memoryLimitInMB: String(Math.round(totalmem() / 2 ** 20)),
  awsRequestId: 'local',
});
