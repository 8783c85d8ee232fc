// The local stand-in for API Gateway: a plain node:http server that hands each request, as an HTTP
// API 2.0 event (HttpApiEvent.ts), to the same handler Lambda runs and writes the result back.
// This module wires the server together; each limit lives in a module of its own: the body
// (RequestBodyLimit), refusals and how long a refused client may stay (Refusals), a response
// nobody reads (SendDeadline), malformed HTTP (MalformedHttp), what is owed on a connection
// (OpenResponses), the static files (StaticSite) and the push connections (LocalWebSockets).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isIP } from 'node:net';
import type { RefusedRequestCode } from '../lambda/refusedRequest.js';
import { MAX_BODY_BYTES } from '../lambda/requestBody.js';
import { rawPathOf, toHttpApiEvent, type HttpApiEvent } from './HttpApiEvent.js';
import { serveManagement, type LocalManagement } from './LocalManagementApi.js';
import { attachWebSockets, type LocalWebSocketOptions } from './LocalWebSockets.js';
import { refusalFor } from './MalformedHttp.js';
import { OpenResponses } from './OpenResponses.js';
import { FRAMING_HEADERS, type RawResponse } from './rawHttpResponse.js';
import { REFUSAL_GRACE_MS, Refusals } from './Refusals.js';
import { declaredLength, receiveBody } from './RequestBodyLimit.js';
import { limitSendingTime, RESPONSE_TIMEOUT_MS } from './SendDeadline.js';
import { serveFile, type StaticSite } from './StaticSite.js';

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
  /** The two-region harness: other local servers close this one's WebSockets here (LocalManagementApi). */
  management?: LocalManagement;
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
// API Gateway's HTTP API quota: 10240 bytes for the request line and header values together.
// node counts the request target, header names and values against its maxHeaderSize. The number
// of headers needs no bound of its own: each costs at least a byte of this, and node keeps 2000 at most.
const MAX_HEADER_BYTES = 10_240;
// Each connection holds a socket and a file descriptor, and push connections (WebSockets) stay open
// for hours: room for the 1,000 connected clients `npm run bench` measures push with, and far
// below the open-file limits of Linux machines (raise `ulimit -n` where it is 1,024).
export const MAX_CONNECTIONS = 2_048;

/** What ends a server's WebSockets, which server.close() does not know of. */
const webSocketClosers = new WeakMap<http.Server, () => void>();

export function createLocalServer(options: LocalServerOptions): http.Server {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const responseTimeoutMs = options.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS;
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const refusals = new Refusals({
    transportError: options.transportError,
    log,
    graceMs: options.refusalGraceMs ?? REFUSAL_GRACE_MS,
    responseTimeoutMs,
  });
  const openResponses = new OpenResponses();

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
  server.on('connect', (_req: http.IncomingMessage, socket: Socket) => refusals.answerRaw(socket, 'invalid_json'));

  // Malformed HTTP and timeouts: node would write a bare status line with no body.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (refusals.hasAnswered(socket)) return;
    const code = refusalFor(error);
    if (code === undefined || !socket.writable || !openResponses.nothingWrittenFor(socket)) {
      socket.destroy();
      return;
    }
    refusals.answerRaw(socket, code);
  });

  function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const requestId = randomUUID();
    openResponses.track(req.socket, res);
    req.on('error', () => {
      // The client went away mid-upload; there is nobody left to answer.
    });
    if (options.management && serveManagement(req, res, options.management)) return;
    const file = options.site?.get(rawPathOf(req.url ?? '/'));
    if (file) {
      if (req.method === 'GET' || req.method === 'HEAD') {
        serveFile(req, res, file);
        limitSendingTime(req.socket, res, responseTimeoutMs);
      } else {
        refusals.refuse(req, res, 'method_not_allowed', requestId);
      }
      return;
    }

    // RFC 9112 section 3.2: an HTTP/1.1 request without Host is malformed.
    if (req.httpVersionMajor === 1 && req.httpVersionMinor === 1 && req.headers.host === undefined) {
      refusals.refuse(req, res, 'invalid_json', requestId);
      return;
    }
    receiveBody(req, maxBodyBytes, {
      received: (body) => void respond(req, res, body, requestId),
      tooLarge: () => refusals.refuse(req, res, 'payload_too_large', requestId),
    });
  }

  async function respond(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, requestId: string): Promise<void> {
    try {
      const result = await options.handler(toHttpApiEvent(req, body, requestId));
      if (res.destroyed) return;
      writeResult(res, result);
      limitSendingTime(req.socket, res, responseTimeoutMs);
    } catch (error) {
      refusals.logFailure(error, requestId, req);
      refusals.internalError(req.socket, res, requestId);
    }
  }

  /**
   * The head and body in one go: headers handed to writeHead as one object (not one setHeader
   * call each, which node validates and stores twice), and a text body as the string it is, which
   * node sends with the head in a single write.
   */
  function writeResult(res: http.ServerResponse, result: LocalHttpResult): void {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.headers ?? {})) {
      if (!FRAMING_HEADERS.has(name.toLowerCase())) headers[name] = String(value);
    }
    // Once the server is closing, a keep-alive connection must not outlive this response.
    if (!server.listening) headers.Connection = 'close';
    res.writeHead(result.statusCode, headers);
    const body = result.body ?? '';
    res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
  }

  return server;
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

function publicUrl(host: string, port: number): string {
  const reachableAsLocalhost =
    host === '' || host === 'localhost' || host === '0.0.0.0' || host === '::' || host === '::1' || host.startsWith('127.');
  if (reachableAsLocalhost) return `http://localhost:${port}`;
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
