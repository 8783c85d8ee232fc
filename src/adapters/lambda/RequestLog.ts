// One JSON line per request. Never a password, hash, token or stack trace: only what is named here.
import { stdoutLine } from './BufferedLines.js';
import type { LogLevel } from './config.js';

export interface RequestLogEntry {
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
}

export class RequestLog {
  constructor(
    private readonly level: LogLevel,
    private readonly write: (line: string) => void = stdoutLine,
  ) {}

  record(entry: RequestLogEntry): void {
    if (this.level === 'silent') return;
    const level = entry.status >= 500 ? 'error' : entry.status >= 400 ? 'warn' : 'info';
    this.write(JSON.stringify({ time: new Date().toISOString(), level, msg: 'request', ...entry }));
  }
}
