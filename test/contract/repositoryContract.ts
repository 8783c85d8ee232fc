// The behaviour every storage adapter must show, written once and run against each of them
// (in-memory, and DynamoDB on DynamoDB Local). Behaviour only: save then find, conflicts, paging,
// concurrency; never the shape of the calls an adapter makes.
import { expect } from 'chai';
import type { IdempotencyClaim } from '../../src/core/ClientMessageId.js';
import { Group, type GroupMember } from '../../src/core/Group.js';
import { INBOX_START, comparePositions, positionOf } from '../../src/core/InboxCursor.js';
import { Limits } from '../../src/core/Limits.js';
import { wireSizeOf, type Message } from '../../src/core/Message.js';
import type { BlockRepository } from '../../src/ports/BlockRepository.js';
import type { ConnectionRepository } from '../../src/ports/ConnectionRepository.js';
import type { GroupRepository } from '../../src/ports/GroupRepository.js';
import type { MessageRepository } from '../../src/ports/MessageRepository.js';
import type { PasswordAttemptLimiter } from '../../src/ports/PasswordAttemptLimiter.js';
import type { RateLimiter } from '../../src/ports/RateLimiter.js';
import type { UserRepository } from '../../src/ports/UserRepository.js';

export interface Repositories {
  users: UserRepository;
  blocks: BlockRepository;
  groups: GroupRepository;
  messages: MessageRepository;
  attempts: PasswordAttemptLimiter;
  rates: RateLimiter;
  connections: ConnectionRepository;
}

let counter = 0;
/** Ids unique across runs, so the suite can share one table with other tests. */
const unique = (prefix: string) => `${prefix}-c${Date.now().toString(36)}${(counter++).toString(36)}`;
const NOW = Date.UTC(2026, 5, 1);

/** `work` for every item, 25 at a time: what a client does, not a flood of an emulator on a busy machine. */
async function eachOf<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += 25) results.push(...(await Promise.all(items.slice(i, i + 25).map(work))));
  return results;
}

export function describeRepositoryContract(adapter: string, open: () => Promise<Repositories>): void {
  describe(`${adapter} repositories`, function () {
    this.timeout(60_000);
    let repos: Repositories;
    before(async () => {
      repos = await open();
    });

    async function newUsers(count: number): Promise<string[]> {
      const ids = Array.from({ length: count }, () => unique('user'));
      await eachOf(ids, (id) => repos.users.insert({ id, passwordHash: 'h', createdAt: 1 }));
      return ids;
    }

    describe('UserRepository', () => {
      it('finds a user after inserting it', async () => {
        const user = { id: unique('user'), passwordHash: 'h1', createdAt: 1 };

        expect(await repos.users.insert(user)).to.equal(true);
        expect((await repos.users.findForSignIn(user.id, NOW)).user).to.deep.equal(user);
      });

      it('answers no user, and no lockout, for an unknown id', async () => {
        expect(await repos.users.findForSignIn(unique('user'), NOW)).to.deep.equal({
          user: undefined,
          lockout: { locked: false },
        });
      });

      it('refuses to insert over an existing id and keeps the original', async () => {
        const id = unique('user');
        await repos.users.insert({ id, passwordHash: 'original', createdAt: 1 });

        expect(await repos.users.insert({ id, passwordHash: 'intruder', createdAt: 2 })).to.equal(false);
        expect((await repos.users.findForSignIn(id, NOW)).user?.passwordHash).to.equal('original');
      });

      it('lets exactly one of concurrent inserts of the same id win', async () => {
        const id = unique('user');

        const wins = await Promise.all(
          Array.from({ length: 8 }, (_, i) => repos.users.insert({ id, passwordHash: `h${i}`, createdAt: i })),
        );

        expect(wins.filter(Boolean)).to.have.length(1);
      });

      it('names the ids that belong to no user, among more than one read can ask for', async () => {
        const known = await newUsers(150);
        const ghost = unique('user');

        expect(await repos.users.findMissing([...known, ghost, ghost])).to.deep.equal([ghost]);
      });
    });

    describe('PasswordAttemptLimiter, with the lock state read by findForSignIn', () => {
      const failTimes = async (userId: string, times: number, at: number) => {
        for (let i = 0; i < times; i++) {
          const reservation = await repos.attempts.reserve(userId, at);
          if (reservation.status !== 'reserved') throw new Error(`expected a reservation, got ${reservation.status}`);
          await repos.attempts.fail(userId, reservation.reservationId, at);
        }
      };

      it('locks an id after the allowed failures, until the oldest leaves the window', async () => {
        const [user] = await newUsers(1);
        await failTimes(user!, Limits.passwordFailuresAllowed, NOW);

        const locked = await repos.users.findForSignIn(user!, NOW + 60_000);
        const reservation = await repos.attempts.reserve(user!, NOW + 60_000);
        const later = await repos.users.findForSignIn(user!, NOW + Limits.passwordAttemptWindowMs);

        expect(locked.lockout).to.deep.equal({ locked: true, retryAfterSeconds: 14 * 60 });
        expect(reservation).to.deep.equal({ status: 'locked', retryAfterSeconds: 14 * 60 });
        expect(later.lockout).to.deep.equal({ locked: false });
      });

      it('counts nothing for released attempts', async () => {
        const [user] = await newUsers(1);
        for (let i = 0; i < 3 * Limits.passwordFailuresAllowed; i++) {
          const reservation = await repos.attempts.reserve(user!, NOW);
          if (reservation.status !== 'reserved') throw new Error('expected a reservation');
          await repos.attempts.release(user!, reservation.reservationId);
        }

        expect((await repos.users.findForSignIn(user!, NOW)).lockout).to.deep.equal({ locked: false });
      });

      it('gives out no more concurrent reservations than the window allows, and frees them on release', async () => {
        const user = unique('user'); // an id nobody registered is limited all the same

        const reservations = await Promise.all(Array.from({ length: 25 }, () => repos.attempts.reserve(user, NOW)));
        const granted = reservations.flatMap((r) => (r.status === 'reserved' ? [r.reservationId] : []));
        // An adapter may answer busy under contention before the window is full (callers wait
        // and ask again); asked one at a time, the rest of the window is still there.
        for (let more = await repos.attempts.reserve(user, NOW); more.status === 'reserved'; more = await repos.attempts.reserve(user, NOW)) {
          granted.push(more.reservationId);
        }
        await Promise.all(granted.slice(0, 3).map((id) => repos.attempts.release(user, id)));
        const afterRelease = await repos.attempts.reserve(user, NOW);

        expect(reservations.filter((r) => r.status === 'reserved').length).to.be.at.most(Limits.passwordFailuresAllowed);
        expect(reservations.filter((r) => r.status === 'locked'), 'nothing failed, nothing is locked').to.be.empty;
        expect(granted).to.have.length(Limits.passwordFailuresAllowed);
        expect(afterRelease.status).to.equal('reserved');
      });

      it('lets reservations of a process that never ended them lapse', async () => {
        const user = unique('user');
        for (let i = 0; i < Limits.passwordFailuresAllowed; i++) await repos.attempts.reserve(user, NOW);

        expect((await repos.attempts.reserve(user, NOW)).status).to.equal('busy');
        expect((await repos.attempts.reserve(user, NOW + Limits.passwordAttemptReservationMs)).status).to.equal('reserved');
      });
    });

    describe('RateLimiter', () => {
      it('allows `perMinute` uses of a key in a minute, then refuses with the seconds left, and starts again next minute', async () => {
        const key = unique('rate');
        const minute = NOW - (NOW % 60_000);
        const decisions = [];
        for (let i = 0; i < 4; i++) decisions.push(await repos.rates.take(key, 3, minute + 15_000));

        expect(decisions.map((d) => d.allowed)).to.deep.equal([true, true, true, false]);
        expect(decisions[3]).to.deep.equal({ allowed: false, retryAfterSeconds: 45 });
        expect((await repos.rates.take(unique('rate'), 3, minute + 15_000)).allowed, 'another key').to.equal(true);
        expect((await repos.rates.take(key, 3, minute + 60_000)).allowed, 'the next minute').to.equal(true);
      });

      it('counts concurrent uses exactly', async () => {
        const key = unique('rate');

        const decisions = await Promise.all(Array.from({ length: 20 }, () => repos.rates.take(key, 5, NOW)));

        expect(decisions.filter((d) => d.allowed)).to.have.length(5);
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

      it('answers exactly the candidates who blocked a user that hundreds have blocked', async () => {
        const target = unique('user');
        const blockers = Array.from({ length: 150 }, () => unique('user'));
        for (let i = 0; i < blockers.length; i += 50) await Promise.all(blockers.slice(i, i + 50).map((b) => repos.blocks.block(b, target)));
        const bystander = unique('user');

        const among = await repos.blocks.blockersAmong(target, [blockers[0]!, bystander, blockers[149]!, blockers[0]!]);

        expect(among).to.deep.equal(new Set([blockers[0], blockers[149]]));
      });
    });

    describe('GroupRepository', () => {
      const member = (userId: string, joinedAt = 2000): GroupMember => ({ userId, role: 'member', joinedAt });

      it('finds a group after creating it and lists it for each member with their role', async () => {
        const [admin, other] = [unique('user'), unique('user')];
        const group = Group.create(unique('group'), 'g', admin, [other], 1000);

        expect(await repos.groups.create(group)).to.deep.equal({ status: 'written' });

        const found = await repos.groups.findById(group.id);
        expect(found?.members).to.deep.equal(group.members);
        expect([found?.name, found?.version, found?.createdAt]).to.deep.equal(['g', 1, 1000]);
        expect(await repos.groups.listForUser(other)).to.deep.equal([{ groupId: group.id, name: 'g', role: 'member' }]);
        expect(await repos.groups.listForUser(admin)).to.deep.equal([{ groupId: group.id, name: 'g', role: 'admin' }]);
      });

      it('refuses to create over an existing id', async () => {
        const admin = unique('user');
        const group = Group.create(unique('group'), null, admin, [], 1);
        await repos.groups.create(group);

        expect(await repos.groups.create(Group.create(group.id, 'other', admin, [], 2))).to.deep.equal({ status: 'conflict' });
        expect((await repos.groups.findById(group.id))?.name).to.equal(null);
      });

      it('stores a group of the largest size, members in join order, and lists it for its last member', async () => {
        const admin = unique('user');
        const others = Array.from({ length: Limits.groupMaxMembers - 1 }, () => unique('user'));
        const group = Group.create(unique('group'), 'big', admin, others, 5000);

        expect(await repos.groups.create(group)).to.deep.equal({ status: 'written' });

        const found = await repos.groups.findById(group.id);
        expect(found?.members.map((m) => m.userId)).to.deep.equal([admin, ...others]);
        expect(await repos.groups.listForUser(others.at(-1)!)).to.deep.equal([{ groupId: group.id, name: 'big', role: 'member' }]);
      });

      it('adds a member only from the version it was read at, one version on', async () => {
        const [admin, newcomer, late] = [unique('user'), unique('user'), unique('user')];
        const group = Group.create(unique('group'), null, admin, [], 1);
        await repos.groups.create(group);

        expect(await repos.groups.addMember(group.id, 1, member(newcomer))).to.deep.equal({ status: 'written' });
        expect(await repos.groups.addMember(group.id, 1, member(late)), 'stale version').to.deep.equal({ status: 'conflict' });
        const found = await repos.groups.findById(group.id);
        expect(found?.version).to.equal(2);
        expect(found?.members.map((m) => m.userId)).to.deep.equal([admin, newcomer]);
        expect(await repos.groups.listForUser(newcomer)).to.have.length(1);
        expect(await repos.groups.listForUser(late)).to.have.length(0);
      });

      it('lets exactly one of concurrent changes from the same version through', async () => {
        const admin = unique('user');
        const group = Group.create(unique('group'), null, admin, [], 1);
        await repos.groups.create(group);
        const newcomers = Array.from({ length: 10 }, () => unique('user'));

        const outcomes = await Promise.all(newcomers.map((id) => repos.groups.addMember(group.id, 1, member(id))));

        expect(outcomes.filter((o) => o.status === 'written')).to.have.length(1);
        expect((await repos.groups.findById(group.id))?.members).to.have.length(2);
      });

      it('does not add a member who has blocked the guarded requester', async () => {
        const [admin, foe] = [unique('user'), unique('user')];
        const group = Group.create(unique('group'), null, admin, [], 1);
        await repos.groups.create(group);
        await repos.blocks.block(foe, admin);

        const outcome = await repos.groups.addMember(group.id, 1, member(foe), { userId: admin, blockerIds: [foe] });

        expect(outcome).to.deep.equal({ status: 'blocked', blockedBy: [foe] });
        expect((await repos.groups.findById(group.id))?.members).to.have.length(1);
      });

      it('removes a member, promoting another to admin in the same step', async () => {
        const [admin, eldest, younger] = [unique('user'), unique('user'), unique('user')];
        const group = Group.create(unique('group'), 'g', admin, [eldest, younger], 1);
        await repos.groups.create(group);

        expect(await repos.groups.removeMember(group.id, 1, admin, eldest)).to.deep.equal({ status: 'written' });

        const found = await repos.groups.findById(group.id);
        expect(found?.members.map((m) => [m.userId, m.role])).to.deep.equal([
          [eldest, 'admin'],
          [younger, 'member'],
        ]);
        expect(found?.version).to.equal(2);
        expect(await repos.groups.listForUser(admin)).to.deep.equal([]);
        expect(await repos.groups.listForUser(eldest)).to.deep.equal([{ groupId: group.id, name: 'g', role: 'admin' }]);
        expect(await repos.groups.removeMember(group.id, 1, younger), 'stale version').to.deep.equal({ status: 'conflict' });
      });

      it('deletes a group with its last member and drops it from their list', async () => {
        const admin = unique('user');
        const group = Group.create(unique('group'), null, admin, [], 1);
        await repos.groups.create(group);

        expect(await repos.groups.delete(group.id, 2, admin), 'stale version').to.deep.equal({ status: 'conflict' });
        expect(await repos.groups.delete(group.id, 1, admin)).to.deep.equal({ status: 'written' });
        expect(await repos.groups.findById(group.id)).to.equal(undefined);
        expect(await repos.groups.listForUser(admin)).to.deep.equal([]);
        expect(await repos.groups.addMember(group.id, 2, member(unique('user'))), 'a deleted group').to.deep.equal({
          status: 'conflict',
        });
      });

      it('lists a user’s groups oldest first', async () => {
        const user = unique('user');
        const older = Group.create(unique('group'), 'older', user, [], 1000);
        const newer = Group.create(unique('group'), 'newer', user, [], 2000);
        await repos.groups.create(newer);
        await repos.groups.create(older);

        expect((await repos.groups.listForUser(user)).map((g) => g.name)).to.deep.equal(['older', 'newer']);
      });
    });

    describe('ConnectionRepository', () => {
      // Real time, not NOW: connection items carry a TTL, and DynamoDB Local deletes expired items.
      const NOW = Date.now();
      const open = (userId: string, id: string, connectedAt: number, expiresAt = connectedAt + 7_200_000) => ({
        id,
        userId,
        connectedAt,
        expiresAt,
      });

      it('lists a user’s open connections oldest first, and forgets one removed (twice is fine)', async () => {
        const [user, other] = [unique('user'), unique('user')];
        await repos.connections.add(open(user, unique('conn-b'), NOW + 2), 10);
        await repos.connections.add(open(user, unique('conn-a'), NOW + 1), 10);
        await repos.connections.add(open(other, unique('conn-c'), NOW), 10);

        const listed = await repos.connections.forUser(user);
        expect(listed.map((c) => c.connectedAt)).to.deep.equal([NOW + 1, NOW + 2]);
        expect(listed[0], 'as it was added').to.deep.include({ userId: user, expiresAt: NOW + 1 + 7_200_000 });
        await repos.connections.remove(listed[0]!.id);
        await repos.connections.remove(listed[0]!.id);
        expect((await repos.connections.forUser(user)).map((c) => c.id)).to.deep.equal([listed[1]!.id]);
        expect(await repos.connections.forUser(other)).to.have.length(1);
      });

      it('drops and answers the oldest when a user goes past the limit', async () => {
        const user = unique('user');
        const ids = Array.from({ length: 12 }, (_, i) => unique(`conn${i}`));
        const evicted = [];
        for (const [i, id] of ids.entries()) evicted.push(...(await repos.connections.add(open(user, id, NOW + i), 10)));

        expect(evicted.map((c) => c.id)).to.deep.equal(ids.slice(0, 2));
        expect((await repos.connections.forUser(user)).map((c) => c.id)).to.deep.equal(ids.slice(2));
      });

      it('answers a connection older than the limit’s worth of newer ones as dropped, and does not record it', async () => {
        const user = unique('user');
        const newer = Array.from({ length: 10 }, (_, i) => unique(`conn${i}`));
        for (const [i, id] of newer.entries()) await repos.connections.add(open(user, id, NOW + 10 + i), 10);
        const late = open(user, unique('conn-late'), NOW);

        expect(await repos.connections.add(late, 10)).to.deep.equal([late]);
        expect((await repos.connections.forUser(user)).map((c) => c.id)).to.deep.equal(newer);
        await repos.connections.remove(late.id); // nothing to forget: fine
      });

      it('lists an expired connection until the next add drops it, and answers it then', async () => {
        const user = unique('user');
        // Expires a minute from now (the TTL of its items too), and the next add comes "then".
        const expiring = open(user, unique('conn-old'), NOW, NOW + 60_000);
        await repos.connections.add(expiring, 10);

        expect((await repos.connections.forUser(user)).map((c) => c.id), 'the caller closes it').to.deep.equal([expiring.id]);
        const fresh = open(user, unique('conn-new'), NOW + 60_000);
        expect(await repos.connections.add(fresh, 10)).to.deep.equal([expiring]);
        expect((await repos.connections.forUser(user)).map((c) => c.id)).to.deep.equal([fresh.id]);
      });

      it('keeps at most the limit under 60 concurrent adds for one user; each add that answers is recorded or dropped, one that fails records nothing', async () => {
        const user = unique('user');
        const all = Array.from({ length: 60 }, (_, i) => open(user, unique(`conn${i}`), NOW + (i % 7)));
        const outcomes = await Promise.allSettled(all.map((c) => repos.connections.add(c, 10)));

        const recorded = await repos.connections.forUser(user);
        expect(recorded.length, 'never past the limit').to.be.within(1, 10);
        const dropped = new Set(outcomes.flatMap((o) => (o.status === 'fulfilled' ? o.value.map((c) => c.id) : [])));
        const failed = all.filter((_, i) => outcomes[i]!.status === 'rejected').map((c) => c.id);
        for (const c of recorded) expect(dropped.has(c.id), `${c.id} both recorded and dropped`).to.equal(false);
        for (const id of failed) expect(recorded.map((c) => c.id), 'a failed add recorded nothing').to.not.include(id);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') expect(outcome.reason, 'only "try again"').to.have.property('code', 'unavailable');
        }
        const accounted = new Set([...recorded.map((c) => c.id), ...dropped, ...failed]);
        expect(accounted.size, 'every connection recorded, dropped or failed').to.equal(all.length);
        const later = open(user, unique('conn-later'), NOW + 100);
        expect(await repos.connections.add(later, 10), 'a later add works').to.have.length(recorded.length === 10 ? 1 : 0);
        expect((await repos.connections.forUser(user)).map((c) => c.id)).to.include(later.id).and.have.length.at.most(10);
      });
    });

    describe('MessageRepository', () => {
      const message = (sentAt: number, senderId = 'user-sender', text = `t${sentAt}`): Message => ({
        id: unique('msg'),
        senderId,
        text,
        sentAt,
      });
      const claimOf = (senderId: string, fingerprint = 'fp'): IdempotencyClaim => ({
        senderId,
        clientMessageId: unique('cid'),
        fingerprint,
        expiresAt: NOW + Limits.idempotencyWindowMs,
      });

      it('delivers a direct message to an existing receiver and reads it back', async () => {
        const [sender, receiver] = await newUsers(2);
        const sent = message(NOW, sender!);

        expect(await repos.messages.deliverDirect(sent, receiver!)).to.deep.equal({ status: 'delivered' });
        expect(await repos.messages.latest(receiver!, 10)).to.deep.equal([sent]);
      });

      it('delivers nothing to a receiver that does not exist, or that has blocked the sender', async () => {
        const [sender, receiver] = await newUsers(2);
        const ghost = unique('user');
        await repos.blocks.block(receiver!, sender!);
        const claim = claimOf(sender!);

        expect(await repos.messages.deliverDirect(message(NOW, sender!), ghost, claim)).to.deep.equal({ status: 'no_receiver' });
        expect(await repos.messages.deliverDirect(message(NOW, sender!), receiver!, claim)).to.deep.equal({ status: 'blocked' });
        expect(await repos.messages.latest(receiver!, 10)).to.deep.equal([]);
        expect(await repos.messages.latest(ghost, 10)).to.deep.equal([]);
        expect(await repos.messages.findSent(sender!, claim.clientMessageId, NOW), 'a refused send claims nothing').to.equal(
          undefined,
        );
      });

      it('stores one message when concurrent sends race on one client id, and answers the others with it', async () => {
        const [sender, receiver] = await newUsers(2);
        const claim = claimOf(sender!);
        const attempts = Array.from({ length: 10 }, () => message(NOW, sender!));

        const outcomes = await Promise.all(attempts.map((m) => repos.messages.deliverDirect(m, receiver!, claim)));

        const delivered = outcomes.flatMap((o, i) => (o.status === 'delivered' ? [attempts[i]!] : []));
        expect(delivered).to.have.length(1);
        for (const outcome of outcomes.filter((o) => o.status !== 'delivered')) {
          expect(outcome).to.deep.equal({ status: 'duplicate', original: { messageId: delivered[0]!.id, fingerprint: 'fp', complete: true } });
        }
        expect(await repos.messages.latest(receiver!, 20)).to.deep.equal(delivered);
        expect(await repos.messages.findSent(sender!, claim.clientMessageId, NOW)).to.deep.equal({
          messageId: delivered[0]!.id,
          fingerprint: 'fp',
          complete: true,
        });
      });

      it('forgets a claim once it expires, and keeps claims to their sender', async () => {
        const [sender, receiver] = await newUsers(2);
        const claim = { ...claimOf(sender!), expiresAt: NOW + 1000 };
        await repos.messages.deliverDirect(message(NOW, sender!), receiver!, claim);

        expect(await repos.messages.findSent(sender!, claim.clientMessageId, NOW + 1000)).to.equal(undefined);
        expect(await repos.messages.findSent(receiver!, claim.clientMessageId, NOW)).to.equal(undefined);
        const again = message(NOW + 2000, sender!);
        expect(await repos.messages.deliverDirect(again, receiver!, { ...claim, expiresAt: NOW + 5000 }), 'reusable').to.deep.equal({
          status: 'delivered',
        });
      });

      it('reads the newest `limit` and pages strictly after a position', async () => {
        const user = unique('user');
        const base = Date.now(); // a fresh time: an adapter may restamp a write it could only make late
        const sent = [message(base + 1), message(base + 2), message(base + 3), message(base + 4)];
        for (const m of sent) await repos.messages.deliverToGroup(m, [user]);

        expect(await repos.messages.latest(user, 2)).to.deep.equal(sent.slice(2));
        expect(await repos.messages.after(user, INBOX_START, 3)).to.deep.equal(sent.slice(0, 3));
        expect(await repos.messages.after(user, { sentAt: base + 2, id: sent[1]!.id }, 10)).to.deep.equal(sent.slice(2));
      });

      it('reads a page of messages larger than one storage read returns', async () => {
        const user = unique('user');
        const heavy = '\u0000'.repeat(Limits.messageMaxChars);
        const base = Date.now();
        const sent = Array.from({ length: 300 }, (_, i) => ({ ...message(base + i), text: heavy }));
        for (let i = 0; i < sent.length; i += 50) {
          await Promise.all(sent.slice(i, i + 50).map((m) => repos.messages.deliverToGroup(m, [user])));
        }

        // A slow machine may make an adapter restamp some writes, so the check is every message
        // once, in inbox order, rather than the order they were sent in.
        const inOrder = (messages: Message[]) =>
          messages.every((m, i) => i === 0 || comparePositions(positionOf(messages[i - 1]!), positionOf(m)) < 0);
        for (const page of [await repos.messages.after(user, INBOX_START, 300), await repos.messages.latest(user, 300)]) {
          expect(page.map((m) => m.id).sort()).to.deep.equal(sent.map((m) => m.id).sort());
          expect(inOrder(page), 'oldest first').to.equal(true);
        }
      });

      it('reads, under a byte budget, past the messages it does not count and on until what it counts fills the budget', async () => {
        const user = unique('user');
        const heavy = '\u{1F600}'.repeat(Limits.messageMaxChars); // 16 KB: 100 of them are more than one storage read
        const base = Date.now();
        const sent = Array.from({ length: 100 }, (_, i) => ({ ...message(base + i), text: heavy }));
        for (let i = 0; i < sent.length; i += 20) await Promise.all(sent.slice(i, i + 20).map((m) => repos.messages.deliverToGroup(m, [user])));
        // The first 70 (more than a storage read returns) were delivered already: they do not count.
        const uncounted = new Set(sent.slice(0, 70).map((m) => m.id));
        const budget = { maxBytes: 10 * wireSizeOf(sent[0]!), uncounted };

        const read = await repos.messages.after(user, INBOX_START, 100, budget);

        const counted = read.filter((m) => !uncounted.has(m.id));
        expect(read.filter((m) => uncounted.has(m.id)), 'every uncounted one on the way').to.have.length(70);
        expect(counted.reduce((sum, m) => sum + wireSizeOf(m), 0), 'past the budget').to.be.above(budget.maxBytes);
      });

      it('fans a group message out to 1,023 inboxes, once each, with its group id', async () => {
        const recipients = Array.from({ length: Limits.groupMaxMembers - 1 }, () => unique('user'));
        const sent = { ...message(NOW), groupId: unique('group') };

        expect(await repos.messages.deliverToGroup(sent, recipients)).to.deep.equal({ status: 'delivered' });

        const inboxes = await eachOf(recipients, (id) => repos.messages.latest(id, 5));
        expect(inboxes.every((inbox) => inbox.length === 1 && inbox[0]!.id === sent.id && inbox[0]!.groupId === sent.groupId)).to.equal(
          true,
        );
      });

      it('answers a group send with a claimed client id as a complete duplicate, stores nothing new, and completes nothing', async () => {
        const [sender] = await newUsers(1);
        const recipients = [unique('user'), unique('user')];
        const claim = claimOf(sender!);
        const first = { ...message(NOW, sender!), groupId: 'group-x' };
        await repos.messages.deliverToGroup(first, recipients, claim);

        const again = await repos.messages.deliverToGroup({ ...message(NOW + 1, sender!), groupId: 'group-x' }, recipients, claim);
        const completion = await repos.messages.completeGroupDelivery(claim, { ...first, sentAt: NOW + 2 }, [...recipients, unique('user')]);

        expect(again).to.deep.equal({ status: 'duplicate', original: { messageId: first.id, fingerprint: 'fp', complete: true } });
        expect(completion.recipientIds, 'a complete send takes no one new').to.deep.equal([]);
        expect(await repos.messages.findSent(sender!, claim.clientMessageId, NOW + 3)).to.deep.include({ complete: true });
        for (const id of recipients) expect((await repos.messages.latest(id, 5)).map((m) => m.id)).to.deep.equal([first.id]);
      });
    });
  });
}
