import { expect } from 'chai';
import { toHttpApiEvent, type RequestHead } from '../../src/adapters/http/HttpApiEvent.js';
import { toApiRequest } from '../../src/adapters/lambda/ApiRequest.js';

/** A request head as node:http hands it over: raw header names and values, alternating. */
function head(method: string, url: string, rawHeaders: string[] = [], remoteAddress = '127.0.0.1'): RequestHead {
  return { method, url, rawHeaders, socket: { remoteAddress } };
}

const NO_BODY = Buffer.alloc(0);

describe('toHttpApiEvent', () => {
  it('carries the method, the raw path and the raw query string as a payload 2.0 event', () => {
    const event = toHttpApiEvent(head('POST', '/check_messages?limit=5&tag=a&tag=b&q=x%20y'), Buffer.from('{}'), 'req-1');

    expect(event.version).to.equal('2.0');
    expect(event.routeKey).to.equal('$default');
    expect(event.rawPath).to.equal('/check_messages');
    expect(event.rawQueryString).to.equal('limit=5&tag=a&tag=b&q=x%20y');
    expect(event.requestContext.http.method).to.equal('POST');
  });

  it('keeps only the path and query of an absolute-form target, as a proxy sends it', () => {
    const event = toHttpApiEvent(head('POST', 'http://proxy.example:8080/login?x=1'), NO_BODY, 'req-1');

    expect(event.rawPath).to.equal('/login');
    expect(event.rawQueryString).to.equal('x=1');
  });

  it('puts the request id and the $default stage in requestContext', () => {
    const event = toHttpApiEvent(head('GET', '/health'), NO_BODY, 'request-1');

    expect(event.requestContext.requestId).to.equal('request-1');
    expect(event.requestContext.stage).to.equal('$default');
  });

  it('lower-cases header names and joins a repeated header with ", "', () => {
    const event = toHttpApiEvent(
      head('GET', '/health', ['Host', 'localhost', 'X-Client-Version', '1.2', 'Accept', 'text/plain', 'Accept', 'application/json']),
      NO_BODY,
      'req-1',
    );

    expect(event.headers).to.deep.equal({
      host: 'localhost',
      'x-client-version': '1.2',
      accept: 'text/plain, application/json',
    });
  });

  it('leaves Cookie headers out of the headers, as API Gateway 2.0 does', () => {
    const event = toHttpApiEvent(
      head('GET', '/health', ['Cookie', 'session=abc; theme=dark', 'X-Trace', 't', 'cookie', 'lang=en']),
      NO_BODY,
      'req-1',
    );

    expect(event.headers).to.deep.equal({ 'x-trace': 't' });
  });

  it('reports the client address, an IPv4 client mapped into IPv6 by its IPv4 address', () => {
    const address = (remoteAddress: string) =>
      toHttpApiEvent(head('GET', '/health', [], remoteAddress), NO_BODY, 'req-1').requestContext.http.sourceIp;

    expect(address('::ffff:192.0.2.7')).to.equal('192.0.2.7');
    expect(address('192.0.2.7')).to.equal('192.0.2.7');
    expect(address('2001:db8::1')).to.equal('2001:db8::1');
    expect(address('::1')).to.equal('::1');
  });

  it('omits the body when the request has none', () => {
    const event = toHttpApiEvent(head('GET', '/health'), NO_BODY, 'req-1');

    expect(event).to.not.have.property('body');
    expect(event.isBase64Encoded).to.equal(false);
  });

  it('passes a JSON body as a UTF-8 string', () => {
    const json = '{"message":"héllo ✓","sender_id":"user-1"}';
    const event = toHttpApiEvent(
      head('POST', '/send_message', ['Content-Type', 'application/json; charset=utf-8']),
      Buffer.from(json),
      'req-1',
    );

    expect(event.body).to.equal(json);
    expect(event.isBase64Encoded).to.equal(false);
  });

  it('passes bodies of the other textual content types, or of none, as text', () => {
    const textual = ['text/plain', 'application/problem+json', 'application/x-www-form-urlencoded', 'application/xml'];
    const events = [
      ...textual.map((contentType) => toHttpApiEvent(head('POST', '/echo', ['Content-Type', contentType]), Buffer.from('a=é'), 'r')),
      toHttpApiEvent(head('POST', '/echo'), Buffer.from('a=é'), 'r'),
    ];

    expect(events.map((event) => [event.body, event.isBase64Encoded])).to.deep.equal(
      Array.from({ length: textual.length + 1 }, () => ['a=é', false]),
    );
  });

  it('base64-encodes a body of a binary content type', () => {
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]);
    const event = toHttpApiEvent(head('POST', '/upload', ['Content-Type', 'application/octet-stream']), bytes, 'req-1');

    expect(event.isBase64Encoded).to.equal(true);
    expect(Buffer.from(event.body!, 'base64').equals(bytes)).to.equal(true);
  });

  it('judges the body by the first Content-Type when a client sends two', () => {
    const event = toHttpApiEvent(
      head('POST', '/upload', ['Content-Type', 'image/png', 'Content-Type', 'application/json']),
      Buffer.from([1, 2, 3]),
      'req-1',
    );

    expect(event.body).to.equal('AQID');
    expect(event.isBase64Encoded).to.equal(true);
  });

  it('gives the Lambda side everything it reads: method, path, headers, body and request id', () => {
    const event = toHttpApiEvent(
      head('post', '/send_message?x=1', ['Content-Type', 'application/octet-stream', 'Authorization', 'Bearer t']),
      Buffer.from([0x7b, 0x7d, 0xff]),
      'req-9',
    );

    const request = toApiRequest(event);

    expect(request.method).to.equal('POST');
    expect(request.path).to.equal('/send_message');
    expect(request.headers).to.deep.equal({ 'content-type': 'application/octet-stream', authorization: 'Bearer t' });
    expect(request.body.equals(Buffer.from([0x7b, 0x7d, 0xff]))).to.equal(true);
    expect(request.requestId).to.equal('req-9');
  });
});
