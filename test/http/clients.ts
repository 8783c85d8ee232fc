// How the local-server tests talk to it: node:http when the test decides the transfer encoding,
// raw sockets for bytes node:http would never send.
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
