// Groups (SPEC 3 and 4): create_group, get_group, list_groups, add_remove_users and send_group_message.
// Every test makes its own groups, so the users registered once below can be shared.
import { expect } from 'chai';
import {
  PASSWORD,
  addRemoveUsers,
  createGroup,
  getGroup,
  inboxEnd,
  keysOf,
  listGroups,
  mustCreateGroup,
  mustSendGroupMessage,
  post,
  readNewMessages,
  registerUsers,
  sendGroupMessage,
  uniqueText,
  unknownGroupId,
  unknownUserId,
  type ApiResponse,
  type InboxMark,
  type InboxMessage,
} from './client.js';
import {
  GROUP_ID,
  expectCredentialsChecked,
  expectError,
  expectInboxItem,
  expectKeys,
  expectOk,
  expectSent,
  expectSentCredentialsChecked,
  expectValidationFailed,
} from './expectations.js';
import { SEED, describeInProfile } from './profile.js';

interface Member {
  user_id: string;
  role: string;
}

/** The members of a group as `member` sees them (must succeed), reduced to user_id and role. */
async function membersOf(member: string, groupId: string): Promise<Member[]> {
  const body = expectOk(await getGroup(member, groupId), `get_group ${groupId} by ${member}`);
  expect(body.members, 'get_group lists members as an array').to.be.an('array');
  return (body.members as Member[]).map(({ user_id, role }) => ({ user_id, role }));
}

async function mustAddRemove(requester: string, groupId: string, userId: string, action: string): Promise<string> {
  return expectOk(await addRemoveUsers(requester, groupId, userId, action), `${action} ${userId} by ${requester}`)
    .message as string;
}

/** Messages of one group that arrived in `user`'s inbox after `mark`. */
async function groupMessagesSince(user: string, mark: InboxMark, groupId: string): Promise<InboxMessage[]> {
  return (await readNewMessages(user, mark)).messages.filter((m) => m.group_id === groupId);
}

const admin = (user_id: string): Member => ({ user_id, role: 'admin' });
const member = (user_id: string): Member => ({ user_id, role: 'member' });

/** The seed's answer to a membership change that changes nothing, and to an unknown action (SPEC 7). */
const SEED_NOT_CHANGED = 'Invalid action or user already in desired state.';

/**
 * A membership change that changes nothing: 200 with `secureSentence` in the secure profile (SPEC 4),
 * 400 with the seed's sentence in the seed profile (SPEC 7).
 */
function expectNoChange(res: ApiResponse, secureSentence: string, behaviour: string): void {
  if (SEED) {
    expectError(res, 400, 'invalid_action', behaviour, SEED_NOT_CHANGED);
  } else {
    expect(expectOk(res, behaviour).message, `${behaviour}: the no-op says so`).to.equal(secureSentence);
  }
}

describe('Groups', function () {
  this.timeout(60000);

  let owner: string;
  let m1: string;
  let m2: string;
  let m3: string;
  /** Never joins a group in this file. */
  let outsider: string;
  before(async function () {
    [owner, m1, m2, m3, outsider] = (await registerUsers(5)) as [string, string, string, string, string];
  });

  describe('create_group', function () {
    it('creates a group from an array: creator admin first, then the members in order', async function () {
      const res = await createGroup(owner, [m1, m2], 'Team');
      const groupId = expectOk(res, 'create_group').group_id;
      expectKeys(res.body, ['group_id'], 'create_group answers {"group_id"} in both profiles');
      expect(groupId, 'group_id matches ^group-[a-zA-Z0-9]+$').to.be.a('string').that.matches(GROUP_ID);

      const body = expectOk(await getGroup(owner, groupId), 'get_group by the creator');
      expect(body.group_id, 'get_group echoes the group id').to.equal(groupId);
      expect(body.name, 'get_group returns the name').to.equal('Team');
      expect(await membersOf(owner, groupId), 'creator is admin, others member, in join order').to.deep.equal([
        admin(owner),
        member(m1),
        member(m2),
      ]);
    });

    for (const separator of [', ', ',', ' ,  ']) {
      it(`accepts members as a comma-separated string joined by "${separator}"`, async function () {
        const groupId = await mustCreateGroup(owner, `${m1}${separator}${m2}`);
        expect(await membersOf(owner, groupId), `members joined by "${separator}" are parsed`).to.deep.equal([
          admin(owner),
          member(m1),
          member(m2),
        ]);
      });
    }

    for (const [label, members] of [
      ['an empty string', ''],
      ['an empty array', []],
    ] as const) {
      it(`creates a group with only the creator from ${label}`, async function () {
        const groupId = await mustCreateGroup(owner, members as string | string[]);
        expect(await membersOf(owner, groupId), 'the creator alone, as admin').to.deep.equal([admin(owner)]);
      });
    }

    it('ignores duplicates and the creator listed as a member', async function () {
      const groupId = await mustCreateGroup(owner, [m1, owner, m1, m2, m2]);
      expect(await membersOf(owner, groupId), 'each user once; the creator stays admin').to.deep.equal([
        admin(owner),
        member(m1),
        member(m2),
      ]);
    });

    it('returns name null when no name is given', async function () {
      const groupId = await mustCreateGroup(owner, [m1]);
      const body = expectOk(await getGroup(owner, groupId), 'get_group');
      expect(body, 'get_group has a name field').to.have.property('name');
      expect(body.name, 'a group created without name has name null').to.equal(null);
    });

    it('accepts a name of 100 characters', async function () {
      const name = 'n'.repeat(100);
      const groupId = await mustCreateGroup(owner, [], name);
      expect(expectOk(await getGroup(owner, groupId), 'get_group').name, 'the name is kept whole').to.equal(name);
    });

    for (const [label, name] of [
      ['101 characters', 'n'.repeat(101)],
      ['a number', 7],
      ['an array', ['Team']],
    ] as const) {
      it(`rejects a name that is ${label} with 400 validation_failed naming name`, async function () {
        const res = await post('/create_group', { user_id: owner, password: PASSWORD, members: [m1], name });
        expectValidationFailed(res, ['name'], `name ${label}`);
      });
    }

    it('answers 404 user_not_found naming every unknown member, and creates nothing', async function () {
      const unknownA = unknownUserId();
      const unknownB = unknownUserId();
      const before = expectOk(await listGroups(m1), 'list_groups').groups as unknown[];
      const res = await createGroup(owner, [m1, unknownA, unknownB]);
      expectError(res, 404, 'user_not_found', 'create_group with unknown members');
      expect(res.text, 'the error names the first unknown id').to.include(unknownA);
      expect(res.text, 'the error names the second unknown id').to.include(unknownB);
      const after = expectOk(await listGroups(m1), 'list_groups').groups as unknown[];
      expect(after, 'the known member was not put into a half-created group').to.have.length(before.length);
    });

    it('answers 404 user_not_found for an unknown member in the comma-separated form', async function () {
      const res = await createGroup(owner, `${m1}, nobody`);
      expectError(res, 404, 'user_not_found', 'create_group with "nobody"');
      expect(res.text, 'the error names the unknown id').to.include('nobody');
    });

    for (const [label, members] of [
      ['a number', 42],
      ['null', null],
      ['an object', { a: 1 }],
      ['an array holding a number', [42]],
    ] as const) {
      it(`rejects members that is ${label} with 400 validation_failed naming members`, async function () {
        const res = await post('/create_group', { user_id: owner, password: PASSWORD, members });
        expectValidationFailed(res, ['members'], `members ${label}`);
      });
    }

    it('rejects a missing members field with 400 validation_failed naming members', async function () {
      const res = await post('/create_group', { user_id: owner, password: PASSWORD, name: 'x' });
      expectValidationFailed(res, ['members'], 'missing members');
    });

    // 409 group_full (more than 1024 members) would need 1024 registered users, about 17 minutes of password
    // hashing on a real deployment; unknown ids cannot stand in for them (they give 404 first). The unit tests
    // of the use case cover it.

    it('checks credentials when sent: unknown user and wrong password are the same 401', async function () {
      await expectSentCredentialsChecked('/create_group', 'user_id', owner, { members: [m1] });
    });
  });

  describe('get_group', function () {
    it('is visible to a member who is not admin', async function () {
      const groupId = await mustCreateGroup(owner, [m1]);
      expect(await membersOf(m1, groupId), 'a plain member sees the group').to.deep.equal([admin(owner), member(m1)]);
    });

    it('answers 403 not_a_member to a non-member', async function () {
      const groupId = await mustCreateGroup(owner, [m1]);
      expectError(await getGroup(outsider, groupId), 403, 'not_a_member', 'get_group by a non-member');
    });

    for (const groupId of ['nope', unknownGroupId()]) {
      it(`answers 404 group_not_found for the unknown group "${groupId}"`, async function () {
        expectError(await getGroup(owner, groupId), 404, 'group_not_found', `get_group ${groupId}`);
      });
    }

    for (const [label, groupId] of [
      ['a number', 5],
      ['null', null],
      ['an array', ['group-x']],
    ] as const) {
      it(`rejects a group_id that is ${label} with 400 validation_failed naming group_id`, async function () {
        const res = await post('/get_group', { user_id: owner, password: PASSWORD, group_id: groupId });
        expectValidationFailed(res, ['group_id'], `group_id ${label}`);
      });
    }

    it('rejects a missing group_id with 400 validation_failed naming group_id', async function () {
      expectValidationFailed(await post('/get_group', { user_id: owner, password: PASSWORD }), ['group_id'], 'missing');
    });

    it('checks credentials: unknown user and wrong password are the same 401, no password is 401', async function () {
      const groupId = await mustCreateGroup(m1, []);
      await expectCredentialsChecked('/get_group', 'user_id', m1, { group_id: groupId });
    });
  });

  describe('list_groups', function () {
    it("lists the acting user's groups with name and role, and no others", async function () {
      const mine = await mustCreateGroup(owner, [m1], 'Mine');
      const theirs = await mustCreateGroup(m1, [owner]);
      const notMine = await mustCreateGroup(m1, [m2]);

      const groups = expectOk(await listGroups(owner), 'list_groups').groups as Record<string, unknown>[];
      expect(groups, 'groups is an array').to.be.an('array');
      const find = (id: string): Record<string, unknown> | undefined => groups.find((g) => g.group_id === id);
      expect(find(mine), 'a group I created is listed, as admin').to.deep.include({
        group_id: mine,
        name: 'Mine',
        role: 'admin',
      });
      expect(find(theirs), "a group I was put in is listed, as member, name null").to.deep.include({
        group_id: theirs,
        name: null,
        role: 'member',
      });
      expect(find(notMine), 'a group I am not in is not listed').to.equal(undefined);
    });

    it('answers an empty list to a user in no group', async function () {
      const body = expectOk(await listGroups(outsider), 'list_groups');
      expect(body.groups, 'no groups').to.deep.equal([]);
    });

    it('stops listing a group the user left', async function () {
      const groupId = await mustCreateGroup(owner, [m2]);
      await mustAddRemove(m2, groupId, m2, 'remove');
      const groups = expectOk(await listGroups(m2), 'list_groups').groups as { group_id: string }[];
      expect(groups.map((g) => g.group_id), 'a left group is not listed').to.not.include(groupId);
    });

    it('checks credentials: unknown user and wrong password are the same 401, no password is 401', async function () {
      await expectCredentialsChecked('/list_groups', 'user_id', m2, {});
    });
  });

  describe('add_remove_users', function () {
    it('lets the admin add a member, who joins last as member', async function () {
      const groupId = await mustCreateGroup(owner, [m1]);
      const message = await mustAddRemove(owner, groupId, m2, 'add');
      expect(message, 'the seed sentence').to.equal(`${m2} has been added to the group.`);
      expect(await membersOf(m2, groupId), 'the new member is listed last, as member').to.deep.equal([
        admin(owner),
        member(m1),
        member(m2),
      ]);
    });

    it('lets the admin remove a member, who then cannot see the group', async function () {
      const groupId = await mustCreateGroup(owner, [m1, m2]);
      const message = await mustAddRemove(owner, groupId, m1, 'remove');
      expect(message, 'the seed sentence').to.equal(`${m1} has been removed from the group.`);
      expect(await membersOf(owner, groupId), 'the removed member is gone').to.deep.equal([admin(owner), member(m2)]);
      expectError(await getGroup(m1, groupId), 403, 'not_a_member', 'get_group by a removed member');
    });

    it('changes nothing when adding a member (secure: 200 "<user_id> is already in the group."; seed: 400)', async function () {
      const groupId = await mustCreateGroup(owner, [m1]);
      expectNoChange(await addRemoveUsers(owner, groupId, m1, 'add'), `${m1} is already in the group.`, 'adding a member');
      expectNoChange(
        await addRemoveUsers(owner, groupId, owner, 'add'),
        `${owner} is already in the group.`,
        'adding the admin',
      );
      expect(await membersOf(owner, groupId), 'no duplicate, no role change').to.deep.equal([
        admin(owner),
        member(m1),
      ]);
    });

    it('changes nothing when the admin removes a non-member (secure: 200 "<user_id> is not in the group."; seed: 400)', async function () {
      const groupId = await mustCreateGroup(owner, [m1]);
      expectNoChange(await addRemoveUsers(owner, groupId, m2, 'remove'), `${m2} is not in the group.`, 'removing a non-member');
      expect(await membersOf(owner, groupId), 'membership unchanged').to.deep.equal([admin(owner), member(m1)]);
    });

    it('changes nothing when a non-member removes themselves (secure: 200 "<user_id> is not in the group."; seed: 400)', async function () {
      const groupId = await mustCreateGroup(owner, [m1]);
      expectNoChange(
        await addRemoveUsers(outsider, groupId, outsider, 'remove'),
        `${outsider} is not in the group.`,
        'leaving a group you are not in',
      );
      expect(await membersOf(owner, groupId), 'membership unchanged').to.deep.equal([admin(owner), member(m1)]);
    });

    it('lets any member remove themselves', async function () {
      const groupId = await mustCreateGroup(owner, [m1, m2]);
      expect(await mustAddRemove(m1, groupId, m1, 'remove'), 'a member leaves').to.equal(
        `${m1} has been removed from the group.`,
      );
      expect(await membersOf(owner, groupId), 'the leaver is gone').to.deep.equal([admin(owner), member(m2)]);
    });

    for (const groupId of ['nope', unknownGroupId()]) {
      it(`answers 404 group_not_found for the unknown group "${groupId}"`, async function () {
        expectError(await addRemoveUsers(owner, groupId, m1, 'add'), 404, 'group_not_found', `group ${groupId}`);
      });
    }

    for (const userId of ['nobody', unknownUserId()]) {
      it(`answers 404 user_not_found when adding the unknown user "${userId}"`, async function () {
        const groupId = await mustCreateGroup(owner, []);
        expectError(await addRemoveUsers(owner, groupId, userId, 'add'), 404, 'user_not_found', `adding ${userId}`);
      });
    }

    for (const action of ['delete', 'promote']) {
      it(`answers 400 invalid_action to the action "${action}" (seed: with the seed's sentence)`, async function () {
        const groupId = await mustCreateGroup(owner, [m1]);
        const res = await addRemoveUsers(owner, groupId, m1, action);
        expectError(res, 400, 'invalid_action', `action "${action}"`, SEED ? SEED_NOT_CHANGED : undefined);
        expect(await membersOf(owner, groupId), 'an invalid action changes nothing').to.deep.equal([
          admin(owner),
          member(m1),
        ]);
      });
    }

    it('rejects missing group_id, user_id and action with 400 validation_failed naming each', async function () {
      const res = await post('/add_remove_users', { requester_id: owner, password: PASSWORD });
      expectValidationFailed(res, ['group_id', 'user_id', 'action'], 'all fields missing');
    });

    for (const field of ['group_id', 'user_id', 'action'] as const) {
      it(`rejects ${field} as a number with 400 validation_failed naming ${field}`, async function () {
        const groupId = await mustCreateGroup(owner, []);
        const body = { requester_id: owner, password: PASSWORD, group_id: groupId, user_id: m1, action: 'add' };
        const res = await post('/add_remove_users', { ...body, [field]: 1 });
        expectValidationFailed(res, [field], `${field} a number`);
      });
    }

    it('promotes the longest-standing member to admin when the last admin leaves', async function () {
      // Two groups with the join order swapped, so the choice cannot come from the ids themselves.
      const first = await mustCreateGroup(owner, [m1]);
      await mustAddRemove(owner, first, m2, 'add');
      const second = await mustCreateGroup(owner, [m2]);
      await mustAddRemove(owner, second, m1, 'add');

      await mustAddRemove(owner, first, owner, 'remove');
      await mustAddRemove(owner, second, owner, 'remove');

      expect(await membersOf(m2, first), 'm1 joined first, so m1 becomes admin').to.deep.equal([admin(m1), member(m2)]);
      expect(await membersOf(m1, second), 'm2 joined first, so m2 becomes admin').to.deep.equal([
        admin(m2),
        member(m1),
      ]);
      expect(await mustAddRemove(m1, first, m3, 'add'), 'the promoted admin can add members').to.equal(
        `${m3} has been added to the group.`,
      );
    });

    it('deletes the group when its last member leaves', async function () {
      const groupId = await mustCreateGroup(owner, [m1]);
      expectError(await getGroup(outsider, groupId), 403, 'not_a_member', 'the group exists before');
      await mustAddRemove(owner, groupId, m1, 'remove');
      await mustAddRemove(owner, groupId, owner, 'remove');

      expectError(await getGroup(outsider, groupId), 404, 'group_not_found', 'get_group after the last member left');
      expectError(
        await addRemoveUsers(owner, groupId, owner, 'add'),
        404,
        'group_not_found',
        'add_remove_users on a deleted group',
      );
      const groups = expectOk(await listGroups(owner), 'list_groups').groups as { group_id: string }[];
      expect(groups.map((g) => g.group_id), 'a deleted group is not listed').to.not.include(groupId);
    });

    it('checks credentials when sent: unknown requester and wrong password are the same 401, and change nothing', async function () {
      const groupId = await mustCreateGroup(m3, []);
      await expectSentCredentialsChecked('/add_remove_users', 'requester_id', m3, {
        group_id: groupId,
        user_id: m1,
        action: 'add',
      });
      expect(await membersOf(m3, groupId), 'a refused request added nobody').to.deep.equal([admin(m3)]);
    });
  });

  describeInProfile('secure', 'group management needs credentials and a role', function () {
    it('answers 401 to create_group and add_remove_users without a password, and changes nothing', async function () {
      const before = expectOk(await listGroups(m1), 'list_groups').groups as unknown[];
      const withoutPassword = await post('/create_group', { user_id: owner, members: [m1] });
      expectError(withoutPassword, 401, 'unauthorized', 'create_group without a password');
      const withoutCredentials = await post('/create_group', { members: [m1] });
      expectError(withoutCredentials, 401, 'unauthorized', 'create_group without credentials');
      const after = expectOk(await listGroups(m1), 'list_groups').groups as unknown[];
      expect(after, 'no group was created').to.have.length(before.length);

      const groupId = await mustCreateGroup(owner, [m1]);
      for (const body of [
        { requester_id: owner, group_id: groupId, user_id: m2, action: 'add' },
        { group_id: groupId, user_id: m2, action: 'add' },
        { group_id: groupId, user_id: m1, action: 'remove' },
      ]) {
        const res = await post('/add_remove_users', body);
        expectError(res, 401, 'unauthorized', `add_remove_users ${JSON.stringify(body)}`);
      }
      expect(await membersOf(owner, groupId), 'the refused changes changed nothing').to.deep.equal([
        admin(owner),
        member(m1),
      ]);
    });

    it('answers 403 not_an_admin when a plain member adds or removes someone else', async function () {
      const groupId = await mustCreateGroup(owner, [m1, m2]);
      expectError(await addRemoveUsers(m1, groupId, m3, 'add'), 403, 'not_an_admin', 'a member adding');
      expectError(await addRemoveUsers(m1, groupId, m2, 'remove'), 403, 'not_an_admin', 'a member removing a member');
      expectError(await addRemoveUsers(m1, groupId, owner, 'remove'), 403, 'not_an_admin', 'a member removing the admin');
      expect(await membersOf(owner, groupId), 'the refused changes changed nothing').to.deep.equal([
        admin(owner),
        member(m1),
        member(m2),
      ]);
    });

    it('answers 403 not_a_member when a non-member adds or removes someone', async function () {
      const groupId = await mustCreateGroup(owner, [m1]);
      expectError(await addRemoveUsers(outsider, groupId, m2, 'add'), 403, 'not_a_member', 'a non-member adding');
      expectError(await addRemoveUsers(outsider, groupId, m1, 'remove'), 403, 'not_a_member', 'a non-member removing');
      expect(await membersOf(owner, groupId), 'the refused changes changed nothing').to.deep.equal([
        admin(owner),
        member(m1),
      ]);
    });
  });

  // SPEC 7: in the seed profile create_group and add_remove_users need no credentials and no role.
  describeInProfile('seed', 'group management open to anyone', function () {
    const anonymousChange = (groupId: string, userId: string, action: string): Promise<ApiResponse> =>
      post('/add_remove_users', { group_id: groupId, user_id: userId, action });

    it('creates a group from {"members"} alone; the first listed member is its admin', async function () {
      for (const members of [[m1, m2], `${m1}, ${m2}`]) {
        const res = await post('/create_group', { members });
        const groupId = expectOk(res, `anonymous create_group from ${JSON.stringify(members)}`).group_id as string;
        expectKeys(res.body, ['group_id'], 'the seed answers {"group_id"} only');
        expect(groupId, 'group_id matches ^group-[a-zA-Z0-9]+$').to.match(GROUP_ID);
        expect(await membersOf(m1, groupId), 'the first listed member is admin, the rest members').to.deep.equal([
          admin(m1),
          member(m2),
        ]);
      }
    });

    it('treats an acting user id without a password as no credentials: it confers nothing', async function () {
      const res = await post('/create_group', { user_id: owner, members: [m1] });
      const groupId = expectOk(res, 'create_group with user_id and no password').group_id as string;
      expect(await membersOf(m1, groupId), 'the named user_id is not made a member, let alone admin').to.deep.equal([
        admin(m1),
      ]);
    });

    it('answers 404 for unknown members and 400 for an empty member list, and creates nothing', async function () {
      const unknown = unknownUserId();
      const before = expectOk(await listGroups(m1), 'list_groups').groups as unknown[];
      const res = await post('/create_group', { members: [m1, unknown] });
      expectError(res, 404, 'user_not_found', 'anonymous create_group with an unknown member');
      expect(res.text, 'the error names the unknown id').to.include(unknown);
      expectValidationFailed(await post('/create_group', { members: [] }), ['members'], 'anonymous create_group of nobody');
      const after = expectOk(await listGroups(m1), 'list_groups').groups as unknown[];
      expect(after, 'no group was created').to.have.length(before.length);
    });

    it('lets anyone add and remove members of any group without credentials', async function () {
      const groupId = await mustCreateGroup(owner, [m1]);
      expect(expectOk(await anonymousChange(groupId, m2, 'add'), 'anonymous add').message, 'the add sentence').to.equal(
        `${m2} has been added to the group.`,
      );
      expect(
        expectOk(await anonymousChange(groupId, m1, 'remove'), 'anonymous remove').message,
        'the remove sentence',
      ).to.equal(`${m1} has been removed from the group.`);
      expect(await membersOf(owner, groupId), 'the anonymous changes were made').to.deep.equal([
        admin(owner),
        member(m2),
      ]);
    });

    it('answers 400 with the seed sentence to an anonymous change that changes nothing, or an unknown action', async function () {
      const groupId = await mustCreateGroup(owner, [m1]);
      for (const [userId, action, label] of [
        [m1, 'add', 'adding a member'],
        [m2, 'remove', 'removing a non-member'],
        [m2, 'promote', 'an unknown action'],
      ] as const) {
        expectError(await anonymousChange(groupId, userId, action), 400, 'invalid_action', label, SEED_NOT_CHANGED);
      }
      expect(await membersOf(owner, groupId), 'nothing changed').to.deep.equal([admin(owner), member(m1)]);
    });

    it('answers 404 for an unknown group or user to an anonymous change', async function () {
      const groupId = await mustCreateGroup(owner, []);
      expectError(await anonymousChange(unknownGroupId(), m1, 'add'), 404, 'group_not_found', 'an unknown group');
      expectError(await anonymousChange(groupId, unknownUserId(), 'add'), 404, 'user_not_found', 'an unknown user');
    });

    it('lets a plain member and a non-member add and remove others with credentials (no role needed)', async function () {
      const groupId = await mustCreateGroup(owner, [m1, m2]);
      expect(await mustAddRemove(m1, groupId, m3, 'add'), 'a plain member adds').to.equal(
        `${m3} has been added to the group.`,
      );
      expect(await mustAddRemove(m1, groupId, m2, 'remove'), 'a plain member removes another').to.equal(
        `${m2} has been removed from the group.`,
      );
      expect(await mustAddRemove(outsider, groupId, m2, 'add'), 'a non-member adds').to.equal(
        `${m2} has been added to the group.`,
      );
      expect(await mustAddRemove(outsider, groupId, m3, 'remove'), 'a non-member removes').to.equal(
        `${m3} has been removed from the group.`,
      );
      expect(await membersOf(owner, groupId), 'every change was made, in join order').to.deep.equal([
        admin(owner),
        member(m1),
        member(m2),
      ]);
    });
  });

  describe('send_group_message', function () {
    it('delivers to every other member with group_id, and not to the sender', async function () {
      const groupId = await mustCreateGroup(owner, [m1, m2]);
      const [cOwner, c1, c2] = await Promise.all([inboxEnd(owner), inboxEnd(m1), inboxEnd(m2)]);
      const text = uniqueText('to the group');
      const key = expectSent(await sendGroupMessage(m1, groupId, text), groupId, text, 'send_group_message');

      for (const [user, mark, label] of [
        [owner, cOwner, 'the admin'],
        [m2, c2, 'another member'],
      ] as const) {
        const received = await groupMessagesSince(user, mark, groupId);
        expect(keysOf(received), `${label} receives the group message once`).to.deep.equal([key]);
        const item = received[0]!;
        expectInboxItem(item, 'group', `a group message to ${label}`);
        expect(item.group_id, 'group_id is the group').to.equal(groupId);
        expect(item.sender_id, 'sender_id is the sender').to.equal(m1);
        expect(item.message, 'the text arrives unchanged').to.equal(text);
      }
      expect(await groupMessagesSince(m1, c1, groupId), 'the sender does not receive their own group message').to.deep.equal(
        [],
      );
    });

    it('delivers to a member added later only what is sent after they joined', async function () {
      const groupId = await mustCreateGroup(owner, [m1]);
      const mark = await inboxEnd(m3);
      await mustSendGroupMessage(m1, groupId, 'before m3 joined');
      await mustAddRemove(owner, groupId, m3, 'add');
      const after = await mustSendGroupMessage(m1, groupId, 'after m3 joined');
      const received = await groupMessagesSince(m3, mark, groupId);
      expect(keysOf(received), 'only the message after joining').to.deep.equal([after]);
    });

    it('stops delivering to a member once removed or after leaving', async function () {
      const groupId = await mustCreateGroup(owner, [m1, m2]);
      const [c1, c2] = await Promise.all([inboxEnd(m1), inboxEnd(m2)]);
      const before = await mustSendGroupMessage(owner, groupId, 'while everyone is in');
      await mustAddRemove(owner, groupId, m1, 'remove');
      await mustAddRemove(m2, groupId, m2, 'remove');
      await mustSendGroupMessage(owner, groupId, 'after they are gone');

      const [got1, got2] = await Promise.all([
        groupMessagesSince(m1, c1, groupId),
        groupMessagesSince(m2, c2, groupId),
      ]);
      expect(keysOf(got1), 'a removed member gets only what was sent before').to.deep.equal([before]);
      expect(keysOf(got2), 'a member who left gets only what was sent before').to.deep.equal([before]);
    });

    it('answers 403 not_a_member to a sender outside the group, and delivers nothing', async function () {
      const groupId = await mustCreateGroup(owner, [m1]);
      const mark = await inboxEnd(owner);
      expectError(await sendGroupMessage(outsider, groupId, 'let me in'), 403, 'not_a_member', 'a non-member sending');
      expect(await groupMessagesSince(owner, mark, groupId), 'nothing was delivered').to.deep.equal([]);
    });

    for (const groupId of ['nope', unknownGroupId()]) {
      it(`answers 404 group_not_found for the unknown group "${groupId}"`, async function () {
        expectError(await sendGroupMessage(owner, groupId, 'hi'), 404, 'group_not_found', `group ${groupId}`);
      });
    }

    describe('bad input', function () {
      let groupId: string;
      before(async function () {
        groupId = await mustCreateGroup(owner, [m1]);
      });

      for (const [label, text] of [
        ['an empty string', ''],
        ['only white space', ' \n\t '],
        ['4097 characters', 'g'.repeat(4097)],
        ['a number', 12],
        ['null', null],
      ] as const) {
        it(`rejects a message that is ${label} with 400 validation_failed naming message`, async function () {
          const res = await post('/send_group_message', {
            sender_id: owner,
            password: PASSWORD,
            group_id: groupId,
            message: text,
          });
          expectValidationFailed(res, ['message'], `group message ${label}`);
        });
      }

      it('rejects a group_id that is a number with 400 validation_failed naming group_id', async function () {
        const res = await post('/send_group_message', { sender_id: owner, password: PASSWORD, group_id: 3, message: 'x' });
        expectValidationFailed(res, ['group_id'], 'group_id a number');
      });

      it('names every missing field: group_id and message', async function () {
        const res = await post('/send_group_message', { sender_id: owner, password: PASSWORD });
        expectValidationFailed(res, ['group_id', 'message'], 'missing group_id and message');
      });

      it('checks credentials: unknown sender and wrong password are the same 401, no password is 401', async function () {
        await expectCredentialsChecked('/send_group_message', 'sender_id', owner, { group_id: groupId, message: 'x' });
      });
    });
  });
});
