import { expect } from 'chai';
import { JoseTokenSigner } from '../../src/adapters/runtime/JoseTokenSigner.js';
import { buildWorld, errorCodeOf, PASSWORD, CLIENT } from '../support/world.js';

describe('Login and AuthenticateToken', () => {
  it('issue a token that authenticates its user without any hashing', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    const { token, expiresAt } = await world.login.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT });
    const before = world.hasher.verifications;

    expect(await world.authenticateToken.execute(token)).to.deep.equal({ userId: alice, expiresAt });
    expect(world.hasher.verifications).to.equal(before);
    expect(expiresAt).to.equal(Math.floor(world.clock.now() / 1000) * 1000 + 3600_000);
  });

  it('refuse a login with a wrong password', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);

    expect(await errorCodeOf(world.login.execute({ userId: alice!, password: 'wrong password', clientAddress: CLIENT }))).to.equal('unauthorized');
  });

  it('refuse an expired token', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    const { token } = await world.login.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT });

    world.clock.advance(3600_000 + 1000);

    expect(await errorCodeOf(world.authenticateToken.execute(token))).to.equal('unauthorized');
  });

  it('refuse a tampered token: another subject with the old signature', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    const { token } = await world.login.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT });
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: bob })).toString('base64url');

    expect(await errorCodeOf(world.authenticateToken.execute(`${header}.${forged}.${signature}`))).to.equal('unauthorized');
  });

  it('refuse an unsigned token and one signed with another secret', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    const unsigned = [
      Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url'),
      Buffer.from(JSON.stringify({ sub: alice, iss: 'messaging-api', aud: 'messaging-api', iat: 1, exp: 9e9 })).toString('base64url'),
      '',
    ].join('.');
    const other = await new JoseTokenSigner(Buffer.from('another secret that is long enough!!'), 3600).issue(alice!, world.clock.now());

    expect(await errorCodeOf(world.authenticateToken.execute(unsigned))).to.equal('unauthorized');
    expect(await errorCodeOf(world.authenticateToken.execute(other.token))).to.equal('unauthorized');
    expect(await errorCodeOf(world.authenticateToken.execute('not.a.token'))).to.equal('unauthorized');
  });

  it('refuse a secret shorter than 32 bytes', () => {
    expect(() => new JoseTokenSigner(Buffer.from('short'), 3600)).to.throw(/32 bytes/);
  });
});
