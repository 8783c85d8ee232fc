import { expect } from 'chai';
import { JoseTokenSigner } from '../../src/adapters/runtime/JoseTokenSigner.js';
import { VerifiedTokenCache } from '../../src/adapters/runtime/VerifiedTokenCache.js';

const SECRET = Buffer.from('a test secret that is long enough!!');
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const TTL_SECONDS = 3600;

function signer(cache = new VerifiedTokenCache()) {
  return { cache, tokens: new JoseTokenSigner(SECRET, TTL_SECONDS, cache) };
}

describe('Verified-token cache', () => {
  it('remembers a token once it verified, until its expiry', async () => {
    const { cache, tokens } = signer();
    const { token, expiresAt } = await tokens.issue('user-a', NOW);

    expect(await tokens.verify(token, NOW)).to.deep.equal({ userId: 'user-a', expiresAt });

    expect(cache.size).to.equal(1);
    expect(cache.lookUp(token, expiresAt - 1)?.userId, 'a moment before exp').to.equal('user-a');
    expect(cache.lookUp(token, expiresAt), 'from exp on, as jose').to.equal(undefined);
  });

  it('answers a remembered token without verifying it again', async () => {
    const { cache, tokens } = signer();
    // Not a JWT at all: only the cache can answer it.
    cache.remember('remembered-token', 'user-a', NOW + 1000);

    expect(await tokens.verify('remembered-token', NOW)).to.deep.equal({ userId: 'user-a', expiresAt: NOW + 1000 });
  });

  it('refuses a verified token once it expires, though it is remembered', async () => {
    const { tokens } = signer();
    const { token, expiresAt } = await tokens.issue('user-a', NOW);
    await tokens.verify(token, NOW);

    expect((await tokens.verify(token, expiresAt - 1))?.userId).to.equal('user-a');
    expect(await tokens.verify(token, expiresAt)).to.equal(undefined);
  });

  it('never lets a tampered copy of a remembered token hit', async () => {
    const { cache, tokens } = signer();
    const { token } = await tokens.issue('user-a', NOW);
    await tokens.verify(token, NOW);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'user-b' })).toString('base64url');

    expect(await tokens.verify(`${header}.${forged}.${signature}`, NOW)).to.equal(undefined);
    expect(await tokens.verify(`${token}x`, NOW), 'one character more').to.equal(undefined);
    expect(cache.size, 'only the genuine token').to.equal(1);
  });

  it('remembers only tokens that verified', async () => {
    const { cache, tokens } = signer();
    const other = await new JoseTokenSigner(Buffer.from('another secret that is long enough!!'), TTL_SECONDS).issue('user-a', NOW);
    const { token: expired } = await tokens.issue('user-a', NOW - TTL_SECONDS * 1000);

    expect(await tokens.verify(other.token, NOW), 'another secret').to.equal(undefined);
    expect(await tokens.verify(expired, NOW), 'expired').to.equal(undefined);
    expect(await tokens.verify('not.a.token', NOW), 'malformed').to.equal(undefined);
    expect(cache.size).to.equal(0);
  });

  it('holds at most maxEntries, dropping the one remembered longest ago', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 3 });
    for (const token of ['a', 'b', 'c']) cache.remember(token, `user-${token}`, NOW + 1000);
    cache.remember('a', 'user-a', NOW + 1000);
    cache.remember('d', 'user-d', NOW + 1000);

    expect(cache.size).to.equal(3);
    expect(cache.lookUp('b', NOW), 'the oldest went').to.equal(undefined);
    expect(cache.lookUp('a', NOW)?.userId, 'remembered again, so kept').to.equal('user-a');
  });
});
