import { expect } from 'chai';
import { openedConnection } from '../../src/core/Connection.js';
import { Limits } from '../../src/core/Limits.js';
import { buildWorld, errorCodeOf, PASSWORD, CLIENT } from '../support/world.js';

describe('OpenConnection', () => {
  async function loggedIn() {
    const world = buildWorld();
    const [alice] = await world.register(1);
    const { token, expiresAt } = await world.login.execute({ userId: alice!, password: PASSWORD, clientAddress: CLIENT });
    return { world, alice: alice!, token, expiresAt };
  }

  it('records a connection that expires with the token it opened with', async () => {
    const { world, alice, token, expiresAt } = await loggedIn();

    expect(await world.openConnection.execute({ connectionId: 'c-1', token })).to.equal(alice);

    const [connection] = await world.connections.forUser(alice);
    expect(connection).to.deep.equal({ id: 'c-1', userId: alice, connectedAt: world.clock.now(), expiresAt });
  });

  it('never outlasts API Gateway’s two hours, whatever the token says', () => {
    const now = Date.UTC(2026, 0, 15);

    expect(openedConnection('c-1', 'user-a', now, now + 86_400_000).expiresAt).to.equal(now + Limits.connectionMaxAgeMs);
    expect(openedConnection('c-1', 'user-a', now, now + 60_000).expiresAt).to.equal(now + 60_000);
  });

  it('refuses (conflict) a connection that already has ten newer ones of its user, and records nothing of it', async () => {
    const { world, alice, token } = await loggedIn();
    const now = world.clock.now();
    for (let i = 0; i < Limits.connectionsPerUser; i++) {
      await world.connections.add({ id: `newer-${i}`, userId: alice, connectedAt: now + 1 + i, expiresAt: now + 60_000 }, Limits.connectionsPerUser);
    }

    expect(await errorCodeOf(world.openConnection.execute({ connectionId: 'late', token }))).to.equal('conflict');
    const recorded = (await world.connections.forUser(alice)).map((c) => c.id);
    expect(recorded).to.have.length(10);
    expect(recorded).to.not.include('late');
  });

  it('refuses an expired token', async () => {
    const { world, token } = await loggedIn();
    world.clock.advance(3_600_000);

    expect(await errorCodeOf(world.openConnection.execute({ connectionId: 'c-1', token }))).to.equal('unauthorized');
  });
});
