import { expect } from 'chai';
import { GROUP_CHANGE_ATTEMPTS } from '../../src/core/changeGroup.js';
import { SECURE_GROUP_POLICY } from '../../src/core/GroupPolicy.js';
import { AddGroupMember } from '../../src/core/use-cases/AddGroupMember.js';
import { Limits } from '../../src/core/Limits.js';
import type { GroupRepository } from '../../src/ports/GroupRepository.js';
import { buildWorld, errorCodeOf, type World } from '../support/world.js';

async function groupOf(world: World, creatorId: string, memberIds: string[]): Promise<string> {
  return (await world.createGroup.execute({ creatorId, memberIds })).groupId;
}

async function membersOf(world: World, userId: string, groupId: string): Promise<[string, string][]> {
  const group = await world.getGroup.execute({ userId, groupId });
  return group.members.map((m) => [m.userId, m.role]);
}

describe('AddGroupMember and RemoveGroupMember', () => {
  it('lets an admin add a user, who becomes a member', async () => {
    const world = buildWorld();
    const [admin, newcomer] = await world.register(2);
    const groupId = await groupOf(world, admin!, []);

    const result = await world.addGroupMember.execute({ requesterId: admin!, groupId, userId: newcomer! });

    expect(result.changed).to.equal(true);
    expect(await membersOf(world, admin!, groupId)).to.deep.equal([
      [admin, 'admin'],
      [newcomer, 'member'],
    ]);
  });

  it('answers unchanged when adding a member already in or removing one not in', async () => {
    const world = buildWorld();
    const [admin, member, outsider] = await world.register(3);
    const groupId = await groupOf(world, admin!, [member!]);

    const added = await world.addGroupMember.execute({ requesterId: admin!, groupId, userId: member! });
    const removed = await world.removeGroupMember.execute({ requesterId: admin!, groupId, userId: outsider! });

    expect([added.changed, removed.changed]).to.deep.equal([false, false]);
  });

  it('refuses a member who is not an admin adding or removing others', async () => {
    const world = buildWorld();
    const [admin, member, other] = await world.register(3);
    const groupId = await groupOf(world, admin!, [member!]);

    expect(await errorCodeOf(world.addGroupMember.execute({ requesterId: member!, groupId, userId: other! }))).to.equal(
      'not_an_admin',
    );
    expect(await errorCodeOf(world.removeGroupMember.execute({ requesterId: member!, groupId, userId: admin! }))).to.equal(
      'not_an_admin',
    );
  });

  it('refuses a requester who is not a member', async () => {
    const world = buildWorld();
    const [admin, outsider, other] = await world.register(3);
    const groupId = await groupOf(world, admin!, []);

    expect(await errorCodeOf(world.addGroupMember.execute({ requesterId: outsider!, groupId, userId: other! }))).to.equal(
      'not_a_member',
    );
  });

  it('answers group_not_found and user_not_found for unknown ids', async () => {
    const world = buildWorld();
    const [admin, other] = await world.register(2);
    const groupId = await groupOf(world, admin!, []);

    expect(
      await errorCodeOf(world.addGroupMember.execute({ requesterId: admin!, groupId: 'group-nope', userId: other! })),
    ).to.equal('group_not_found');
    expect(
      await errorCodeOf(world.addGroupMember.execute({ requesterId: admin!, groupId, userId: 'user-nobody' })),
    ).to.equal('user_not_found');
  });

  it('lets any member remove themselves', async () => {
    const world = buildWorld();
    const [admin, member] = await world.register(2);
    const groupId = await groupOf(world, admin!, [member!]);

    await world.removeGroupMember.execute({ requesterId: member!, groupId, userId: member! });

    expect(await membersOf(world, admin!, groupId)).to.deep.equal([[admin, 'admin']]);
    expect(await world.listGroups.execute({ userId: member! })).to.be.empty;
  });

  it('makes the longest-standing member admin when the last admin leaves', async () => {
    const world = buildWorld();
    const [admin, first, second] = await world.register(3);
    const groupId = await groupOf(world, admin!, [first!]);
    world.clock.advance(1000);
    await world.addGroupMember.execute({ requesterId: admin!, groupId, userId: second! });

    await world.removeGroupMember.execute({ requesterId: admin!, groupId, userId: admin! });

    expect(await membersOf(world, first!, groupId)).to.deep.equal([
      [first, 'admin'],
      [second, 'member'],
    ]);
  });

  it('deletes the group when its last member leaves', async () => {
    const world = buildWorld();
    const [admin] = await world.register(1);
    const groupId = await groupOf(world, admin!, []);

    await world.removeGroupMember.execute({ requesterId: admin!, groupId, userId: admin! });

    expect(await errorCodeOf(world.getGroup.execute({ userId: admin!, groupId }))).to.equal('group_not_found');
  });

  it('refuses to add a user who has blocked the requester', async () => {
    const world = buildWorld();
    const [admin, blocker] = await world.register(2);
    const groupId = await groupOf(world, admin!, []);
    await world.blockUser.execute({ userId: blocker!, blockedUserId: admin! });

    const code = await errorCodeOf(world.addGroupMember.execute({ requesterId: admin!, groupId, userId: blocker! }));

    expect(code).to.equal('blocked');
    expect(await membersOf(world, admin!, groupId)).to.have.length(1);
  });

  it(`refuses a member beyond ${Limits.groupMaxMembers} with group_full`, async () => {
    const world = buildWorld();
    const [admin] = await world.register(1);
    const others = await world.seedUsers(Limits.groupMaxMembers);
    const groupId = await groupOf(world, admin!, others.slice(0, Limits.groupMaxMembers - 1));

    const code = await errorCodeOf(world.addGroupMember.execute({ requesterId: admin!, groupId, userId: others.at(-1)! }));

    expect(code).to.equal('group_full');
  });

  it('never passes the size limit under concurrent adds: exactly the free places are filled', async () => {
    const world = buildWorld();
    const [admin] = await world.register(1);
    const others = await world.seedUsers(Limits.groupMaxMembers + 10);
    const groupId = await groupOf(world, admin!, others.slice(0, Limits.groupMaxMembers - 5));
    const candidates = others.slice(Limits.groupMaxMembers - 5);

    const results = await Promise.allSettled(
      candidates.map((userId) => world.addGroupMember.execute({ requesterId: admin!, groupId, userId })),
    );

    const added = results.filter((r) => r.status === 'fulfilled').length;
    const full = results.filter((r) => r.status === 'rejected' && r.reason.code === 'group_full').length;
    expect([added, full]).to.deep.equal([4, candidates.length - 4]);
    expect((await world.getGroup.execute({ userId: admin!, groupId })).members).to.have.length(Limits.groupMaxMembers);
  });

  it('loses no member when many are added at once (a change that keeps losing answers 503, and its client retries)', async () => {
    const world = buildWorld();
    const [admin] = await world.register(1);
    const others = await world.seedUsers(30);
    const groupId = await groupOf(world, admin!, []);
    const addRetrying = async (userId: string) => {
      for (let tries = 1; ; tries++) {
        try {
          return await world.addGroupMember.execute({ requesterId: admin!, groupId, userId });
        } catch (error) {
          if ((error as { code?: string }).code !== 'unavailable' || tries >= 30) throw error;
        }
      }
    };

    await Promise.all(others.map(addRetrying));

    const members = (await world.getGroup.execute({ userId: admin!, groupId })).members.map((m) => m.userId);
    expect(new Set(members)).to.deep.equal(new Set([admin!, ...others]));
  });
});

describe('changes that keep conflicting', () => {
  it('read the group again a few times, pausing longer each time, then answer 503 with Retry-After', async () => {
    const pauses: number[] = [];
    let reads = 0;
    const world = buildWorld();
    const [admin, joiner] = await world.register(2);
    const groupId = await groupOf(world, admin!, []);
    // Another change always gets there first.
    const contended: GroupRepository = {
      findById: (id) => (reads++, world.groups.findById(id)),
      create: (g) => world.groups.create(g),
      listForUser: (u) => world.groups.listForUser(u),
      removeMember: async () => ({ status: 'conflict' }),
      delete: async () => ({ status: 'conflict' }),
      addMember: async () => ({ status: 'conflict' }),
    };
    const sleep = world.clock.sleep.bind(world.clock);
    world.clock.sleep = (ms: number) => (pauses.push(ms), sleep(ms));
    const add = new AddGroupMember(world.users, contended, world.clock, SECURE_GROUP_POLICY);

    const failure = await add.execute({ requesterId: admin!, groupId, userId: joiner! }).catch((error: unknown) => error);

    expect(failure).to.deep.include({ code: 'unavailable' });
    expect((failure as { retryAfterSeconds?: number }).retryAfterSeconds).to.be.at.least(1);
    expect(reads, 'every attempt read the group once').to.equal(GROUP_CHANGE_ATTEMPTS);
    expect(reads, 'a few reads, not 50').to.be.at.most(10);
    expect(pauses, 'a pause before each read again').to.have.length(GROUP_CHANGE_ATTEMPTS - 1);
    expect(pauses.every((ms, i) => ms >= 0 && ms <= Math.min(500, 25 * 2 ** i)), `jittered under a doubling ceiling: ${pauses}`).to.equal(true);
  });
});

describe('GetGroup and ListGroups', () => {
  it('shows a group to its members only', async () => {
    const world = buildWorld();
    const [admin, outsider] = await world.register(2);
    const groupId = await groupOf(world, admin!, []);

    expect(await errorCodeOf(world.getGroup.execute({ userId: outsider!, groupId }))).to.equal('not_a_member');
    expect(await errorCodeOf(world.getGroup.execute({ userId: admin!, groupId: 'group-nope' }))).to.equal(
      'group_not_found',
    );
  });

  it('lists the groups of a user with their role in each, oldest first', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    const first = await groupOf(world, alice!, [bob!]);
    world.clock.advance(1000);
    const second = (await world.createGroup.execute({ creatorId: bob!, memberIds: [alice!], name: 'b' })).groupId;

    const groups = await world.listGroups.execute({ userId: alice! });

    expect(groups).to.deep.equal([
      { groupId: first, name: null, role: 'admin' },
      { groupId: second, name: 'b', role: 'member' },
    ]);
  });
});
