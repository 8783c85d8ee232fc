import { expect } from 'chai';
import { DomainError } from '../../src/core/DomainError.js';
import { Limits } from '../../src/core/Limits.js';
import { buildWorld, errorCodeOf, PASSWORD } from '../support/world.js';

const WRONG = 'not the password';

describe('AuthenticateUser lockout', () => {
  it('answers 401 to the first 10 wrong passwords and too_many_attempts to the 11th', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);

    const codes: string[] = [];
    for (let i = 0; i < 11; i++) codes.push(await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: WRONG })));

    expect(codes).to.deep.equal([...Array(10).fill('unauthorized'), 'too_many_attempts']);
  });

  it('refuses even the right password while locked, with the seconds left until the window ends', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    for (let i = 0; i < 10; i++) await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: WRONG }));
    world.clock.advance(5 * 60_000);

    let failure: DomainError | undefined;
    try {
      await world.authenticateUser.execute({ userId: alice!, password: PASSWORD });
    } catch (error) {
      failure = error as DomainError;
    }

    expect(failure?.code).to.equal('too_many_attempts');
    expect(failure?.retryAfterSeconds).to.equal(10 * 60);
  });

  it('lets the right password in again once the window has passed', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    for (let i = 0; i < 11; i++) await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: WRONG }));

    world.clock.advance(Limits.passwordAttemptWindowMs);

    expect(await world.authenticateUser.execute({ userId: alice!, password: PASSWORD })).to.equal(alice);
  });

  it('does not count right passwords as failures', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    for (let i = 0; i < 9; i++) await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: WRONG }));
    for (let i = 0; i < 5; i++) await world.authenticateUser.execute({ userId: alice!, password: PASSWORD });

    const tenth = await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: WRONG }));
    const eleventh = await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: PASSWORD }));

    expect([tenth, eleventh]).to.deep.equal(['unauthorized', 'too_many_attempts']);
  });

  it('leaves other users alone', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    for (let i = 0; i < 11; i++) await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: WRONG }));

    expect(await world.authenticateUser.execute({ userId: bob!, password: PASSWORD })).to.equal(bob);
  });

  it('locks out unknown user ids the same way, so the lockout reveals nothing', async () => {
    const world = buildWorld();

    const codes: string[] = [];
    for (let i = 0; i < 11; i++) {
      codes.push(await errorCodeOf(world.authenticateUser.execute({ userId: 'user-ghost', password: WRONG })));
    }

    expect(codes.at(-1)).to.equal('too_many_attempts');
  });

  it('lets no more than 10 of many concurrent wrong guesses reach the hasher', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    const before = world.hasher.verifications;

    const codes = await Promise.all(
      Array.from({ length: 25 }, () => errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: WRONG }))),
    );

    expect(world.hasher.verifications - before, 'scrypt runs').to.equal(10);
    expect(codes.filter((c) => c === 'too_many_attempts')).to.have.length(15);
  });
});
