// block_user and unblock_user (SPEC 4, Blocking): A blocks B stops B's deliveries to A, and only those.
import { expect } from 'chai';
import {
  PASSWORD,
  addRemoveUsers,
  blockUser,
  createGroup,
  getGroup,
  inboxEnd,
  keysOf,
  mustCreateGroup,
  mustSendGroupMessage,
  mustSendMessage,
  post,
  readNewMessages,
  registerUsers,
  sendGroupMessage,
  sendMessage,
  unblockUser,
  uniqueText,
  unknownUserId,
} from './client.js';
import { expectCredentialsChecked, expectError, expectOk, expectSent, expectValidationFailed } from './expectations.js';
import { describeInProfile } from './profile.js';

/** `blocker` blocks `blocked`, which must succeed. */
async function mustBlock(blocker: string, blocked: string): Promise<void> {
  expectOk(await blockUser(blocker, blocked), `${blocker} blocks ${blocked}`);
}

describe('Blocking', function () {
  this.timeout(60000);

  // Two users for the checks that change no relationship that matters to another test.
  let someone: string;
  let other: string;
  before(async function () {
    [someone, other] = (await registerUsers(2)) as [string, string];
  });

  describe('block_user', function () {
    it("answers with the seed sentence, refuses the blocked user's later messages and keeps earlier ones", async function () {
      const [a, b] = (await registerUsers(2)) as [string, string];
      const mark = await inboxEnd(a);
      const before = await mustSendMessage(b, a, uniqueText('before the block'));

      const res = await blockUser(a, b);
      expect(expectOk(res, 'block_user').message, 'the block sentence names the blocked user').to.equal(
        `You have blocked ${b}.`,
      );

      const refused = await sendMessage(b, a, uniqueText('after the block'));
      // Secure: {"error": "blocked", "message": ...}; seed: {"message": ...} only; the sentence is the seed's in both.
      expectError(refused, 403, 'blocked', 'a blocked sender', `You are unable to send messages to ${a}.`);

      const { messages } = await readNewMessages(a, mark);
      expect(keysOf(messages), 'messages delivered before the block stay, and the refused one is not stored').to.deep.equal([
        before,
      ]);
    });

    it('is idempotent: blocking twice answers 200 both times and the block holds', async function () {
      const [a, b] = (await registerUsers(2)) as [string, string];
      for (const attempt of ['first', 'second']) {
        const body = expectOk(await blockUser(a, b), `${attempt} block_user`);
        expect(body.message, `the ${attempt} block answers the same sentence`).to.equal(`You have blocked ${b}.`);
      }
      expectError(await sendMessage(b, a, 'still blocked?'), 403, 'blocked', 'a block made twice holds');
    });

    it('accepts block_user_id as an alias of blocked_user_id', async function () {
      const [a, b] = (await registerUsers(2)) as [string, string];
      const res = await post('/block_user', { user_id: a, password: PASSWORD, block_user_id: b });
      expect(expectOk(res, 'block_user with block_user_id').message, 'the alias names the blocked user').to.equal(
        `You have blocked ${b}.`,
      );
      expectError(await sendMessage(b, a, 'hi'), 403, 'blocked', 'a block made through the alias holds');
    });

    it('is one-way: the blocker can still send to the blocked user, who receives it', async function () {
      const [a, b] = (await registerUsers(2)) as [string, string];
      await mustBlock(a, b);
      const mark = await inboxEnd(b);
      const text = uniqueText('you are blocked, but I can still write');
      const key = expectSent(await sendMessage(a, b, text), b, text, 'the blocker sends to the blocked user');
      const { messages } = await readNewMessages(b, mark);
      expect(keysOf(messages), "the blocked user receives the blocker's message").to.deep.equal([key]);
    });

    it('rejects blocking yourself with 400 validation_failed', async function () {
      expectValidationFailed(await blockUser(someone, someone), [], 'blocking yourself');
    });

    for (const target of ['nobody', 'user-doesnotexist', unknownUserId()]) {
      it(`answers 404 user_not_found when blocking the unknown user "${target}"`, async function () {
        expectError(await blockUser(someone, target), 404, 'user_not_found', `blocking ${target}`);
      });
    }

    for (const [label, value] of [
      ['a number', 42],
      ['null', null],
      ['an array', [unknownUserId()]],
      ['an object', { id: 'x' }],
    ] as const) {
      it(`rejects a blocked_user_id that is ${label} with 400 validation_failed`, async function () {
        const res = await post('/block_user', { user_id: someone, password: PASSWORD, blocked_user_id: value });
        expectValidationFailed(res, ['blocked_user_id'], `blocked_user_id ${label}`);
      });
    }

    it('rejects a missing blocked_user_id with 400 validation_failed (secure: naming it or its alias)', async function () {
      const res = await post('/block_user', { user_id: someone, password: PASSWORD });
      expectValidationFailed(res, [/^blocked?_user_id$/], 'missing blocked_user_id');
    });

    it('checks credentials: unknown user and wrong password are the same 401, no password is 401', async function () {
      await expectCredentialsChecked('/block_user', 'user_id', someone, { blocked_user_id: other });
    });
  });

  describe('unblock_user', function () {
    it('answers "You have unblocked <id>." and restores delivery of future messages', async function () {
      const [a, b] = (await registerUsers(2)) as [string, string];
      await mustBlock(a, b);
      expectError(await sendMessage(b, a, 'blocked'), 403, 'blocked', 'blocked before the unblock');

      const body = expectOk(await unblockUser(a, b), 'unblock_user');
      expect(body.message, 'the unblock sentence names the user').to.equal(`You have unblocked ${b}.`);

      const mark = await inboxEnd(a);
      const text = uniqueText('welcome back');
      const key = expectSent(await sendMessage(b, a, text), a, text, 'a sender is accepted again after the unblock');
      const { messages } = await readNewMessages(a, mark);
      expect(keysOf(messages), 'messages after the unblock are delivered').to.deep.equal([key]);
    });

    it('accepts block_user_id as an alias of blocked_user_id', async function () {
      const [a, b] = (await registerUsers(2)) as [string, string];
      await mustBlock(a, b);
      const res = await post('/unblock_user', { user_id: a, password: PASSWORD, block_user_id: b });
      expect(expectOk(res, 'unblock_user with block_user_id').message, 'the alias names the user').to.equal(
        `You have unblocked ${b}.`,
      );
      expectOk(await sendMessage(b, a, 'hi again'), 'an unblock made through the alias holds');
    });

    it('answers 200 when the user was not blocked', async function () {
      const body = expectOk(await unblockUser(someone, other), 'unblocking someone not blocked');
      expect(body.message, 'the same sentence as a real unblock').to.equal(`You have unblocked ${other}.`);
    });

    for (const target of ['nobody', unknownUserId()]) {
      it(`answers 404 user_not_found when unblocking the unknown user "${target}"`, async function () {
        expectError(await unblockUser(someone, target), 404, 'user_not_found', `unblocking ${target}`);
      });
    }

    it('rejects a blocked_user_id that is a number with 400 validation_failed', async function () {
      const res = await post('/unblock_user', { user_id: someone, password: PASSWORD, blocked_user_id: 7 });
      expectValidationFailed(res, ['blocked_user_id'], 'blocked_user_id a number');
    });

    it('rejects a missing blocked_user_id with 400 validation_failed (secure: naming it or its alias)', async function () {
      const res = await post('/unblock_user', { user_id: someone, password: PASSWORD });
      expectValidationFailed(res, [/^blocked?_user_id$/], 'missing blocked_user_id');
    });

    it('checks credentials: unknown user and wrong password are the same 401, no password is 401', async function () {
      await expectCredentialsChecked('/unblock_user', 'user_id', someone, { blocked_user_id: other });
    });
  });

  describe('in groups', function () {
    it("stops the blocked user's group messages to the blocker only, and only one way", async function () {
      const [a, b, c] = (await registerUsers(3)) as [string, string, string];
      const group = await mustCreateGroup(c, [a, b]);
      await mustBlock(a, b);
      const [markA, markB, markC] = await Promise.all([inboxEnd(a), inboxEnd(b), inboxEnd(c)]);

      const textB = uniqueText('from the blocked member');
      const res = await sendGroupMessage(b, group, textB);
      const fromB = expectSent(res, group, textB, 'a blocked member may still post to the group');
      const fromA = await mustSendGroupMessage(a, group, uniqueText('from the blocker'));

      const [inboxA, inboxB, inboxC] = await Promise.all([
        readNewMessages(a, markA),
        readNewMessages(b, markB),
        readNewMessages(c, markC),
      ]);
      const idsOf = (r: typeof inboxA): string[] => keysOf(r.messages);
      expect(idsOf(inboxA), "the blocker does not get the blocked member's group message").to.not.include(fromB);
      expect(idsOf(inboxC), "other members still get the blocked member's group message").to.include(fromB);
      expect(idsOf(inboxB), "the blocked member still gets the blocker's group message").to.include(fromA);
      expect(idsOf(inboxC), "other members get the blocker's group message").to.include(fromA);
    });

    it('delivers group messages again after the unblock', async function () {
      const [a, b, c] = (await registerUsers(3)) as [string, string, string];
      const group = await mustCreateGroup(c, [a, b]);
      await mustBlock(a, b);
      const mark = await inboxEnd(a);
      const during = await mustSendGroupMessage(b, group, uniqueText('during the block'));
      expectOk(await unblockUser(a, b), 'unblock_user');
      const after = await mustSendGroupMessage(b, group, uniqueText('after the unblock'));

      const { messages } = await readNewMessages(a, mark);
      expect(keysOf(messages), 'only the message sent after the unblock arrives').to.deep.equal([after]);
      expect(during, 'the message during the block was a message of its own').to.not.equal(after);
    });

    it('refuses to let the blocked user put the blocker in a group', async function () {
      const [a, b] = (await registerUsers(2)) as [string, string];
      await mustBlock(a, b);

      expectError(await createGroup(b, [a]), 403, 'blocked', 'create_group with the blocker (array)');
      expectError(await createGroup(b, `${a}`), 403, 'blocked', 'create_group with the blocker (string)');

      const group = await mustCreateGroup(b, []);
      expectError(await addRemoveUsers(b, group, a, 'add'), 403, 'blocked', 'adding the blocker to a group');
      const members = expectOk(await getGroup(b, group), 'get_group').members as { user_id: string }[];
      expect(members.map((m) => m.user_id), 'the refused add left the blocker out').to.deep.equal([b]);
    });
  });

  // Seed profile: create_group and add_remove_users without credentials have no acting user, so there is
  // nobody for a block to refuse; the block still stops the blocked user's deliveries.
  describeInProfile('seed', 'in groups managed without credentials', function () {
    it("lets anyone put the blocker and the blocked user in one group, and still stops the blocked user's messages", async function () {
      const [a, b, c] = (await registerUsers(3)) as [string, string, string];
      await mustBlock(a, b);
      const created = await post('/create_group', { members: [b, a, c] });
      const group = expectOk(created, 'anonymous create_group with the blocker and the blocked user').group_id as string;
      const late = await mustCreateGroup(b, []);
      const added = await post('/add_remove_users', { group_id: late, user_id: a, action: 'add' });
      expect(expectOk(added, 'anonymous add of the blocker').message, 'the anonymous add is made').to.equal(
        `${a} has been added to the group.`,
      );

      const [markA, markC] = await Promise.all([inboxEnd(a), inboxEnd(c)]);
      const fromB = await mustSendGroupMessage(b, group, uniqueText('from the blocked member'));
      const fromBLate = await mustSendGroupMessage(b, late, uniqueText('from the blocked admin'));
      const [inboxA, inboxC] = await Promise.all([readNewMessages(a, markA), readNewMessages(c, markC)]);
      expect(keysOf(inboxA.messages), "the blocker gets none of the blocked user's group messages").to.deep.equal([]);
      expect(keysOf(inboxC.messages), "other members still get the blocked user's group message").to.deep.equal([
        fromB,
      ]);
      expect(fromBLate, 'the second group message was a message of its own').to.not.equal(fromB);
    });
  });
});
