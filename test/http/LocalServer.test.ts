import { expect } from 'chai';
import http from 'node:http';
import net from 'node:net';
import type { HttpApiEvent } from '../../src/adapters/http/HttpApiEvent.js';
import {
  startLocalServer,
  type LocalHttpResult,
  type RunningLocalServer,
  type StartLocalServerOptions,
} from '../../src/adapters/http/LocalServer.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ONE_MIB = 1024 * 1024;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

interface SendOptions {
  method?: string;
  headers?: http.OutgoingHttpHeaders;
  body?: string | Buffer;
  /** Send the body with `Transfer-Encoding: chunked` in pieces of this size. */
  chunkSize?: number;
  agent?: http.Agent | false;
}

/** One request over node:http, so the test decides the transfer encoding. */
function send(baseUrl: string, path: string, options: SendOptions = {}): Promise<Reply> {
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
function sendRaw(baseUrl: string, text: string): Promise<string> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(text));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
}

interface UploadOutcome extends Reply {
  /** How much of the body the client had written when the answer arrived. */
  answeredAfterBytes: number;
  /** Set when the connection failed under the client while it was still sending. */
  uploadError: string | undefined;
}

/**
 * Sends `body` in 16 KiB writes and keeps sending after the answer arrives, as a client does that
 * reads the answer only once its upload is done.
 */
async function uploadPastAnswer(
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

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('LocalServer', () => {
  let events: HttpApiEvent[];
  let respond: (event: HttpApiEvent) => Promise<LocalHttpResult>;
  let tooLargeIds: string[];
  let logLines: string[];
  let server: RunningLocalServer;

  async function start(overrides: Partial<StartLocalServerOptions> = {}): Promise<RunningLocalServer> {
    server = await startLocalServer({
      port: 0,
      host: '127.0.0.1',
      handler: (event) => {
        events.push(event);
        return respond(event);
      },
      payloadTooLarge: (requestId) => {
        tooLargeIds.push(requestId);
        return {
          statusCode: 413,
          headers: { 'Content-Type': 'application/json', 'X-Request-Id': requestId },
          body: JSON.stringify({ error: 'payload_too_large', message: 'The request body is too large.' }),
        };
      },
      log: (line) => logLines.push(line),
      ...overrides,
    });
    return server;
  }

  beforeEach(async () => {
    events = [];
    tooLargeIds = [];
    logLines = [];
    respond = async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' });
    await start();
  });

  afterEach(async () => {
    await server.close();
  });

  describe('startLocalServer', () => {
    it('reports a localhost URL with the port it actually bound when asked for port 0', async () => {
      const match = /^http:\/\/localhost:(\d+)$/.exec(server.url);
      expect(match, server.url).to.not.equal(null);
      expect(Number(match![1])).to.be.greaterThan(0);

      const reply = await send(server.url, '/health');
      expect(reply.status).to.equal(200);
    });
  });

  describe('the event handed to the handler', () => {
    it('is built from the request as it arrived: method, path, headers, body, client address and a fresh id', async () => {
      const json = '{"message":"héllo ✓"}';
      await sendRaw(
        server.url,
        'POST /send_message?x=1 HTTP/1.1\r\nHost: localhost\r\nAccept: text/plain\r\nAccept: application/json\r\n' +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
      );
      await send(server.url, '/health');

      const [event, next] = events;
      expect(event!.requestContext.http.method).to.equal('POST');
      expect(event!.rawPath).to.equal('/send_message');
      expect(event!.rawQueryString).to.equal('x=1');
      expect(event!.headers['accept']).to.equal('text/plain, application/json');
      expect(event!.body).to.equal(json);
      expect(event!.requestContext.http.sourceIp).to.equal('127.0.0.1');
      expect(event!.requestContext.requestId).to.match(UUID);
      expect(next!.requestContext.requestId).to.match(UUID).and.not.equal(event!.requestContext.requestId);
    });

    it('passes a chunked body within the limit like any other', async () => {
      const json = JSON.stringify({ message: 'x'.repeat(10_000) });
      await send(server.url, '/send_message', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: json,
        chunkSize: 1000,
      });

      expect(events[0]!.headers['transfer-encoding']).to.equal('chunked');
      expect(events[0]!.body).to.equal(json);
    });
  });

  describe('the response written back', () => {
    it('carries the status, headers and body the handler returned', async () => {
      respond = async () => ({
        statusCode: 404,
        headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req-42' },
        body: '{"error":"not_found"}',
      });

      const reply = await send(server.url, '/nope', { method: 'POST', body: '{}' });

      expect(reply.status).to.equal(404);
      expect(reply.headers['content-type']).to.equal('application/json');
      expect(reply.headers['x-request-id']).to.equal('req-42');
      expect(reply.body.toString('utf8')).to.equal('{"error":"not_found"}');
    });

    it('decodes a base64 body the handler marked isBase64Encoded', async () => {
      const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
      respond = async () => ({
        statusCode: 200,
        headers: { 'Content-Type': 'image/png' },
        body: bytes.toString('base64'),
        isBase64Encoded: true,
      });

      const reply = await send(server.url, '/logo.png');

      expect(reply.headers['content-type']).to.equal('image/png');
      expect(reply.body.equals(bytes)).to.equal(true);
    });
  });

  describe('the body limit', () => {
    it('answers 413 to a 1 MiB body declared by Content-Length, without calling the handler', async () => {
      const outcome = await uploadPastAnswer(server.url, '/send_message', Buffer.alloc(ONE_MIB, 'a'), { chunked: false });

      expect(outcome.status).to.equal(413);
      expect(outcome.headers['connection']).to.equal('close');
      expect(JSON.parse(outcome.body.toString('utf8'))).to.deep.equal({
        error: 'payload_too_large',
        message: 'The request body is too large.',
      });
      expect(tooLargeIds).to.have.length(1);
      expect(tooLargeIds[0]).to.match(UUID);
      expect(outcome.headers['x-request-id']).to.equal(tooLargeIds[0]);
      expect(events).to.have.length(0);
    });

    it('answers 413 to a 1 MiB chunked body once it passes the limit, without calling the handler', async () => {
      const outcome = await uploadPastAnswer(server.url, '/send_message', Buffer.alloc(ONE_MIB, 'a'), { chunked: true });

      expect(outcome.status).to.equal(413);
      expect(outcome.headers['connection']).to.equal('close');
      expect(outcome.headers['transfer-encoding']).to.equal(undefined);
      expect(tooLargeIds).to.have.length(1);
      expect(events).to.have.length(0);
    });

    for (const chunked of [false, true]) {
      it(`lets a client still sending a refused ${chunked ? 'chunked ' : ''}body finish instead of resetting it`, async () => {
        const outcome = await uploadPastAnswer(server.url, '/send_message', Buffer.alloc(ONE_MIB, 'a'), { chunked });

        expect(outcome.answeredAfterBytes, 'the answer came only after the whole upload').to.be.within(0, ONE_MIB - 1);
        expect(outcome.uploadError, 'the connection failed under the uploading client').to.equal(undefined);
        expect(outcome.status).to.equal(413);
      });
    }

    it('accepts a body of exactly maxBodyBytes and refuses one byte more', async () => {
      await server.close();
      await start({ maxBodyBytes: 16 });

      const atLimit = await send(server.url, '/echo', { method: 'POST', body: 'x'.repeat(16) });
      const overLimit = await send(server.url, '/echo', { method: 'POST', body: 'x'.repeat(17) });
      const overLimitChunked = await send(server.url, '/echo', { method: 'POST', body: 'x'.repeat(17), chunkSize: 4 });

      expect([atLimit.status, overLimit.status, overLimitChunked.status]).to.deep.equal([200, 413, 413]);
      expect(events.map((event) => event.body)).to.deep.equal(['x'.repeat(16)]);
    });

    it('refuses an oversized `Expect: 100-continue` upload before the client sends it', async () => {
      const { port } = new URL(server.url);
      const result = await new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
        let continued = false;
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/send_message',
            agent: false,
            headers: { 'Content-Type': 'application/json', 'Content-Length': ONE_MIB, Expect: '100-continue' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, continued }));
          },
        );
        req.on('continue', () => {
          continued = true;
          req.end(Buffer.alloc(ONE_MIB, 'a'));
        });
        req.on('error', reject);
      });

      expect(result).to.deep.equal({ status: 413, continued: false });
      expect(events).to.have.length(0);
    });
  });

  describe('a handler that throws', () => {
    it('answers 500 internal_error with the request id and no trace of the error', async () => {
      respond = async () => {
        throw new Error('DynamoDB said: secret table details');
      };

      const reply = await send(server.url, '/send_message', { method: 'POST', body: '{}' });

      const requestId = events[0]!.requestContext.requestId;
      expect(reply.status).to.equal(500);
      expect(JSON.parse(reply.body.toString('utf8'))).to.deep.equal({
        error: 'internal_error',
        message: 'Internal server error.',
        request_id: requestId,
      });
      expect(reply.headers['content-type']).to.equal('application/json');
      expect(reply.headers['cache-control']).to.equal('no-store');
      expect(reply.headers['x-content-type-options']).to.equal('nosniff');
      expect(reply.headers['x-request-id']).to.equal(requestId);
    });

    it('logs one JSON line with the request id and the error name, but neither stack nor message', async () => {
      respond = async () => {
        throw new TypeError('DynamoDB said: secret table details');
      };

      await send(server.url, '/send_message', { method: 'POST', body: '{}' });

      expect(logLines).to.have.length(1);
      const line = logLines[0]!;
      expect(line).to.not.include('\n');
      expect(JSON.parse(line)).to.include({
        level: 'error',
        request_id: events[0]!.requestContext.requestId,
        error: 'TypeError',
        path: '/send_message',
      });
      expect(line).to.not.include('secret');
      expect(line).to.not.match(/\bat .+:\d+:\d+/);
    });

    it('answers 500 when the handler resolves to something that is not a response', async () => {
      respond = async () => undefined as unknown as LocalHttpResult;

      const reply = await send(server.url, '/health');

      expect(reply.status).to.equal(500);
      expect(JSON.parse(reply.body.toString('utf8')).error).to.equal('internal_error');
    });
  });

  describe('close()', () => {
    it('closes idle keep-alive connections, resolves, and the port stops accepting', async () => {
      const agent = new http.Agent({ keepAlive: true });
      try {
        await send(server.url, '/health', { agent });
        const port = Number(new URL(server.url).port);

        const startedAt = Date.now();
        await server.close();
        expect(Date.now() - startedAt).to.be.lessThan(1000);

        const refused = await new Promise<string>((resolve) => {
          const socket = net.connect(port, '127.0.0.1', () => {
            socket.destroy();
            resolve('connected');
          });
          socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
        });
        expect(refused).to.equal('ECONNREFUSED');
      } finally {
        agent.destroy();
      }
    });

    it('waits for a request in flight to be answered before resolving', async () => {
      const release = deferred<void>();
      const handlerCalled = deferred<void>();
      respond = async () => {
        handlerCalled.resolve();
        await release.promise;
        return { statusCode: 200, headers: {}, body: 'done' };
      };
      const agent = new http.Agent({ keepAlive: true });
      try {
        const reply = send(server.url, '/slow', { agent });
        await handlerCalled.promise;

        let closed = false;
        const closing = server.close().then(() => (closed = true));
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(closed, 'closed before the in-flight request was answered').to.equal(false);

        release.resolve();
        expect((await reply).body.toString('utf8')).to.equal('done');
        const startedAt = Date.now();
        await closing;
        expect(Date.now() - startedAt, 'the keep-alive connection outlived its last response').to.be.lessThan(1000);
      } finally {
        agent.destroy();
      }
    });

    it('cuts off a request still running when the shutdown timeout passes', async () => {
      await server.close();
      await start({ shutdownTimeoutMs: 100 });
      const handlerCalled = deferred<void>();
      respond = () => {
        handlerCalled.resolve();
        return new Promise<LocalHttpResult>(() => {});
      };

      const reply = send(server.url, '/hangs').then(
        () => 'answered',
        (error: NodeJS.ErrnoException) => error.code,
      );
      await handlerCalled.promise;
      await server.close();

      expect(await reply).to.equal('ECONNRESET');
    });
  });
});
