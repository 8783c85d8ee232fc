// The structured log, through Powertools Logger: one JSON line per request (and per stream batch),
// plus the few warnings an operator must see. Every line has Powertools' keys (level, message,
// timestamp, service, and the invocation's cold_start, function_name, function_request_id...) and
// then only what is named here: never a password, hash, token, message text or stack trace.
// The local server writes the same lines through the same handlers (localInvocation.ts is its
// stand-in for Lambda's context), so both logs have one field set.
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { Logger, type LogItem } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { stdoutLine } from './BufferedLines.js';
import type { LogLevel } from './config.js';

// A type, not an interface, so that it is a LogAttributes as it is.
export type RequestLogEntry = {
  requestId: string;
  method: string;
  path: string;
  route?: string | undefined;
  status: number;
  durationMs: number;
  /** Error code of a failed request. */
  error?: string | undefined;
  /** Class name of an unexpected error (its message and stack stay in the process). */
  cause?: string | undefined;
  userId?: string | undefined;
};

/** What of Lambda's context the log reads (the local server's stand-in has the same). */
export type InvocationContext = Pick<
  Context,
  'functionName' | 'functionVersion' | 'invokedFunctionArn' | 'memoryLimitInMB' | 'awsRequestId'
>;

/**
 * The `write` of the LineLogger being constructed: Logger's constructor prints what it had to say
 * while setting up (an Advanced Logging Controls level above ours, say) before the subclass's
 * fields exist.
 */
let constructing: ((line: string) => void) | undefined;

/**
 * Powertools Logger writing its lines through `write` instead of its own console: by default the
 * process's batched stdout (BufferedLines: one write per turn of the event loop, which the local
 * server's throughput needs), in tests a list.
 */
class LineLogger extends Logger {
  // A plain field, not #write: printLog runs inside super(), where reading a private field throws.
  private readonly write: (line: string) => void;

  constructor(options: ConstructorParameters<typeof Logger>[0], write: (line: string) => void) {
    constructing = write;
    try {
      super(options);
    } finally {
      constructing = undefined;
    }
    this.write = write;
  }

  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    (this.write ?? constructing)(JSON.stringify(log.getAttributes()));
  }
}

export class RequestLog {
  private readonly logger: Logger;

  constructor(level: LogLevel, write: (line: string) => void = stdoutLine, serviceName = 'messaging-api') {
    this.logger = new LineLogger({ serviceName, logLevel: level === 'silent' ? 'SILENT' : 'INFO' }, write);
  }

  /**
   * The invocation the next lines belong to: Lambda's context (its request id, and whether this is
   * the instance's first, cold, invocation). Lambda runs one invocation at a time per instance; the
   * local server passes one constant context, so concurrent requests cannot mix theirs.
   */
  invocation(context: InvocationContext | undefined): void {
    if (context) this.logger.addContext(context as Context);
  }

  /** Fields left undefined are not written (the Logger drops empty keys before printing). */
  record(entry: RequestLogEntry): void {
    if (entry.status >= 500) this.logger.error('request', entry);
    else if (entry.status >= 400) this.logger.warn('request', entry);
    else this.logger.info('request', entry);
  }

  /** Something an operator must hear about: a start-up warning, a push that failed (by name only). */
  warn(message: string, attributes: LogAttributes = {}): void {
    this.logger.warn(message, attributes);
  }

  error(message: string, attributes: LogAttributes = {}): void {
    this.logger.error(message, attributes);
  }
}
