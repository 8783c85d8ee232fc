import { expect } from 'chai';
import { DomainError } from '../../src/core/DomainError.js';
import { buildWorld, errorCodeOf, PASSWORD, CLIENT } from '../support/world.js';

async function failureOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('AuthenticateUser', () => {
  it('answers the user id for the right password', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);

    expect(await world.authenticateUser.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT })).to.equal(alice);
  });

  it('gives the identical failure for a wrong password and for an unknown user', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);

    const wrong = await failureOf(world.authenticateUser.execute({ userId: alice!, password: 'not the password', clientAddress: CLIENT }));
    const unknown = await failureOf(world.authenticateUser.execute({ userId: 'user-nobody', password: PASSWORD, clientAddress: CLIENT }));

    expect([wrong.code, wrong.message]).to.deep.equal([unknown.code, unknown.message]);
    expect(wrong.code).to.equal('unauthorized');
  });

  it('spends a hash verification on an unknown user id too', async () => {
    const world = buildWorld();
    await world.register(1);
    const before = world.hasher.verifications;

    await errorCodeOf(world.authenticateUser.execute({ userId: 'user-nobody', password: PASSWORD, clientAddress: CLIENT }));

    expect(world.hasher.verifications - before, 'one verification, as for a known user').to.equal(1);
  });

  it('rejects a password over 128 characters before any hashing', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    const before = world.hasher.verifications;

    const code = await errorCodeOf(world.authenticateUser.execute({ userId: alice!, password: 'a'.repeat(129), clientAddress: CLIENT }));

    expect(code).to.equal('unauthorized');
    expect(world.hasher.verifications, 'no hashing').to.equal(before);
  });
});
