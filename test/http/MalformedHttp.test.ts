// SPEC section 1: the local server's answer to HTTP it cannot read is the API's JSON error, with
// the standard headers, where node:http alone would write a bare status line.
import { expect } from 'chai';
import { exchangeRaw, parseRawReply, send, sendRaw, type RawReply } from './clients.js';
import { localServerUnderTest, seedApi, UUID } from './localServerUnderTest.js';

describe('LocalServer and malformed HTTP', () => {
  const under = localServerUnderTest();

  /** The exchange's reply, checked to be the API's JSON error for `code` and the only thing sent. */
  async function expectRefusal(request: string, status: number, code: string): Promise<RawReply> {
    const { received } = await exchangeRaw(under.server.url, request);
    const reply = parseRawReply(received);

    expect(reply.status, received).to.equal(status);
    expect(reply.headers['content-type']).to.equal('application/json');
    expect(reply.headers['cache-control']).to.equal('no-store');
    expect(reply.headers['x-content-type-options']).to.equal('nosniff');
    expect(reply.headers['connection'], 'the server says it closes the connection').to.equal('close');
    expect(Buffer.byteLength(reply.body), 'Content-Length frames the whole body').to.equal(Number(reply.headers['content-length']));
    const body = JSON.parse(reply.body) as Record<string, unknown>;
    expect(Object.keys(body)).to.deep.equal(['error', 'message']);
    expect(body.error).to.equal(code);
    expect(body.message).to.be.a('string').that.is.not.empty;

    expect(under.refusals.map((refusal) => refusal.code), 'the answer is the API refusal').to.deep.equal([code]);
    expect(reply.headers['x-request-id']).to.match(UUID).and.equal(under.refusals[0]!.requestId);
    expect(under.events, 'the handler never saw the request').to.have.length(0);
    return reply;
  }

  const POST = 'POST /send_message HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n';

  it('answers 400 invalid_json to a Content-Length that is not a number', async () => {
    await expectRefusal(`${POST}Content-Length: abc\r\n\r\n{}`, 400, 'invalid_json');
  });

  it('answers 400 invalid_json to two Content-Length headers', async () => {
    await expectRefusal(`${POST}Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}`, 400, 'invalid_json');
  });

  it('answers 400 invalid_json to Content-Length together with Transfer-Encoding', async () => {
    await expectRefusal(`${POST}Content-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`, 400, 'invalid_json');
  });

  it('answers 400 invalid_json to a chunk size that is not hexadecimal', async () => {
    await expectRefusal(`${POST}Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, 400, 'invalid_json');
  });

  it('answers 400 invalid_json to an invalid method', async () => {
    await expectRefusal('FETCH! /health HTTP/1.1\r\nHost: localhost\r\n\r\n', 400, 'invalid_json');
  });

  it('answers 400 invalid_json to an HTTP/1.1 request without Host', async () => {
    await expectRefusal('GET /health HTTP/1.1\r\n\r\n', 400, 'invalid_json');
  });

  it('still serves an HTTP/1.0 request without Host, which needs none', async () => {
    const reply = parseRawReply(await sendRaw(under.server.url, 'GET /health HTTP/1.0\r\n\r\n'));

    expect(reply.status).to.equal(200);
    expect(under.events).to.have.length(1);
  });

  it('answers 400 invalid_json to CONNECT, which node would drop without a word', async () => {
    await expectRefusal('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 400, 'invalid_json');
  });

  it("answers 413 payload_too_large to chunk extensions over node's limit", async () => {
    await expectRefusal(`${POST}Transfer-Encoding: chunked\r\n\r\n2;${'x'.repeat(20_000)}\r\n{}\r\n0\r\n\r\n`, 413, 'payload_too_large');
  });

  describe('header size, bounded at 10240 bytes as on API Gateway', () => {
    // node counts the request target, header names and header values: '/health' + 'Host' +
    // 'localhost' + 'X-Pad' is 25 bytes, the padding the rest.
    const withPadding = (bytes: number): string =>
      `GET /health HTTP/1.1\r\nHost: localhost\r\nX-Pad: ${'p'.repeat(bytes - 25)}\r\n\r\n`;

    it('serves a request whose target and headers come to exactly 10240 bytes', async () => {
      const reply = parseRawReply(await sendRaw(under.server.url, withPadding(10_240)));

      expect(reply.status).to.equal(200);
      expect(under.events).to.have.length(1);
    });

    it('answers 431 headers_too_large to one byte more', async () => {
      await expectRefusal(withPadding(10_241), 431, 'headers_too_large');
    });
  });

  it("answers in the seed profile's error shape when the API runs that profile", async () => {
    await under.restart({ transportError: (code, requestId) => seedApi.transportError(code, requestId) });

    const { received } = await exchangeRaw(under.server.url, `${POST}Content-Length: abc\r\n\r\n{}`);
    const reply = parseRawReply(received);

    expect(reply.status).to.equal(400);
    expect(reply.headers['content-type']).to.equal('application/json');
    expect(reply.headers['x-request-id']).to.match(UUID);
    expect(Object.keys(JSON.parse(reply.body))).to.deep.equal(['message']);
  });

  it('serves a request with an Expect it does not know, where node would answer a bare 417', async () => {
    const reply = await send(under.server.url, '/health', { headers: { Expect: 'something-else' } });

    expect(reply.status).to.equal(200);
    expect(reply.body.toString('utf8')).to.equal('{"ok":true}');
    expect(under.events).to.have.length(1);
  });

  it('never answers a malformed pipelined request ahead of the response owed to the one before it', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    under.respond = async () => {
      await released;
      return { statusCode: 200, headers: {}, body: '{"ok":true}' };
    };

    const exchange = exchangeRaw(under.server.url, 'GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\nNOT HTTP AT ALL\r\n\r\n');
    const { received } = await exchange.finally(release);

    expect(under.events.map((event) => event.rawPath), 'the first request was being served').to.deep.equal(['/slow']);
    expect(received, 'no 400 where the client expects the answer to GET /slow').to.not.match(/^HTTP\/1\.1 400/);
  });

  it('serves the next client normally after answering a malformed request', async () => {
    await expectRefusal(`${POST}Content-Length: abc\r\n\r\n{}`, 400, 'invalid_json');

    const reply = parseRawReply(await sendRaw(under.server.url, 'GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'));

    expect(reply.status).to.equal(200);
  });
});
