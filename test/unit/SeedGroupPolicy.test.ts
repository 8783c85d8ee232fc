import { expect } from 'chai';
import { SEED_GROUP_POLICY } from '../../src/core/GroupPolicy.js';
import { buildWorld, errorCodeOf } from '../support/world.js';

describe('Group management under the seed policy', () => {
  it('creates a group without a creator, the first listed member as its admin', async () => {
    const world = buildWorld({ policy: SEED_GROUP_POLICY });
    const [alice, bob] = await world.register(2);

    const { groupId } = await world.createGroup.execute({ creatorId: undefined, memberIds: [alice!, bob!, alice!] });

    const group = await world.getGroup.execute({ userId: bob!, groupId });
    expect(group.members.map((m) => [m.userId, m.role])).to.deep.equal([
      [alice, 'admin'],
      [bob, 'member'],
    ]);
  });

  it('refuses a group without any member', async () => {
    const world = buildWorld({ policy: SEED_GROUP_POLICY });

    expect(await errorCodeOf(world.createGroup.execute({ creatorId: undefined, memberIds: [] }))).to.equal(
      'validation_failed',
    );
  });

  it('lets anyone add and remove members, with or without being in the group', async () => {
    const world = buildWorld({ policy: SEED_GROUP_POLICY });
    const [alice, bob, carol, outsider] = await world.register(4);
    const { groupId } = await world.createGroup.execute({ creatorId: alice!, memberIds: [bob!] });

    await world.addGroupMember.execute({ requesterId: undefined, groupId, userId: carol! });
    await world.removeGroupMember.execute({ requesterId: outsider!, groupId, userId: alice! });

    const group = await world.getGroup.execute({ userId: bob!, groupId });
    expect(group.members.map((m) => [m.userId, m.role])).to.deep.equal([
      [bob, 'admin'],
      [carol, 'member'],
    ]);
  });

  it('answers invalid_action to a change that changes nothing', async () => {
    const world = buildWorld({ policy: SEED_GROUP_POLICY });
    const [alice, bob] = await world.register(2);
    const { groupId } = await world.createGroup.execute({ creatorId: alice!, memberIds: [] });

    const adding = await errorCodeOf(world.addGroupMember.execute({ requesterId: undefined, groupId, userId: alice! }));
    const removing = await errorCodeOf(world.removeGroupMember.execute({ requesterId: undefined, groupId, userId: bob! }));

    expect([adding, removing]).to.deep.equal(['invalid_action', 'invalid_action']);
  });

  it('still keeps a user out of groups made by someone they blocked', async () => {
    const world = buildWorld({ policy: SEED_GROUP_POLICY });
    const [alice, bob] = await world.register(2);
    await world.blockUser.execute({ userId: bob!, blockedUserId: alice! });

    expect(await errorCodeOf(world.createGroup.execute({ creatorId: alice!, memberIds: [bob!] }))).to.equal('blocked');
  });

  it('needs a creator and a requester under the secure policy', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    const { groupId } = await world.createGroup.execute({ creatorId: alice!, memberIds: [] });

    expect(await errorCodeOf(world.createGroup.execute({ creatorId: undefined, memberIds: [alice!] }))).to.equal(
      'unauthorized',
    );
    expect(await errorCodeOf(world.addGroupMember.execute({ requesterId: undefined, groupId, userId: alice! }))).to.equal(
      'unauthorized',
    );
  });
});
