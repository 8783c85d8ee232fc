// The behaviour every storage adapter must show, written once and run against each of them.
import { expect } from 'chai';
import { Group } from '../../src/core/Group.js';
import { SECURE_GROUP_POLICY } from '../../src/core/GroupPolicy.js';
import { INBOX_START } from '../../src/core/InboxCursor.js';
import type { Message } from '../../src/core/Message.js';
import type { BlockRepository } from '../../src/ports/BlockRepository.js';
import type { GroupRepository } from '../../src/ports/GroupRepository.js';
import type { MessageRepository } from '../../src/ports/MessageRepository.js';
import type { UserRepository } from '../../src/ports/UserRepository.js';

export interface Repositories {
  users: UserRepository;
  blocks: BlockRepository;
  groups: GroupRepository;
  messages: MessageRepository;
}

let counter = 0;
/** Ids unique across runs, so the suite can share one table with other tests. */
const unique = (prefix: string) => `${prefix}-c${Date.now().toString(36)}${(counter++).toString(36)}`;
const noGuard = (userId: string) => ({ userId, blockerIds: [] });

export function describeRepositoryContract(adapter: string, open: () => Promise<Repositories>): void {
  describe(`${adapter} repositories`, function () {
    let repos: Repositories;
    before(async () => {
      repos = await open();
    });

    describe('UserRepository', () => {
      it('finds a user after inserting it', async () => {
        const user = { id: unique('user'), passwordHash: 'h1', createdAt: 1 };

        expect(await repos.users.insert(user)).to.equal(true);
        expect((await repos.users.findForSignIn(user.id, 0)).user).to.deep.equal(user);
      });

      it('answers undefined for an unknown id', async () => {
        expect((await repos.users.findForSignIn(unique('user'), 0)).user).to.equal(undefined);
      });

      it('refuses to insert over an existing id and keeps the original', async () => {
        const id = unique('user');
        await repos.users.insert({ id, passwordHash: 'original', createdAt: 1 });

        expect(await repos.users.insert({ id, passwordHash: 'intruder', createdAt: 2 })).to.equal(false);
        expect((await repos.users.findForSignIn(id, 0)).user?.passwordHash).to.equal('original');
      });

      it('names the ids that belong to no user', async () => {
        const known = unique('user');
        await repos.users.insert({ id: known, passwordHash: 'h', createdAt: 1 });
        const ghost = unique('user');

        expect(await repos.users.findMissing([known, ghost, ghost])).to.deep.equal([ghost]);
      });
    });

    describe('BlockRepository', () => {
      it('reports who among candidates has blocked a user, idempotently, until unblocked', async () => {
        const [target, blocker, bystander] = [unique('user'), unique('user'), unique('user')];
        await repos.blocks.block(blocker, target);
        await repos.blocks.block(blocker, target);

        expect(await repos.blocks.blockersAmong(target, [blocker, bystander])).to.deep.equal(new Set([blocker]));
        expect(await repos.blocks.blockersAmong(blocker, [target]), 'blocking is one-way').to.deep.equal(new Set());

        await repos.blocks.unblock(blocker, target);
        await repos.blocks.unblock(blocker, target);
        expect(await repos.blocks.blockersAmong(target, [blocker])).to.deep.equal(new Set());
      });
    });

    describe('GroupRepository', () => {
      it('finds a group after creating it and lists it for each member with their role', async () => {
        const [admin, member] = [unique('user'), unique('user')];
        const group = Group.create(unique('group'), 'g', admin, [member], 1000);

        expect(await repos.groups.create(group, noGuard(admin))).to.deep.equal({ status: 'written' });

        const found = await repos.groups.findById(group.id);
        expect(found?.members).to.deep.equal(group.members);
        expect([found?.name, found?.version]).to.deep.equal(['g', 1]);
        expect(await repos.groups.listForUser(member)).to.deep.equal([{ groupId: group.id, name: 'g', role: 'member' }]);
      });

      it('refuses to create over an existing id', async () => {
        const admin = unique('user');
        const group = Group.create(unique('group'), null, admin, [], 1);
        await repos.groups.create(group, noGuard(admin));

        expect(await repos.groups.create(Group.create(group.id, 'other', admin, [], 2), noGuard(admin))).to.deep.equal({
          status: 'conflict',
        });
        expect((await repos.groups.findById(group.id))?.name).to.equal(null);
      });

      it('refuses to create a group when a guarded member has blocked the creator', async () => {
        const [admin, friend, foe] = [unique('user'), unique('user'), unique('user')];
        await repos.blocks.block(foe, admin);
        const group = Group.create(unique('group'), null, admin, [friend, foe], 1);

        const outcome = await repos.groups.create(group, { userId: admin, blockerIds: [friend, foe] });

        expect(outcome).to.deep.equal({ status: 'blocked', blockedBy: [foe] });
        expect(await repos.groups.findById(group.id)).to.equal(undefined);
      });

      it('replaces a group only from the version it was read at', async () => {
        const [admin, newcomer] = [unique('user'), unique('user')];
        const group = Group.create(unique('group'), null, admin, [], 1);
        await repos.groups.create(group, noGuard(admin));
        const change = group.add(admin, newcomer, 2, SECURE_GROUP_POLICY);
        if (!change.changed || !change.group) throw new Error('expected a change');

        expect(await repos.groups.replace(group, change.group)).to.deep.equal({ status: 'written' });
        expect(await repos.groups.replace(group, change.group), 'stale version').to.deep.equal({ status: 'conflict' });
        expect((await repos.groups.findById(group.id))?.version).to.equal(2);
        expect(await repos.groups.listForUser(newcomer)).to.have.length(1);
      });

      it('does not replace when the guard fails', async () => {
        const [admin, foe] = [unique('user'), unique('user')];
        const group = Group.create(unique('group'), null, admin, [], 1);
        await repos.groups.create(group, noGuard(admin));
        await repos.blocks.block(foe, admin);
        const change = group.add(admin, foe, 2, SECURE_GROUP_POLICY);
        if (!change.changed || !change.group) throw new Error('expected a change');

        const outcome = await repos.groups.replace(group, change.group, { userId: admin, blockerIds: [foe] });

        expect(outcome).to.deep.equal({ status: 'blocked', blockedBy: [foe] });
        expect((await repos.groups.findById(group.id))?.members).to.have.length(1);
      });

      it('deletes a group replaced by nothing and drops it from its members’ lists', async () => {
        const admin = unique('user');
        const group = Group.create(unique('group'), null, admin, [], 1);
        await repos.groups.create(group, noGuard(admin));

        expect(await repos.groups.replace(group, null)).to.deep.equal({ status: 'written' });
        expect(await repos.groups.findById(group.id)).to.equal(undefined);
        expect(await repos.groups.listForUser(admin)).to.deep.equal([]);
      });
    });

    describe('MessageRepository', () => {
      const message = (sentAt: number, text = `t${sentAt}`): Message => ({
        id: unique('msg'),
        senderId: 'user-sender',
        text,
        sentAt,
      });

      it('delivers to every recipient and reads back oldest first', async () => {
        const [a, b] = [unique('user'), unique('user')];
        const first = message(1000);
        const second = { ...message(2000), groupId: 'group-x' };
        await repos.messages.deliver(second, [a, b]);
        await repos.messages.deliver(first, [a]);

        expect(await repos.messages.latest(a, 10)).to.deep.equal([first, second]);
        expect(await repos.messages.latest(b, 10)).to.deep.equal([second]);
      });

      it('reads the newest `limit` and pages strictly after a position', async () => {
        const user = unique('user');
        const sent = [message(1), message(2), message(3), message(4)];
        for (const m of sent) await repos.messages.deliver(m, [user]);

        expect(await repos.messages.latest(user, 2)).to.deep.equal(sent.slice(2));
        expect(await repos.messages.after(user, INBOX_START, 3)).to.deep.equal(sent.slice(0, 3));
        expect(await repos.messages.after(user, { sentAt: 2, id: sent[1]!.id }, 10)).to.deep.equal(sent.slice(2));
      });

      it('stores a message once when it is delivered again', async () => {
        const user = unique('user');
        const m = message(5);
        await repos.messages.deliver(m, [user]);
        await repos.messages.deliver(m, [user, user]);

        expect(await repos.messages.latest(user, 10)).to.deep.equal([m]);
      });

      it('claims a client id with the delivery and answers later claims with the original', async () => {
        const [sender, receiver] = [unique('user'), unique('user')];
        const claim = { senderId: sender, clientMessageId: 'c1', fingerprint: 'fp', expiresAt: 10_000 };
        const first = message(100);

        expect(await repos.messages.deliver(first, [receiver], { idempotency: claim })).to.deep.equal({
          status: 'delivered',
        });
        expect(await repos.messages.deliver(message(200), [receiver], { idempotency: claim })).to.deep.equal({
          status: 'duplicate',
          original: { messageId: first.id, fingerprint: 'fp' },
        });
        expect(await repos.messages.latest(receiver, 10), 'one message stored').to.deep.equal([first]);
        expect(await repos.messages.findSent(sender, 'c1', 9_999)).to.deep.equal({ messageId: first.id, fingerprint: 'fp' });
        expect(await repos.messages.findSent(sender, 'c1', 10_000), 'expired').to.equal(undefined);
        expect(await repos.messages.findSent(unique('user'), 'c1', 0), 'scoped to the sender').to.equal(undefined);
      });

      it('does not claim a client id when the guard refuses the delivery', async () => {
        const [sender, receiver] = [unique('user'), unique('user')];
        await repos.blocks.block(receiver, sender);
        const claim = { senderId: sender, clientMessageId: 'c2', fingerprint: 'fp', expiresAt: 10_000 };

        await repos.messages.deliver(message(300), [receiver], {
          guard: { userId: sender, blockerIds: [receiver] },
          idempotency: claim,
        });

        expect(await repos.messages.findSent(sender, 'c2', 0)).to.equal(undefined);
      });

      it('delivers nothing when a guarded recipient has blocked the sender', async () => {
        const [sender, receiver] = [unique('user'), unique('user')];
        await repos.blocks.block(receiver, sender);

        const outcome = await repos.messages.deliver(message(7), [receiver], {
          guard: { userId: sender, blockerIds: [receiver] },
        });

        expect(outcome).to.deep.equal({ status: 'blocked', blockedBy: [receiver] });
        expect(await repos.messages.latest(receiver, 10)).to.deep.equal([]);
      });
    });
  });
}
