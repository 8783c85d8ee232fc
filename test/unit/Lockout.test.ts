import { expect } from 'chai';
import { DomainError } from '../../src/core/DomainError.js';
import { Limits } from '../../src/core/Limits.js';
import type { PasswordAttemptLimiter } from '../../src/ports/PasswordAttemptLimiter.js';
import { buildWorld, errorCodeOf, PASSWORD, CLIENT } from '../support/world.js';

const WRONG = 'not the password';

describe('AuthenticateUser lockout', () => {
  it('answers 401 to the first 10 wrong passwords and too_many_attempts to the 11th', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);

    const codes: string[] = [];
    for (let i = 0; i < 11; i++) codes.push(await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: WRONG, clientAddress: CLIENT })));

    expect(codes).to.deep.equal([...Array(10).fill('unauthorized'), 'too_many_attempts']);
  });

  it('refuses even the right password while locked, with the seconds left until the window ends', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    for (let i = 0; i < 10; i++) await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: WRONG, clientAddress: CLIENT }));
    world.clock.advance(5 * 60_000);

    let failure: DomainError | undefined;
    try {
      await world.authenticateUser.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT });
    } catch (error) {
      failure = error as DomainError;
    }

    expect(failure?.code).to.equal('too_many_attempts');
    expect(failure?.retryAfterSeconds).to.equal(10 * 60);
  });

  it('lets the right password in again once the window has passed', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    for (let i = 0; i < 11; i++) await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: WRONG, clientAddress: CLIENT }));

    world.clock.advance(Limits.passwordAttemptWindowMs);

    expect(await world.authenticateUser.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT })).to.equal(alice);
  });

  it('does not count right passwords as failures', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    for (let i = 0; i < 9; i++) await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: WRONG, clientAddress: CLIENT }));
    for (let i = 0; i < 5; i++) await world.authenticateUser.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT });

    const tenth = await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: WRONG, clientAddress: CLIENT }));
    const eleventh = await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT }));

    expect([tenth, eleventh]).to.deep.equal(['unauthorized', 'too_many_attempts']);
  });

  it('leaves other users alone', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    for (let i = 0; i < 11; i++) await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: WRONG, clientAddress: CLIENT }));

    expect(await world.authenticateUser.execute({ userId: bob!, password: PASSWORD, clientAddress: CLIENT })).to.equal(bob);
  });

  it('locks out unknown user ids the same way, so the lockout reveals nothing', async () => {
    const world = buildWorld();

    const codes: string[] = [];
    for (let i = 0; i < 11; i++) {
      codes.push(await errorCodeOf(world.authenticateUser.execute({ userId: 'user-ghost', password: WRONG, clientAddress: CLIENT })));
    }

    expect(codes.at(-1)).to.equal('too_many_attempts');
  });

  it('lets no more than 10 of many concurrent wrong guesses reach the hasher', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    const before = world.hasher.verifications;

    const codes = await Promise.all(
      Array.from({ length: 25 }, () => errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: WRONG, clientAddress: CLIENT }))),
    );

    expect(world.hasher.verifications - before, 'scrypt runs').to.equal(10);
    expect(codes.filter((c) => c === 'too_many_attempts')).to.have.length(15);
  });

  it('lets any number of concurrent right passwords in, even for a fresh user with nothing cached', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);

    const answers = await Promise.all(
      Array.from({ length: 14 }, () =>
        world.authenticateUser.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT }),
      ),
    );

    expect(answers).to.deep.equal(Array(14).fill(alice));
    expect(await world.authenticateUser.execute({ userId: alice!, password: WRONG, clientAddress: CLIENT }).catch((e) => e.code)).to.equal(
      'unauthorized',
      'and none of them counted as a failure',
    );
  });

  it('counts failures in a sliding window: past the edge of the first failure, one more is allowed, not ten', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    const attempt = (password: string) =>
      errorCodeOf(world.authenticateUser.execute({ userId: alice!, password, clientAddress: CLIENT })).catch(() => 'ok');
    await attempt(WRONG);
    world.clock.advance(Limits.passwordAttemptWindowMs - 500);
    for (let i = 0; i < 9; i++) await attempt(WRONG);
    const locked = await attempt(WRONG);

    world.clock.advance(600); // the first failure has left the window; the other nine have not
    const after = [await attempt(WRONG), await attempt(WRONG), await attempt(PASSWORD)];

    expect(locked).to.equal('too_many_attempts');
    expect(after).to.deep.equal(['unauthorized', 'too_many_attempts', 'too_many_attempts']);
  });

  it('only reads the lock state when the password is in the cache of verified passwords', async () => {
    const writes: string[] = [];
    const world = buildWorld();
    const [alice] = await world.register(1);
    await world.authenticateUser.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT });
    const inner = world.attempts;
    const spy: PasswordAttemptLimiter = {
      reserve: (...args) => (writes.push('reserve'), inner.reserve(...args)),
      fail: (...args) => (writes.push('fail'), inner.fail(...args)),
      release: (...args) => (writes.push('release'), inner.release(...args)),
    };
    (world.authenticateUser as unknown as { attempts: PasswordAttemptLimiter }).attempts = spy;

    for (let i = 0; i < 5; i++) await world.authenticateUser.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT });

    expect(writes).to.be.empty;
  });

  it('answers 503 unavailable when other checks of the user hold every attempt for too long', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    for (let i = 0; i < Limits.passwordFailuresAllowed; i++) await world.attempts.reserve(alice!, world.clock.now());

    const waiting = errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    world.clock.advance(Limits.passwordAttemptWaitMs);

    expect(await waiting).to.equal('unavailable');
  });

  it('frees the slots of checks that never ended once their reservations lapse', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    for (let i = 0; i < Limits.passwordFailuresAllowed; i++) await world.attempts.reserve(alice!, world.clock.now());
    world.clock.advance(Limits.passwordAttemptReservationMs);

    expect(await world.authenticateUser.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT })).to.equal(alice);
  });

  it('does not count an attempt the hasher refused to run (server busy) as a failure', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    const verify = world.hasher.verify.bind(world.hasher);
    let busy = true;
    world.hasher.verify = (password, hash) =>
      busy ? Promise.reject(new DomainError('unavailable', 'busy', undefined, 1)) : verify(password, hash);

    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      codes.push(await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: WRONG, clientAddress: CLIENT })));
    }
    busy = false;

    expect(codes).to.deep.equal(Array(12).fill('unavailable'));
    expect(await world.authenticateUser.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT })).to.equal(alice);
  });
});

describe('Per-address limits on unknown user ids', () => {
  it('rate-limits password checks for unknown ids per client address, with Retry-After, leaving known users alone', async () => {
    const world = buildWorld({ abuseLimits: { registerPerMinute: 30, unknownUserChecksPerMinute: 3 } });
    const [alice] = await world.register(1);
    const ghost = (i: number, clientAddress = CLIENT) =>
      world.authenticateUser.execute({ userId: `user-ghost${i}`, password: WRONG, clientAddress });

    const codes: string[] = [];
    for (let i = 0; i < 4; i++) codes.push(await errorCodeOf(ghost(i)));
    let limited: DomainError | undefined;
    await ghost(9).catch((e: DomainError) => (limited = e));

    expect(codes).to.deep.equal(['unauthorized', 'unauthorized', 'unauthorized', 'rate_limited']);
    expect(limited?.retryAfterSeconds).to.be.within(1, 60);
    expect(await errorCodeOf(ghost(10, '198.51.100.7')), 'another address').to.equal('unauthorized');
    expect(await world.authenticateUser.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT })).to.equal(alice);
    world.clock.advance(60_000);
    expect(await errorCodeOf(ghost(11)), 'the next minute').to.equal('unauthorized');
  });
});
