import { expect } from 'chai';
import type { RefusedRequestCode } from '../../src/adapters/lambda/refusedRequest.js';
import { apiFor } from './apiFor.js';

const REFUSALS: [RefusedRequestCode, number][] = [
  ['payload_too_large', 413],
  ['invalid_json', 400],
  ['request_timeout', 408],
  ['headers_too_large', 431],
];

describe('ApiHandler.transportError, the answers the local server gives itself', () => {
  const secure = apiFor().api;
  const seed = apiFor({ API_PROFILE: 'seed' }).api;

  for (const [code, status] of REFUSALS) {
    it(`answers ${code} with ${status}, the standard headers and {"error", "message"}`, () => {
      const result = secure.transportError(code, 'req-7');

      expect(result.statusCode).to.equal(status);
      expect(result.headers).to.include({
        'Content-Type': 'application/json',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'X-Request-Id': 'req-7',
      });
      const body = JSON.parse(result.body) as Record<string, unknown>;
      expect(Object.keys(body)).to.deep.equal(['error', 'message']);
      expect(body.error).to.equal(code);
      expect(body.message).to.be.a('string').that.is.not.empty;
    });

    it(`answers ${code} in the seed profile with ${status} and {"message"} only`, () => {
      const result = seed.transportError(code, 'req-7');

      expect(result.statusCode).to.equal(status);
      expect(result.headers['X-Request-Id']).to.equal('req-7');
      expect(Object.keys(JSON.parse(result.body))).to.deep.equal(['message']);
    });
  }

  it('gives a body too large the same sentence the router gives it', async () => {
    const { call } = apiFor();
    const fromRouter = await call('/register_user', { password: 'x'.repeat(70_000) });

    const fromServer = JSON.parse(secure.transportError('payload_too_large', 'req-7').body);

    expect(fromRouter.status).to.equal(413);
    expect(fromServer).to.deep.equal(fromRouter.body);
  });

  it('answers a failed handler with 500 internal_error naming the request id, and {"message"} only in the seed profile', () => {
    const result = secure.transportError('internal_error', 'req-9');
    const body = JSON.parse(result.body) as Record<string, unknown>;

    expect(result.statusCode).to.equal(500);
    expect(body).to.include({ error: 'internal_error', request_id: 'req-9' });
    expect(String(body.message)).to.contain('req-9');
    expect(Object.keys(JSON.parse(seed.transportError('internal_error', 'req-9').body))).to.deep.equal(['message']);
  });
});
