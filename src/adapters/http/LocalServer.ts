// The local stand-in for API Gateway: a plain node:http server that hands each request, as an HTTP
// API 2.0 event (HttpApiEvent.ts), to the same handler Lambda runs and writes the result back.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import type { RefusedRequestCode } from '../lambda/refusedRequest.js';
import { MAX_BODY_BYTES } from '../lambda/requestBody.js';
import { STANDARD_HEADERS } from '../lambda/responses.js';
import { rawPathOf, toHttpApiEvent, type HttpApiEvent } from './HttpApiEvent.js';

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
  transportError: (
    code: RefusedRequestCode,
    requestId: string,
  ) => { statusCode: number; headers: Record<string, string>; body: string };
  /** Default 64 KiB, the API's body limit. */
  maxBodyBytes?: number;
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
// After a refusal the client may still be uploading; it only hears the answer if we keep reading
// (and discarding) instead of resetting the connection, but not for longer than this.
const REFUSAL_GRACE_MS = 2_000;

// Framing is the server's job, as it is API Gateway's: a handler's value would only corrupt it.
const HEADERS_NOT_FROM_HANDLER = new Set(['content-length', 'transfer-encoding', 'connection']);

export function createLocalServer(options: LocalServerOptions): http.Server {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));

  const server = http.createServer((req, res) => handleRequest(req, res));

  // Answer `Expect: 100-continue` ourselves so an oversized upload is refused before it starts.
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (declaredLength(req) <= maxBodyBytes) res.writeContinue();
    handleRequest(req, res);
  });

  function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const requestId = randomUUID();
    req.on('error', () => {
      // The client went away mid-upload; there is nobody left to answer.
    });

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
      const payload = writeResultHead(res, result);
      res.end(payload);
    } catch (error) {
      logFailure(req, requestId, error);
      sendInternalError(res, requestId);
    }
  }

  function logFailure(req: http.IncomingMessage, requestId: string, error: unknown): void {
    log(
      JSON.stringify({
        level: 'error',
        time: new Date().toISOString(),
        message: 'Unhandled error while serving a request',
        request_id: requestId,
        method: req.method,
        path: rawPathOf(req.url ?? '/'),
        // The name only: a message may carry storage text, and the stack never leaves the process.
        error: error instanceof Error ? error.name : typeof error,
      }),
    );
  }

  function writeResultHead(res: http.ServerResponse, result: LocalHttpResult): Buffer {
    for (const [name, value] of Object.entries(result.headers ?? {})) {
      if (!HEADERS_NOT_FROM_HANDLER.has(name.toLowerCase())) res.setHeader(name, String(value));
    }
    // Once the server is closing, a keep-alive connection must not outlive this response.
    if (!server.listening) res.setHeader('Connection', 'close');
    res.writeHead(result.statusCode);
    return Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  }

  function sendInternalError(res: http.ServerResponse, requestId: string): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (res.destroyed) return;
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    const body = JSON.stringify({ error: 'internal_error', message: 'Internal server error.', request_id: requestId });
    res.writeHead(500, { ...STANDARD_HEADERS, 'X-Request-Id': requestId });
    res.end(body);
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
      if (!res.destroyed && !res.writableEnded) res.end();
    };
    const grace = setTimeout(finish, REFUSAL_GRACE_MS);
    grace.unref();

    try {
      const payload = writeRefusalHead(res, options.transportError(code, requestId));
      // Sent now, ended later: node closes a `Connection: close` socket as soon as the response
      // ends, which would reset a client that is still uploading before it reads the answer.
      res.write(payload);
    } catch (error) {
      logFailure(req, requestId, error);
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

  function writeRefusalHead(
    res: http.ServerResponse,
    result: { statusCode: number; headers: Record<string, string>; body: string },
  ): Buffer {
    const payload = Buffer.from(result.body, 'utf8');
    for (const [name, value] of Object.entries(result.headers)) {
      if (!HEADERS_NOT_FROM_HANDLER.has(name.toLowerCase())) res.setHeader(name, value);
    }
    res.setHeader('Content-Length', payload.length);
    res.setHeader('Connection', 'close');
    res.writeHead(result.statusCode);
    return payload;
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
