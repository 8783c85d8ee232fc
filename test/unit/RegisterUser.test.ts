import { expect } from 'chai';
import type { IdGenerator } from '../../src/ports/IdGenerator.js';
import { UlidIdGenerator } from '../../src/adapters/runtime/UlidIdGenerator.js';
import { buildWorld, errorCodeOf, PASSWORD, CLIENT } from '../support/world.js';

describe('RegisterUser', () => {
  it('creates a user whose id matches the public id format', async () => {
    const world = buildWorld();

    const { userId } = await world.registerUser.execute({ password: PASSWORD, clientAddress: CLIENT });

    expect(userId, 'ids are user- then letters and digits').to.match(/^user-[a-zA-Z0-9]+$/);
    expect(await world.users.findForSignIn(userId, 0).then((r) => r.user), 'the user is stored').to.not.equal(undefined);
  });

  it('stores only a scrypt hash with its cost parameters, never the password', async () => {
    const world = buildWorld();

    const { userId } = await world.registerUser.execute({ password: PASSWORD, clientAddress: CLIENT });

    const stored = (await world.users.findForSignIn(userId, 0).then((r) => r.user))!;
    expect(stored.passwordHash).to.match(/^\$scrypt\$ln=\d+,r=\d+,p=\d+\$/);
    expect(stored.passwordHash).to.not.contain(PASSWORD);
  });

  for (const [label, password] of [
    ['7 characters', 'a'.repeat(7)],
    ['129 characters', 'a'.repeat(129)],
  ] as const) {
    it(`rejects a password of ${label} without hashing or storing anything`, async () => {
      const world = buildWorld();

      const code = await errorCodeOf(world.registerUser.execute({ password, clientAddress: CLIENT }));

      expect(code).to.equal('validation_failed');
      expect(world.hasher.hashes, 'no hashing before the length check').to.equal(0);
      expect(world.store.users.size, 'nothing stored').to.equal(0);
    });
  }

  it('accepts 8 and 128 characters, counting an emoji as one character', async () => {
    const world = buildWorld();

    await world.registerUser.execute({ password: 'a'.repeat(8), clientAddress: CLIENT });
    await world.registerUser.execute({ password: '😀'.repeat(128), clientAddress: CLIENT });

    expect(world.store.users.size).to.equal(2);
  });

  it('draws a new id on a collision and never overwrites the existing user', async () => {
    const real = new UlidIdGenerator();
    const taken = real.newUserId();
    const drawn = [taken, taken];
    const ids: IdGenerator = {
      newUserId: () => drawn.shift() ?? real.newUserId(),
      newGroupId: () => real.newGroupId(),
      newMessageId: (at) => real.newMessageId(at),
    };
    const world = buildWorld({ ids });
    const first = await world.registerUser.execute({ password: 'first password', clientAddress: CLIENT });
    const firstHash = (await world.users.findForSignIn(first.userId, 0).then((r) => r.user))!.passwordHash;

    const second = await world.registerUser.execute({ password: 'second password', clientAddress: CLIENT });

    expect(first.userId).to.equal(taken);
    expect(second.userId, 'a fresh id').to.not.equal(taken);
    expect((await world.users.findForSignIn(taken, 0).then((r) => r.user))!.passwordHash, 'the first user is untouched').to.equal(firstHash);
  });

  it('rate-limits registrations per client address before hashing, with Retry-After', async () => {
    const world = buildWorld({ abuseLimits: { registerPerMinute: 2, unknownUserChecksPerMinute: 30 } });
    const register = (clientAddress = CLIENT) => world.registerUser.execute({ password: PASSWORD, clientAddress });
    await register();
    await register();
    const hashesBefore = world.hasher.hashes;

    const third = await register().catch((e) => e);

    expect(third.code).to.equal('rate_limited');
    expect(third.retryAfterSeconds).to.be.within(1, 60);
    expect(world.hasher.hashes, 'refused before any hashing').to.equal(hashesBefore);
    expect((await register('198.51.100.7')).userId, 'another address').to.match(/^user-/);
  });
});
