// How the local-server tests talk to it: node:http when the test decides the transfer encoding,
// raw sockets for bytes node:http would never send (malformed framing, slow or stalled clients).
import http from 'node:http';
import net from 'node:net';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface SendOptions {
  method?: string;
  headers?: http.OutgoingHttpHeaders;
  body?: string | Buffer;
  /** Send the body with `Transfer-Encoding: chunked` in pieces of this size. */
  chunkSize?: number;
  agent?: http.Agent | false;
}

/** One request over node:http, so the test decides the transfer encoding. */
export function send(baseUrl: string, path: string, options: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, baseUrl);
    const headers: http.OutgoingHttpHeaders = { ...options.headers };
    const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
    if (body && options.chunkSize === undefined) headers['content-length'] = body.length;
    const req = http.request(url, { method: options.method ?? 'GET', headers, agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    // A server that answers before reading the whole body may close while we still write: the
    // response, not the upload, is what the test looks at, so only a missing response fails.
    req.on('error', reject);
    if (body && options.chunkSize !== undefined) {
      for (let offset = 0; offset < body.length; offset += options.chunkSize) {
        req.write(body.subarray(offset, offset + options.chunkSize));
      }
    } else if (body) {
      req.write(body);
    }
    req.end();
  });
}

/** Bytes straight onto a socket, for header layouts an HTTP client would normalise. */
export function sendRaw(baseUrl: string, text: string): Promise<string> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(text));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
}

export interface UploadOutcome extends Reply {
  /** How much of the body the client had written when the answer arrived. */
  answeredAfterBytes: number;
  /** Set when the connection failed under the client while it was still sending. */
  uploadError: string | undefined;
}

/**
 * Sends `body` in 16 KiB writes and keeps sending after the answer arrives, as a client does that
 * reads the answer only once its upload is done.
 */
export async function uploadPastAnswer(
  baseUrl: string,
  path: string,
  body: Buffer,
  options: { chunked: boolean },
): Promise<UploadOutcome> {
  const chunkSize = 16 * 1024;
  let written = 0;
  let answeredAfterBytes = -1;
  let uploadError: string | undefined;
  let fail!: (reason: string) => void;
  const failure = new Promise<void>((resolve) => {
    fail = (reason) => {
      uploadError ??= reason;
      resolve();
    };
  });

  const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/json' };
  if (!options.chunked) headers['Content-Length'] = body.length;
  let answer!: (res: http.IncomingMessage) => void;
  const answered = new Promise<http.IncomingMessage>((resolve) => (answer = resolve));
  const req = http.request(new URL(path, baseUrl), { method: 'POST', headers, agent: false }, (res) => {
    answeredAfterBytes = written;
    answer(res);
  });
  req.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
  // Once a response has arrived node reports a dropped connection only as `close`.
  req.on('close', () => {
    if (!req.writableFinished) fail(`connection closed after ${written} of ${body.length} bytes`);
  });

  for (let offset = 0; offset < body.length && uploadError === undefined; offset += chunkSize) {
    const chunk = body.subarray(offset, offset + chunkSize);
    await Promise.race([new Promise((resolve) => req.write(chunk, resolve)), failure]);
    if (uploadError === undefined) written += chunk.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (uploadError === undefined) {
    await Promise.race([new Promise((resolve) => req.end(resolve)), failure]);
  }

  if (answeredAfterBytes === -1 && uploadError !== undefined) throw new Error(`no answer, the upload failed: ${uploadError}`);
  const res = await answered;
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('error', () => {});
    res.on('close', resolve);
  });
  return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), answeredAfterBytes, uploadError };
}

export interface RawExchange {
  /** Everything the server sent before the connection closed. */
  received: string;
  /** The error the connection ended with, if it did not end cleanly (ECONNRESET, ...). */
  error: string | undefined;
}

/**
 * Writes `bytes` on a new connection without ending it, as a client still in the middle of its
 * request, and reads until the server closes the connection. Never settles if the server never
 * closes it, so a test of a timeout fails by mocha's own timeout.
 */
export function exchangeRaw(baseUrl: string, bytes: string | Buffer): Promise<RawExchange> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(bytes));
    let received = '';
    let error: string | undefined;
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', (e: NodeJS.ErrnoException) => (error ??= e.code ?? e.message));
    socket.on('close', () => resolve({ received, error }));
  });
}

export interface RawReply {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
}

/** Splits one HTTP/1.1 response into status, headers and body; throws if there is none. */
export function parseRawReply(text: string): RawReply {
  const end = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/1.1 ') || end === -1) throw new Error(`not an HTTP/1.1 response: ${JSON.stringify(text)}`);
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, body: Buffer.from(text.slice(end + 4), 'latin1').toString('utf8') };
}
