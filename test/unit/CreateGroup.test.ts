import { expect } from 'chai';
import { DomainError } from '../../src/core/DomainError.js';
import { Limits } from '../../src/core/Limits.js';
import { buildWorld, errorCodeOf } from '../support/world.js';

describe('CreateGroup', () => {
  it('makes the creator the first admin and the others members, ignoring duplicates', async () => {
    const world = buildWorld();
    const [alice, bob, carol] = await world.register(3);

    const { groupId } = await world.createGroup.execute({
      creatorId: alice!,
      memberIds: [bob!, carol!, bob!, alice!],
      name: 'friends',
    });

    const group = await world.getGroup.execute({ userId: bob!, groupId });
    expect(groupId).to.match(/^group-[a-zA-Z0-9]+$/);
    expect(group.name).to.equal('friends');
    expect(group.members.map((m) => [m.userId, m.role])).to.deep.equal([
      [alice, 'admin'],
      [bob, 'member'],
      [carol, 'member'],
    ]);
  });

  it('has no name unless given one, and may hold only its creator', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);

    const { groupId } = await world.createGroup.execute({ creatorId: alice!, memberIds: [] });

    const group = await world.getGroup.execute({ userId: alice!, groupId });
    expect(group.name).to.equal(null);
    expect(group.members.map((m) => m.userId)).to.deep.equal([alice]);
  });

  it('rejects unknown member ids, naming each of them, and creates nothing', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);

    let failure: DomainError | undefined;
    try {
      await world.createGroup.execute({ creatorId: alice!, memberIds: [bob!, 'user-ghost1', 'user-ghost2'] });
    } catch (error) {
      failure = error as DomainError;
    }

    expect(failure?.code).to.equal('user_not_found');
    expect(failure?.message).to.contain('user-ghost1').and.to.contain('user-ghost2');
    expect(await world.listGroups.execute({ userId: alice! })).to.be.empty;
  });

  it('rejects a name over 100 characters', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);

    const code = await errorCodeOf(world.createGroup.execute({ creatorId: alice!, memberIds: [], name: 'n'.repeat(101) }));

    expect(code).to.equal('validation_failed');
  });

  it(`allows ${Limits.groupMaxMembers} members counting the creator, and rejects one more with group_full`, async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    const others = await world.seedUsers(Limits.groupMaxMembers);

    const full = await world.createGroup.execute({ creatorId: alice!, memberIds: others.slice(1) });
    const code = await errorCodeOf(world.createGroup.execute({ creatorId: alice!, memberIds: others }));

    expect((await world.getGroup.execute({ userId: alice!, groupId: full.groupId })).members).to.have.length(1024);
    expect(code).to.equal('group_full');
  });

  it('rejects a group containing someone who has blocked the creator', async () => {
    const world = buildWorld();
    const [alice, bob, carol] = await world.register(3);
    await world.blockUser.execute({ userId: carol!, blockedUserId: alice! });

    const code = await errorCodeOf(world.createGroup.execute({ creatorId: alice!, memberIds: [bob!, carol!] }));

    expect(code).to.equal('blocked');
    expect(await world.listGroups.execute({ userId: bob! }), 'nothing created').to.be.empty;
  });
});
