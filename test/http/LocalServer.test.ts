import { expect } from 'chai';
import http from 'node:http';
import net from 'node:net';
import type { LocalHttpResult } from '../../src/adapters/http/LocalServer.js';
import { send, sendRaw, uploadPastAnswer } from './clients.js';
import { localServerUnderTest, UUID } from './localServerUnderTest.js';

const ONE_MIB = 1024 * 1024;

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('LocalServer', () => {
  const under = localServerUnderTest();

  describe('startLocalServer', () => {
    it('reports a localhost URL with the port it actually bound when asked for port 0', async () => {
      const match = /^http:\/\/localhost:(\d+)$/.exec(under.server.url);
      expect(match, under.server.url).to.not.equal(null);
      expect(Number(match![1])).to.be.greaterThan(0);

      const reply = await send(under.server.url, '/health');
      expect(reply.status).to.equal(200);
    });
  });

  describe('the event handed to the handler', () => {
    it('is built from the request as it arrived: method, path, headers, body, client address and a fresh id', async () => {
      const json = '{"message":"héllo ✓"}';
      await sendRaw(
        under.server.url,
        'POST /send_message?x=1 HTTP/1.1\r\nHost: localhost\r\nAccept: text/plain\r\nAccept: application/json\r\n' +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
      );
      await send(under.server.url, '/health');

      const [event, next] = under.events;
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
      await send(under.server.url, '/send_message', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: json,
        chunkSize: 1000,
      });

      expect(under.events[0]!.headers['transfer-encoding']).to.equal('chunked');
      expect(under.events[0]!.body).to.equal(json);
    });
  });

  describe('the response written back', () => {
    it('carries the status, headers and body the handler returned', async () => {
      under.respond = async () => ({
        statusCode: 404,
        headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req-42' },
        body: '{"error":"not_found"}',
      });

      const reply = await send(under.server.url, '/nope', { method: 'POST', body: '{}' });

      expect(reply.status).to.equal(404);
      expect(reply.headers['content-type']).to.equal('application/json');
      expect(reply.headers['x-request-id']).to.equal('req-42');
      expect(reply.body.toString('utf8')).to.equal('{"error":"not_found"}');
    });

    it('decodes a base64 body the handler marked isBase64Encoded', async () => {
      const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
      under.respond = async () => ({
        statusCode: 200,
        headers: { 'Content-Type': 'image/png' },
        body: bytes.toString('base64'),
        isBase64Encoded: true,
      });

      const reply = await send(under.server.url, '/logo.png');

      expect(reply.headers['content-type']).to.equal('image/png');
      expect(reply.body.equals(bytes)).to.equal(true);
    });
  });

  describe('the body limit', () => {
    it('answers 413 to a 1 MiB body declared by Content-Length, without calling the handler', async () => {
      const outcome = await uploadPastAnswer(under.server.url, '/send_message', Buffer.alloc(ONE_MIB, 'a'), { chunked: false });

      expect(outcome.status).to.equal(413);
      expect(outcome.headers['connection']).to.equal('close');
      expect(JSON.parse(outcome.body.toString('utf8'))).to.deep.equal({
        error: 'payload_too_large',
        message: 'The body must be at most 65536 bytes (64 KiB).',
      });
      expect(outcome.headers['content-type']).to.equal('application/json');
      expect(outcome.headers['cache-control']).to.equal('no-store');
      expect(outcome.headers['x-content-type-options']).to.equal('nosniff');
      expect(under.refusals.map((refusal) => refusal.code)).to.deep.equal(['payload_too_large']);
      expect(under.refusals[0]!.requestId).to.match(UUID);
      expect(outcome.headers['x-request-id']).to.equal(under.refusals[0]!.requestId);
      expect(under.events).to.have.length(0);
    });

    it('answers 413 to a 1 MiB chunked body once it passes the limit, without calling the handler', async () => {
      const outcome = await uploadPastAnswer(under.server.url, '/send_message', Buffer.alloc(ONE_MIB, 'a'), { chunked: true });

      expect(outcome.status).to.equal(413);
      expect(outcome.headers['connection']).to.equal('close');
      expect(outcome.headers['transfer-encoding']).to.equal(undefined);
      expect(under.refusals.map((refusal) => refusal.code)).to.deep.equal(['payload_too_large']);
      expect(under.events).to.have.length(0);
    });

    for (const chunked of [false, true]) {
      it(`lets a client still sending a refused ${chunked ? 'chunked ' : ''}body finish instead of resetting it`, async () => {
        const outcome = await uploadPastAnswer(under.server.url, '/send_message', Buffer.alloc(ONE_MIB, 'a'), { chunked });

        expect(outcome.answeredAfterBytes, 'the answer came only after the whole upload').to.be.within(0, ONE_MIB - 1);
        expect(outcome.uploadError, 'the connection failed under the uploading client').to.equal(undefined);
        expect(outcome.status).to.equal(413);
      });
    }

    it('accepts a body of exactly maxBodyBytes and refuses one byte more', async () => {
      await under.restart({ maxBodyBytes: 16 });

      const atLimit = await send(under.server.url, '/echo', { method: 'POST', body: 'x'.repeat(16) });
      const overLimit = await send(under.server.url, '/echo', { method: 'POST', body: 'x'.repeat(17) });
      const overLimitChunked = await send(under.server.url, '/echo', { method: 'POST', body: 'x'.repeat(17), chunkSize: 4 });

      expect([atLimit.status, overLimit.status, overLimitChunked.status]).to.deep.equal([200, 413, 413]);
      expect(under.events.map((event) => event.body)).to.deep.equal(['x'.repeat(16)]);
    });

    it('refuses an oversized `Expect: 100-continue` upload before the client sends it', async () => {
      const { port } = new URL(under.server.url);
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
      expect(under.events).to.have.length(0);
    });
  });

  describe('a handler that throws', () => {
    it('answers 500 internal_error with the request id and no trace of the error', async () => {
      under.respond = async () => {
        throw new Error('DynamoDB said: secret table details');
      };

      const reply = await send(under.server.url, '/send_message', { method: 'POST', body: '{}' });

      const requestId = under.events[0]!.requestContext.requestId;
      expect(reply.status).to.equal(500);
      expect(JSON.parse(reply.body.toString('utf8'))).to.deep.equal({
        error: 'internal_error',
        message: `Something went wrong on our side. Quote request id ${requestId} if you report it.`,
        request_id: requestId,
      });
      expect(reply.body.toString('utf8')).not.to.contain('secret');
      expect(reply.headers['content-type']).to.equal('application/json');
      expect(reply.headers['cache-control']).to.equal('no-store');
      expect(reply.headers['x-content-type-options']).to.equal('nosniff');
      expect(reply.headers['x-request-id']).to.equal(requestId);
    });

    it('logs one JSON line with the request id and the error name, but neither stack nor message', async () => {
      under.respond = async () => {
        throw new TypeError('DynamoDB said: secret table details');
      };

      await send(under.server.url, '/send_message', { method: 'POST', body: '{}' });

      expect(under.logLines).to.have.length(1);
      const line = under.logLines[0]!;
      expect(line).to.not.include('\n');
      expect(JSON.parse(line)).to.include({
        level: 'error',
        request_id: under.events[0]!.requestContext.requestId,
        error: 'TypeError',
        path: '/send_message',
      });
      expect(line).to.not.include('secret');
      expect(line).to.not.match(/\bat .+:\d+:\d+/);
    });

    it('answers 500 when the handler resolves to something that is not a response', async () => {
      under.respond = async () => undefined as unknown as LocalHttpResult;

      const reply = await send(under.server.url, '/health');

      expect(reply.status).to.equal(500);
      expect(JSON.parse(reply.body.toString('utf8')).error).to.equal('internal_error');
    });
  });

  describe('close()', () => {
    it('closes idle keep-alive connections, resolves, and the port stops accepting', async () => {
      const agent = new http.Agent({ keepAlive: true });
      try {
        await send(under.server.url, '/health', { agent });
        const port = Number(new URL(under.server.url).port);

        const startedAt = Date.now();
        await under.server.close();
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
      under.respond = async () => {
        handlerCalled.resolve();
        await release.promise;
        return { statusCode: 200, headers: {}, body: 'done' };
      };
      const agent = new http.Agent({ keepAlive: true });
      try {
        const reply = send(under.server.url, '/slow', { agent });
        await handlerCalled.promise;

        let closed = false;
        const closing = under.server.close().then(() => (closed = true));
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
      await under.restart({ shutdownTimeoutMs: 100 });
      const handlerCalled = deferred<void>();
      under.respond = () => {
        handlerCalled.resolve();
        return new Promise<LocalHttpResult>(() => {});
      };

      const reply = send(under.server.url, '/hangs').then(
        () => 'answered',
        (error: NodeJS.ErrnoException) => error.code,
      );
      await handlerCalled.promise;
      await under.server.close();

      expect(await reply).to.equal('ECONNRESET');
    });
  });
});
