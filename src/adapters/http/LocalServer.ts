// The local stand-in for API Gateway: a plain node:http server that hands each request, as an HTTP
// API 2.0 event (HttpApiEvent.ts), to the same handler Lambda runs and writes the result back.
// This module owns the connections: body limit, timeouts, bounds, malformed HTTP, shutdown.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isIP } from 'node:net';
import type { RefusedRequestCode } from '../lambda/refusedRequest.js';
import { MAX_BODY_BYTES } from '../lambda/requestBody.js';
import { rawPathOf, toHttpApiEvent, type HttpApiEvent } from './HttpApiEvent.js';
import { attachWebSockets, type LocalWebSocketOptions } from './LocalWebSockets.js';
import { rawHttpResponse, type RawResponse } from './rawHttpResponse.js';
import { CONTENT_SECURITY_POLICY, type StaticSite } from './StaticSite.js';

export interface LocalHttpResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

export type LocalHttpHandler = (event: HttpApiEvent) => Promise<LocalHttpResult>;

export interface LocalServerOptions {
  handler: LocalHttpHandler;
  /**
   * The API's answer to a request this server refuses itself (too large, unreadable, too slow),
   * so it has the body every other error has in the API's profile.
   */
  transportError: (code: RefusedRequestCode, requestId: string) => RawResponse;
  /** Default 64 KiB, the API's body limit. */
  maxBodyBytes?: number;
  /** Time to receive a request, headers and body; default 10 s (SPEC section 1). */
  requestTimeoutMs?: number;
  /** Time for a response, once written, to be taken by the client; default 10 s. */
  responseTimeoutMs?: number;
  /** How long a refused client may go on sending (discarded) so it can read the answer; default 2 s. */
  refusalGraceMs?: number;
  /** Open connections past which new ones are dropped; default 2,048. */
  maxConnections?: number;
  /** Files served as they are for GET and HEAD (the browser client, the API reference). */
  site?: StaticSite;
  /** The push connections at /ws, served like API Gateway's WebSocket API. */
  webSockets?: Omit<LocalWebSocketOptions, 'log'>;
  /** Receives one JSON line per unexpected failure; default writes it to stderr. */
  log?: (line: string) => void;
}

export interface StartLocalServerOptions extends LocalServerOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** How long close() waits for in-flight requests before cutting them off; default 5 s. */
  shutdownTimeoutMs?: number;
}

export interface RunningLocalServer {
  url: string;
  close(): Promise<void>;
}

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;
// SPEC section 1: the server gives up on a request whose body has not arrived within 10 seconds.
// Headers get the same budget (node allows 60 s by default, and 300 s for the whole request).
// An idle keep-alive connection is not a request: its clock starts with the next request's first
// byte, and node closes it after keepAliveTimeout (5 s) of silence.
const REQUEST_TIMEOUT_MS = 10_000;
// SPEC section 1 also gives up on a response nobody reads; it names no figure, so it gets the
// request's: a client that cannot take an answer in 10 s is not reading it.
const RESPONSE_TIMEOUT_MS = 10_000;
// After a refusal the client may still be uploading; it only hears the answer if we keep reading
// (and discarding) instead of resetting the connection, but not for longer than this.
const REFUSAL_GRACE_MS = 2_000;
// API Gateway's HTTP API quota: 10240 bytes for the request line and header values together.
// node counts the request target, header names and values against its maxHeaderSize. The number
// of headers needs no bound of its own: each costs at least a byte of this, and node keeps 2000 at most.
const MAX_HEADER_BYTES = 10_240;
// Each connection holds a socket and a file descriptor, and push connections (WebSockets) stay open
// for hours: room for the 1,000 connected clients `npm run bench` measures push with, and far
// below the open-file limits of Linux machines (raise `ulimit -n` where it is 1,024).
const MAX_CONNECTIONS = 2_048;

/** What ends a server's WebSockets, which server.close() does not know of. */
const webSocketClosers = new WeakMap<http.Server, () => void>();

// Framing is the server's job, as it is API Gateway's: a handler's value would only corrupt it.
const HEADERS_NOT_FROM_HANDLER = new Set(['content-length', 'transfer-encoding', 'connection']);

export function createLocalServer(options: LocalServerOptions): http.Server {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const responseTimeoutMs = options.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS;
  const refusalGraceMs = options.refusalGraceMs ?? REFUSAL_GRACE_MS;
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));

  // Responses created on each connection and not yet done: while one is owed or being sent, an
  // answer written straight onto the socket would corrupt it, so a failing connection is only cut.
  const openResponses = new WeakMap<Socket, Set<http.ServerResponse>>();
  // Connections already given a raw answer: the parser reports every later byte as a new error.
  const answered = new WeakSet<Socket>();

  const server = http.createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      // node looks for expired requests only this often (default every 30 s, which would stretch a
      // 10 s timeout to 40 s); a tenth of the timeout keeps the overshoot to a tenth.
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(requestTimeoutMs / 10))),
      // node refuses once the count reaches maxHeaderSize; + 1 lets exactly MAX_HEADER_BYTES through.
      maxHeaderSize: MAX_HEADER_BYTES + 1,
      // node would answer a missing Host with a bare 400; handleRequest answers it in JSON.
      requireHostHeader: false,
    },
    (req, res) => handleRequest(req, res),
  );
  server.maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  if (options.webSockets) webSocketClosers.set(server, attachWebSockets(server, { ...options.webSockets, log }));

  // Answer `Expect: 100-continue` ourselves so an oversized upload is refused before it starts.
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (declaredLength(req) <= maxBodyBytes) res.writeContinue();
    handleRequest(req, res);
  });
  // Any other expectation: node would answer a bare 417. The RFC lets a server ignore it instead.
  server.on('checkExpectation', (req: http.IncomingMessage, res: http.ServerResponse) => handleRequest(req, res));

  // Without a listener node drops a CONNECT without a word; it is a request this API cannot read.
  server.on('connect', (_req: http.IncomingMessage, socket: Socket) => answerRaw(socket, 'invalid_json'));

  // Malformed HTTP and timeouts: node would write a bare status line with no body.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (answered.has(socket)) return;
    const code = refusalFor(error);
    if (code === undefined || !socket.writable || !nothingWrittenFor(socket)) {
      socket.destroy();
      return;
    }
    answerRaw(socket, code);
  });

  function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const requestId = randomUUID();
    track(req.socket, res);
    req.on('error', () => {
      // The client went away mid-upload; there is nobody left to answer.
    });
    const file = (req.method === 'GET' || req.method === 'HEAD') && options.site?.get(rawPathOf(req.url ?? '/'));
    if (file) {
      res.writeHead(200, {
        'Content-Type': file.contentType,
        'Content-Length': file.body.length,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      });
      res.end(req.method === 'HEAD' ? undefined : file.body);
      limitSendingTime(req.socket, res);
      return;
    }

    // RFC 9112 section 3.2: an HTTP/1.1 request without Host is malformed.
    if (req.httpVersionMajor === 1 && req.httpVersionMinor === 1 && req.headers.host === undefined) {
      refuse(req, res, 'invalid_json', requestId);
      return;
    }
    if (declaredLength(req) > maxBodyBytes) {
      refuse(req, res, 'payload_too_large', requestId);
      return;
    }

    let chunks: Buffer[] = [];
    let received = 0;
    let rejected = false;
    req.on('data', (chunk: Buffer) => {
      if (rejected) return;
      received += chunk.length;
      if (received > maxBodyBytes) {
        rejected = true;
        chunks = [];
        refuse(req, res, 'payload_too_large', requestId);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (rejected) return;
      const body = Buffer.concat(chunks, received);
      chunks = [];
      void respond(req, res, body, requestId);
    });
  }

  async function respond(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
    requestId: string,
  ): Promise<void> {
    try {
      const result = await options.handler(toHttpApiEvent(req, body, requestId));
      if (res.destroyed) return;
      writeResult(res, result);
      limitSendingTime(req.socket, res);
    } catch (error) {
      logFailure(error, requestId, req);
      sendInternalError(req.socket, res, requestId);
    }
  }

  /** `req` is absent when node could not parse one. */
  function logFailure(error: unknown, requestId: string, req?: http.IncomingMessage): void {
    log(
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

  /**
   * The head and body in one go: headers handed to writeHead as one object (not one setHeader
   * call each, which node validates and stores twice), and a text body as the string it is, which
   * node sends with the head in a single write.
   */
  function writeResult(res: http.ServerResponse, result: LocalHttpResult): void {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.headers ?? {})) {
      if (!HEADERS_NOT_FROM_HANDLER.has(name.toLowerCase())) headers[name] = String(value);
    }
    // Once the server is closing, a keep-alive connection must not outlive this response.
    if (!server.listening) headers.Connection = 'close';
    res.writeHead(result.statusCode, headers);
    const body = result.body ?? '';
    res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
  }

  function sendInternalError(socket: Socket, res: http.ServerResponse, requestId: string): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (res.destroyed) return;
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    // From the API, so the profile shapes it like every other error.
    const answer = options.transportError('internal_error', requestId);
    res.writeHead(answer.statusCode, answer.headers);
    res.end(answer.body);
    limitSendingTime(socket, res);
  }

  /** Answers `code` and closes the connection, letting a client still sending finish first. */
  function refuse(req: http.IncomingMessage, res: http.ServerResponse, code: RefusedRequestCode, requestId: string): void {
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
        limitSendingTime(req.socket, res);
      }
    };
    const grace = setTimeout(finish, refusalGraceMs);
    grace.unref();

    try {
      const payload = writeRefusalHead(res, options.transportError(code, requestId));
      // Sent now, ended later: node closes a `Connection: close` socket as soon as the response
      // ends, which would reset a client that is still uploading before it reads the answer.
      res.write(payload);
    } catch (error) {
      logFailure(error, requestId, req);
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

  function writeRefusalHead(res: http.ServerResponse, result: RawResponse): Buffer {
    const payload = Buffer.from(result.body, 'utf8');
    for (const [name, value] of Object.entries(result.headers)) {
      if (!HEADERS_NOT_FROM_HANDLER.has(name.toLowerCase())) res.setHeader(name, value);
    }
    res.setHeader('Content-Length', payload.length);
    res.setHeader('Connection', 'close');
    res.writeHead(result.statusCode);
    return payload;
  }

  /**
   * Answers on the bare socket, for the moments node has no response object to write through.
   * The answer is followed by a half-close and a grace period of reading, not a reset: closing a
   * socket with unread input makes the kernel reset the connection, and the client may lose the
   * answer it has not read yet.
   */
  function answerRaw(socket: Socket, code: RefusedRequestCode): void {
    answered.add(socket);
    // node stops listening for errors on a socket it hands over (CONNECT); one must not crash us.
    socket.on('error', () => {});
    const requestId = randomUUID();
    let answer: Buffer;
    try {
      answer = rawHttpResponse(options.transportError(code, requestId));
    } catch (error) {
      logFailure(error, requestId);
      socket.destroy();
      return;
    }
    socket.end(answer);
    socket.resume();
    const grace = setTimeout(() => socket.destroy(), refusalGraceMs);
    grace.unref();
    socket.once('close', () => clearTimeout(grace));
  }

  /**
   * A client that does not take a response keeps its bytes in this process: cut it off after a
   * while. A response the kernel took whole holds nothing here (and node's keep-alive timeout
   * closes the idle connection), so it needs no timer: most responses, on every request.
   */
  function limitSendingTime(socket: Socket, res: http.ServerResponse): void {
    if (res.writableFinished || res.writableLength === 0) return;
    const deadline = setTimeout(() => socket.destroy(), responseTimeoutMs);
    deadline.unref();
    const clear = (): void => clearTimeout(deadline);
    res.once('finish', clear);
    res.once('close', clear);
  }

  function track(socket: Socket, res: http.ServerResponse): void {
    let open = openResponses.get(socket);
    if (!open) openResponses.set(socket, (open = new Set()));
    open.add(res);
    const forget = (): void => {
      open.delete(res);
    };
    res.once('finish', forget);
    res.once('close', forget);
  }

  /**
   * True when an answer written onto the socket now cannot land inside or ahead of another
   * response: the only one open, if any, is that of the request still arriving, and it has not
   * started. (A complete request's response is still owed, and must come first.)
   */
  function nothingWrittenFor(socket: Socket): boolean {
    for (const res of openResponses.get(socket) ?? []) if (res.headersSent || res.req.complete) return false;
    return true;
  }

  return server;
}

/** The refusal a node:http client error calls for, or undefined when the connection itself failed. */
function refusalFor(error: NodeJS.ErrnoException): RefusedRequestCode | undefined {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      // node's name for both its headers timeout and its request timeout.
      return 'request_timeout';
    case 'HPE_HEADER_OVERFLOW':
      return 'headers_too_large';
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      // Chunk extensions are part of the body, which is too large; node answers 413 here too.
      return 'payload_too_large';
  }
  // A system error (ECONNRESET, EPIPE, ...) leaves nobody to answer.
  if (error.syscall !== undefined || error.code === 'ECONNRESET') return undefined;
  // Bad or duplicate Content-Length, Content-Length with Transfer-Encoding, bad chunking, an
  // invalid method...: the body could not be read.
  return 'invalid_json';
}

export async function startLocalServer(options: StartLocalServerOptions): Promise<RunningLocalServer> {
  const server = createLocalServer(options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;

  let closing: Promise<void> | undefined;
  return {
    url: publicUrl(options.host, port),
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        const cutOff = setTimeout(() => server.closeAllConnections(), shutdownTimeoutMs);
        cutOff.unref();
        // Upgraded sockets are no longer the HTTP server's: it would wait for them forever.
        webSocketClosers.get(server)?.();
        server.close((error) => {
          clearTimeout(cutOff);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

function declaredLength(req: http.IncomingMessage): number {
  const header = req.headers['content-length'];
  return header === undefined ? 0 : Number(header);
}

function publicUrl(host: string, port: number): string {
  const reachableAsLocalhost =
    host === '' || host === 'localhost' || host === '0.0.0.0' || host === '::' || host === '::1' || host.startsWith('127.');
  if (reachableAsLocalhost) return `http://localhost:${port}`;
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
