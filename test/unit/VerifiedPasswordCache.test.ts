import { expect } from 'chai';
import { InProcessVerifiedPasswordCache } from '../../src/adapters/runtime/InProcessVerifiedPasswordCache.js';
import { buildWorld, errorCodeOf, PASSWORD, CLIENT } from '../support/world.js';

describe('Verified-password cache', () => {
  it('spares the hash on a poll after the first verification', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    await world.authenticateUser.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT });
    const before = world.hasher.verifications;

    for (let i = 0; i < 5; i++) await world.authenticateUser.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT });

    expect(world.hasher.verifications - before).to.equal(0);
  });

  it('never lets a different password hit', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    await world.authenticateUser.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT });

    expect(await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: `${PASSWORD}!`, clientAddress: CLIENT }))).to.equal(
      'unauthorized',
    );
  });

  it('misses when the stored hash changes', () => {
    const cache = new InProcessVerifiedPasswordCache();
    cache.remember('user-a', '$scrypt$old', 'pw', 0);

    expect(cache.has('user-a', '$scrypt$old', 'pw', 1)).to.equal(true);
    expect(cache.has('user-a', '$scrypt$new', 'pw', 1)).to.equal(false);
    expect(cache.has('user-b', '$scrypt$old', 'pw', 1), 'another user').to.equal(false);
  });

  it('forgets an entry once its time is up', () => {
    const cache = new InProcessVerifiedPasswordCache({ maxEntries: 10, ttlMs: 1000 });
    cache.remember('user-a', 'h', 'pw', 0);

    expect(cache.has('user-a', 'h', 'pw', 999)).to.equal(true);
    expect(cache.has('user-a', 'h', 'pw', 1000)).to.equal(false);
  });

  it('holds at most maxEntries, dropping the least recently remembered', () => {
    const cache = new InProcessVerifiedPasswordCache({ maxEntries: 3, ttlMs: 60_000 });
    for (const user of ['a', 'b', 'c']) cache.remember(user, 'h', 'pw', 0);
    cache.remember('a', 'h', 'pw', 1);
    cache.remember('d', 'h', 'pw', 2);

    expect(cache.size).to.equal(3);
    expect(cache.has('b', 'h', 'pw', 3), 'the oldest went').to.equal(false);
    expect(cache.has('a', 'h', 'pw', 3), 'remembered again, so kept').to.equal(true);
  });

  it('keeps no password in memory, only a keyed digest', () => {
    const cache = new InProcessVerifiedPasswordCache();
    cache.remember('user-a', 'h', 'a very recognisable password', 0);

    const entries = [...(cache as unknown as { entries: Map<string, { digest: Buffer }> }).entries.values()];
    expect(entries.map((e) => e.digest.toString('latin1')).join()).to.not.contain('recognisable');
    expect(entries[0]!.digest).to.have.length(32);
  });
});
