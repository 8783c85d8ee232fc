// What a client can hold on the local server, and for how long: a request that never finishes
// arriving. Timeouts are configured short; the tests wait for them to pass but never measure them.
import { expect } from 'chai';
import http from 'node:http';
import { exchangeRaw, parseRawReply } from './clients.js';
import { localServerUnderTest, UUID } from './localServerUnderTest.js';

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

  describe('a refused upload that stalls', () => {
    it('is cut off at the request timeout, with no second answer after its 413', async () => {
      const { received } = await exchangeRaw(
        under.server.url,
        'POST /send_message HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1048576\r\n\r\n{"message":',
      );

      expect(parseRawReply(received).status).to.equal(413);
      expect(received.match(/HTTP\/1\.1 /g), 'one response, not a 408 written after the 413').to.have.length(1);
      expect(under.refusals.map((refusal) => refusal.code)).to.deep.equal(['payload_too_large']);
    });
  });
});
