// What a client can hold on the local server, and for how long: a request that never finishes
// arriving, a response never read, a refused upload that goes on, connections in bulk.
// Timeouts are configured short; the tests wait for them to pass but never measure them.
import { expect } from 'chai';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { once } from 'node:events';
import { createLocalServer } from '../../src/adapters/http/LocalServer.js';
import { exchangeRaw, parseRawReply, send } from './clients.js';
import { localServerUnderTest, secureApi, UUID } from './localServerUnderTest.js';

const SHORT_MS = 300;

function expectRequestTimeout(received: string): void {
  const reply = parseRawReply(received);
  expect(reply.status, received).to.equal(408);
  expect(reply.headers['content-type']).to.equal('application/json');
  expect(reply.headers['cache-control']).to.equal('no-store');
  expect(reply.headers['x-content-type-options']).to.equal('nosniff');
  expect(reply.headers['x-request-id']).to.match(UUID);
  expect(JSON.parse(reply.body)).to.include({ error: 'request_timeout' }).and.have.property('message').that.is.a('string');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LocalServer limits', () => {
  const under = localServerUnderTest({ requestTimeoutMs: SHORT_MS });
  // Run even when a test times out, so a limit that fails to act cannot keep mocha from exiting.
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  describe('a request that does not arrive in time', () => {
    it('answers 408 request_timeout in JSON to a body that stops arriving, without calling the handler', async () => {
      const { received } = await exchangeRaw(
        under.server.url,
        'POST /send_message HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"message":',
      );

      expectRequestTimeout(received);
      expect(under.refusals.map((refusal) => refusal.code)).to.deep.equal(['request_timeout']);
      expect(under.events).to.have.length(0);
    });

    it('answers 408 request_timeout to a chunked body whose last chunk never comes', async () => {
      const { received } = await exchangeRaw(
        under.server.url,
        'POST /send_message HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n',
      );

      expectRequestTimeout(received);
      expect(under.events).to.have.length(0);
    });

    it('answers 408 request_timeout to headers that never finish', async () => {
      const { received } = await exchangeRaw(under.server.url, 'POST /send_message HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');

      expectRequestTimeout(received);
    });

    it('answers 408 request_timeout to a connection that never sends a byte', async () => {
      const { received } = await exchangeRaw(under.server.url, '');

      expectRequestTimeout(received);
    });

    it('keeps an idle keep-alive connection across a pause longer than the request timeout', async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const request = () =>
          new Promise<{ status: number; reusedSocket: boolean }>((resolve, reject) => {
            const req = http.get(new URL('/health', under.server.url), { agent }, (res) => {
              res.resume();
              res.on('end', () => resolve({ status: res.statusCode ?? 0, reusedSocket: req.reusedSocket }));
            });
            req.on('error', reject);
          });

        const first = await request();
        await sleep(3 * SHORT_MS);
        const second = await request();

        expect(first).to.deep.equal({ status: 200, reusedSocket: false });
        expect(second, 'the same connection served the second request').to.deep.equal({ status: 200, reusedSocket: true });
      } finally {
        agent.destroy();
      }
    });
  });

  describe('a response nobody reads', () => {
    it('is cut off: the server destroys the connection, and serves the next request', async () => {
      const bigBody = 'x'.repeat(16 * 1024 * 1024);
      const server = createLocalServer({
        handler: async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: bigBody }),
        transportError: (code, requestId) => secureApi.transportError(code, requestId),
        responseTimeoutMs: SHORT_MS,
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      const accepted = once(server, 'connection') as Promise<[Socket]>;
      const client = net.connect(port, '127.0.0.1');
      cleanups.push(() => {
        client.destroy();
        server.closeAllConnections();
        server.close();
      });
      // A client that sends its request and never reads: the kernel buffers fill long before 16 MiB.
      client.pause();
      client.on('error', () => {});
      client.write('GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n');
      const [serverSocket] = await accepted;
      await once(serverSocket, 'close');

      let received = 0;
      client.on('data', (chunk: Buffer) => (received += chunk.length));
      client.resume();
      await once(client, 'close');
      expect(received, 'the client got only part of the answer').to.be.lessThan(bigBody.length);

      const next = await send(`http://127.0.0.1:${port}`, '/big');
      expect(next.status).to.equal(200);
      expect(next.body.length, 'a reading client still gets the whole answer').to.equal(bigBody.length);
    });
  });

  describe('a refused upload that goes on', () => {
    it('is answered 413 and cut off after the grace period, however long the client keeps sending', async () => {
      // A long request timeout, so that only the grace period can end this.
      await under.restart({ refusalGraceMs: SHORT_MS, requestTimeoutMs: 60_000 });
      const { port } = new URL(under.server.url);
      const client = net.connect(Number(port), '127.0.0.1');
      cleanups.push(() => client.destroy());
      let received = '';
      let sent = 0;
      client.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      client.on('error', () => {});
      const closed = once(client, 'close');
      client.write('POST /send_message HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1048576\r\n\r\n');
      let open = true;
      void closed.then(() => (open = false));
      // 1 KiB every 20 ms: the whole MiB would take over 20 s, twice mocha's timeout.
      while (open && sent < 1024 * 1024) {
        client.write(Buffer.alloc(1024, 'a'));
        sent += 1024;
        await sleep(20);
      }
      await closed;

      expect(parseRawReply(received).status).to.equal(413);
      expect(sent, 'the server closed the connection before the upload ended').to.be.lessThan(1024 * 1024);
    });
  });

  describe('a refused upload that stalls', () => {
    it('is cut off at the request timeout, with no second answer after its 413', async () => {
      await under.restart({ refusalGraceMs: 60_000, requestTimeoutMs: SHORT_MS });

      const { received } = await exchangeRaw(
        under.server.url,
        'POST /send_message HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1048576\r\n\r\n{"message":',
      );

      expect(parseRawReply(received).status).to.equal(413);
      expect(received.match(/HTTP\/1\.1 /g), 'one response, not a 408 written after the 413').to.have.length(1);
      expect(under.refusals.map((refusal) => refusal.code)).to.deep.equal(['payload_too_large']);
    });
  });

  describe('open connections', () => {
    it('drops connections past maxConnections, and serves again once one closes', async () => {
      await under.restart({ maxConnections: 2 });
      const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
      try {
        // Two requests at once hold two keep-alive connections open.
        const held = await Promise.all([send(under.server.url, '/a', { agent }), send(under.server.url, '/b', { agent })]);
        expect(held.map((reply) => reply.status)).to.deep.equal([200, 200]);

        const third = await exchangeRaw(under.server.url, 'GET /c HTTP/1.1\r\nHost: localhost\r\n\r\n');
        expect(third.received, 'the third connection got no answer').to.equal('');
        // Sent at once on two connections, they may reach the handler in either order.
        expect(under.events.map((event) => event.rawPath)).to.have.members(['/a', '/b']);

        agent.destroy();
        let status = 0;
        // The server notices the closed connections a moment after the client closes them.
        for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
          status = await send(under.server.url, '/d').then(
            (reply) => reply.status,
            () => 0,
          );
          if (status !== 200) await sleep(20);
        }
        expect(status, 'a new connection is served once the others are gone').to.equal(200);
      } finally {
        agent.destroy();
      }
    });
  });
});
