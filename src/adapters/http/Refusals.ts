// The answers the local server gives itself, before or instead of the API: a refused request (too
// large, unreadable, too slow), a handler that failed, a refused WebSocket upgrade. Each is the
// API's JSON error, written so the client can read it, and each bounds how long the socket it was
// written on may stay: a refused client holds nothing for long.
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RefusedRequestCode } from '../lambda/refusedRequest.js';
import { rawPathOf } from './HttpApiEvent.js';
import { FRAMING_HEADERS, rawHttpResponse, type RawResponse } from './rawHttpResponse.js';
import { limitSendingTime } from './SendDeadline.js';

/**
 * After a refusal the client may still be uploading; it only hears the answer if we keep reading
 * (and discarding) instead of resetting the connection, but not for longer than this: time for a
 * local client to finish sending and read the answer (a judgement call).
 */
export const REFUSAL_GRACE_MS = 2_000;

/**
 * A refused upgrade (a GET with no body) has nothing more to send: its socket is destroyed as soon
 * as the answer is handed to the kernel, or after this long if the client does not even take that.
 */
const REFUSED_UPGRADE_MS = 1_000;

export interface RefusalOptions {
  /** The API's answer to a request the server refuses itself, so it has the profile's error body. */
  readonly transportError: (code: RefusedRequestCode, requestId: string) => RawResponse;
  readonly log: (line: string) => void;
  readonly graceMs: number;
  readonly responseTimeoutMs: number;
}

export class Refusals {
  /** Connections already given a raw answer: the parser reports every later byte as a new error. */
  private readonly answered = new WeakSet<Socket>();

  constructor(private readonly options: RefusalOptions) {}

  hasAnswered(socket: Socket): boolean {
    return this.answered.has(socket);
  }

  /** Answers `code` and closes the connection, letting a client still sending finish first. */
  refuse(req: http.IncomingMessage, res: http.ServerResponse, code: RefusedRequestCode, requestId: string): void {
    // Discard whatever is still coming so the client can finish sending and read the answer.
    req.resume();

    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(grace);
      // With `Connection: close`, ending the response makes node close the socket.
      if (!res.destroyed && !res.writableEnded) {
        res.end();
        limitSendingTime(req.socket, res, this.options.responseTimeoutMs);
      }
    };
    const grace = setTimeout(finish, this.options.graceMs);
    grace.unref();

    try {
      const payload = writeRefusalHead(res, this.options.transportError(code, requestId));
      // Sent now, ended later: node closes a `Connection: close` socket as soon as the response
      // ends, which would reset a client that is still uploading before it reads the answer.
      res.write(payload);
    } catch (error) {
      this.logFailure(error, requestId, req);
      res.destroy();
      finish();
      return;
    }
    if (req.complete) finish();
    else {
      req.once('end', finish);
      req.once('close', finish);
    }
  }

  /** A handler that threw: 500 from the API (so the profile shapes it), or a cut if the answer had begun. */
  internalError(socket: Socket, res: http.ServerResponse, requestId: string): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (res.destroyed) return;
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    const answer = this.options.transportError('internal_error', requestId);
    res.writeHead(answer.statusCode, answer.headers);
    res.end(answer.body);
    limitSendingTime(socket, res, this.options.responseTimeoutMs);
  }

  /**
   * Answers on the bare socket, for the moments node has no response object to write through (a
   * parse error, a timeout, a CONNECT). The answer is followed by a half-close and a grace period
   * of reading, not a reset: closing a socket with unread input makes the kernel reset the
   * connection, and the client may lose the answer it has not read yet.
   */
  answerRaw(socket: Socket, code: RefusedRequestCode): void {
    this.answered.add(socket);
    // node stops listening for errors on a socket it hands over (CONNECT); one must not crash us.
    socket.on('error', () => {});
    const requestId = randomUUID();
    let answer: Buffer;
    try {
      answer = rawHttpResponse(this.options.transportError(code, requestId));
    } catch (error) {
      this.logFailure(error, requestId);
      socket.destroy();
      return;
    }
    socket.end(answer);
    socket.resume();
    const grace = setTimeout(() => socket.destroy(), this.options.graceMs);
    grace.unref();
    socket.once('close', () => clearTimeout(grace));
  }

  /** `req` is absent when node could not parse one. */
  logFailure(error: unknown, requestId: string, req?: http.IncomingMessage): void {
    this.options.log(
      JSON.stringify({
        level: 'error',
        time: new Date().toISOString(),
        message: 'Unhandled error while serving a request',
        request_id: requestId,
        method: req?.method,
        path: req ? rawPathOf(req.url ?? '/') : undefined,
        // The name only: a message may carry storage text, and the stack never leaves the process.
        error: error instanceof Error ? error.name : typeof error,
      }),
    );
  }
}

/**
 * The answer to a WebSocket upgrade that is refused, then the socket is released (SPEC 8): node
 * would otherwise keep a socket whose client never closes its side, half-closed, for as long as
 * that client likes, holding a connection slot and a file descriptor.
 */
export function refuseUpgrade(socket: Duplex, answer: RawResponse): void {
  if (socket.destroyed) return;
  const release = setTimeout(() => socket.destroy(), REFUSED_UPGRADE_MS);
  release.unref();
  socket.once('close', () => clearTimeout(release));
  // Whatever else the client sends is read and dropped: unread input would turn the close into a reset.
  socket.resume();
  socket.end(rawHttpResponse(answer), () => socket.destroy());
}

function writeRefusalHead(res: http.ServerResponse, result: RawResponse): Buffer {
  const payload = Buffer.from(result.body, 'utf8');
  for (const [name, value] of Object.entries(result.headers)) {
    if (!FRAMING_HEADERS.has(name.toLowerCase())) res.setHeader(name, value);
  }
  res.setHeader('Content-Length', payload.length);
  res.setHeader('Connection', 'close');
  res.writeHead(result.statusCode);
  return payload;
}
