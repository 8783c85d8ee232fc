import { expect } from 'chai';
import type { InboxCursor, InboxPosition } from '../../src/core/InboxCursor.js';
import type { Message } from '../../src/core/Message.js';
import { Limits } from '../../src/core/Limits.js';
import type { MessageRepository } from '../../src/ports/MessageRepository.js';
import { buildWorld, errorCodeOf, type World } from '../support/world.js';

/** Follows the cursor chain until has_more is false; answers every message id received. */
async function drain(world: World, userId: string, cursor: InboxCursor, limit = 100) {
  const received: string[] = [];
  let next = cursor;
  for (;;) {
    const page = await world.checkMessages.execute({ userId, cursor: next, limit });
    received.push(...page.messages.map((m) => m.text));
    next = page.nextCursor;
    if (!page.hasMore) return { received, cursor: next };
  }
}

describe('CheckMessages', () => {
  it('without a cursor answers the newest `limit` messages, oldest first, with has_more false', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    for (let i = 1; i <= 5; i++) await world.send(alice!, bob!, `m${i}`);

    const page = await world.checkMessages.execute({ userId: bob!, limit: 3 });

    expect(world.texts(page)).to.deep.equal(['m3', 'm4', 'm5']);
    expect(page.hasMore).to.equal(false);
  });

  it('defaults the limit to 100', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    for (let i = 0; i < 101; i++) await world.send(alice!, bob!, `m${i}`);

    const page = await world.checkMessages.execute({ userId: bob! });

    expect(page.messages).to.have.length(Limits.inboxDefaultLimit);
    expect(page.messages[0]!.text, 'the oldest of the newest 100').to.equal('m1');
  });

  for (const limit of [0, 501, 1.5, -1]) {
    it(`rejects limit ${limit}`, async () => {
      const world = buildWorld();
      const [bob] = await world.register(1);

      expect(await errorCodeOf(world.checkMessages.execute({ userId: bob!, limit }))).to.equal('validation_failed');
    });
  }

  it('along the cursor chain delivers only what arrived since, oldest first', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    await world.send(alice!, bob!, 'old');
    const first = await world.checkMessages.execute({ userId: bob! });
    await world.send(alice!, bob!, 'new 1');
    await world.send(alice!, bob!, 'new 2');

    const second = await world.checkMessages.execute({ userId: bob!, cursor: first.nextCursor });

    expect(world.texts(second)).to.deep.equal(['new 1', 'new 2']);
    expect(second.hasMore).to.equal(false);
  });

  it('pages with has_more until everything waiting is read, each message once', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    const start = await world.checkMessages.execute({ userId: bob! });
    for (let i = 0; i < 7; i++) await world.send(alice!, bob!, `m${i}`);

    const p1 = await world.checkMessages.execute({ userId: bob!, cursor: start.nextCursor, limit: 3 });
    const p2 = await world.checkMessages.execute({ userId: bob!, cursor: p1.nextCursor, limit: 3 });
    const p3 = await world.checkMessages.execute({ userId: bob!, cursor: p2.nextCursor, limit: 3 });

    expect([world.texts(p1), world.texts(p2), world.texts(p3)]).to.deep.equal([
      ['m0', 'm1', 'm2'],
      ['m3', 'm4', 'm5'],
      ['m6'],
    ]);
    expect([p1.hasMore, p2.hasMore, p3.hasMore]).to.deep.equal([true, true, false]);
  });

  it('does not deliver a fresh message twice when polled again within the late-write window', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    const start = await world.checkMessages.execute({ userId: bob! });
    await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: 'fresh' });

    const p1 = await world.checkMessages.execute({ userId: bob!, cursor: start.nextCursor });
    world.clock.advance(1000);
    const p2 = await world.checkMessages.execute({ userId: bob!, cursor: p1.nextCursor });
    world.clock.advance(10_000);
    const p3 = await world.checkMessages.execute({ userId: bob!, cursor: p2.nextCursor });

    expect(world.texts(p1)).to.deep.equal(['fresh']);
    expect(p2.messages, 'already delivered').to.be.empty;
    expect(p3.messages, 'still not again once settled').to.be.empty;
  });

  it('delivers, once, a message whose write became visible up to 5 s after its timestamp', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    const start = await world.checkMessages.execute({ userId: bob! });
    // A slow writer takes its timestamp now but its write lands 4.9 s later...
    const lateAt = world.clock.now();
    world.clock.advance(1000);
    await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: 'on time' });
    world.clock.advance(2000);
    const p1 = await world.checkMessages.execute({ userId: bob!, cursor: start.nextCursor });
    world.clock.advance(1900);
    world.deliverRaw({ id: 'msg-LATE', senderId: alice!, text: 'late', sentAt: lateAt }, [bob!]);

    const p2 = await world.checkMessages.execute({ userId: bob!, cursor: p1.nextCursor });
    world.clock.advance(60_000);
    const p3 = await world.checkMessages.execute({ userId: bob!, cursor: p2.nextCursor });

    expect(world.texts(p1)).to.deep.equal(['on time']);
    expect(world.texts(p2), 'the late write is delivered').to.deep.equal(['late']);
    expect(p3.messages, 'and nothing twice').to.be.empty;
  });

  it('a late write right after a newest-page call is delivered along its chain', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    const lateAt = world.clock.now();
    world.clock.advance(500);
    await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: 'first' });
    const newest = await world.checkMessages.execute({ userId: bob! });
    world.deliverRaw({ id: 'msg-LATE', senderId: alice!, text: 'late', sentAt: lateAt }, [bob!]);

    const next = await drain(world, bob!, newest.nextCursor);

    expect(world.texts(newest)).to.deep.equal(['first']);
    expect(next.received).to.deep.equal(['late']);
  });

  it('keeps the cursor small: settled messages leave its list of seen ids', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    let cursor = (await world.checkMessages.execute({ userId: bob! })).nextCursor;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 10; i++) await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: 'x' });
      world.clock.advance(Limits.lateWriteWindowMs + 1);
      cursor = (await world.checkMessages.execute({ userId: bob!, cursor })).nextCursor;
    }

    expect(cursor.seen, 'nothing older than the window is remembered').to.be.empty;
  });

  it('reads the same amount from storage per poll whatever the size of the history', async () => {
    const reads: number[] = [];
    const counting = (inner: MessageRepository): MessageRepository =>
      Object.assign(Object.create(inner) as MessageRepository, {
        latest: async (...args: Parameters<MessageRepository['latest']>) => record(await inner.latest(...args)),
        after: async (...args: Parameters<MessageRepository['after']>) => record(await inner.after(...args)),
      });
    const record = (messages: Message[]) => {
      reads.push(messages.length);
      return messages;
    };
    const world = buildWorld({ messages: counting });
    const [alice, bob] = await world.register(2);
    let cursor = (await world.checkMessages.execute({ userId: bob! })).nextCursor;
    const perPoll: number[] = [];
    for (const history of [10, 1000, 5000]) {
      while (world.store.inbox(bob!).size < history) {
        world.deliverRaw(
          { id: `msg-${world.store.inbox(bob!).size}`, senderId: alice!, text: 'h', sentAt: world.clock.now() },
          [bob!],
        );
      }
      world.clock.advance(60_000);
      cursor = (await drain(world, bob!, cursor, 500)).cursor;
      await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: 'one more' });
      world.clock.advance(60_000);
      reads.length = 0;
      cursor = (await world.checkMessages.execute({ userId: bob!, cursor })).nextCursor;
      perPoll.push(reads.reduce((a, b) => a + b, 0));
    }

    expect(perPoll, 'one new message costs one message read, at 10, 1000 and 5000 of history').to.deep.equal([1, 1, 1]);
  });

  describe('under a burst', () => {
    it('never remembers more unsettled ids than its bound, holds the rest back and delivers every message once when they settle', async () => {
      const world = buildWorld();
      const [alice, bob] = await world.register(2);
      let cursor = (await world.checkMessages.execute({ userId: bob! })).nextCursor;
      const sent: string[] = [];
      for (let i = 0; i < 2000; i++) {
        sent.push((await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: `b${i}` })).messageId);
        if (i % 4 === 3) world.clock.advance(1); // 2,000 messages inside 0.5 s
      }

      const received: string[] = [];
      const seenSizes: number[] = [];
      const poll = async () => {
        const page = await world.checkMessages.execute({ userId: bob!, cursor, limit: 500 });
        received.push(...page.messages.map((m) => m.id));
        seenSizes.push(page.nextCursor.seen.length);
        cursor = page.nextCursor;
        return page;
      };
      const during = await poll();
      const again = await poll();
      world.clock.advance(Limits.lateWriteWindowMs + 1);
      while ((await poll()).hasMore);

      expect(during.messages, 'only as many unsettled messages as the cursor can remember').to.have.length(
        Limits.cursorMaxUnsettled,
      );
      expect(during.hasMore, 'held-back messages do not ask the client to call again at once').to.equal(false);
      expect(again.messages, 'nothing more until they settle').to.be.empty;
      expect(Math.max(...seenSizes)).to.be.at.most(Limits.cursorMaxUnsettled);
      expect(received, 'every message once, in order').to.deep.equal(sent);
      expect(cursor.seen, 'all settled: the cursor is a bare position again').to.be.empty;
    });

    it('keeps the newest page of a burst within the bound too, and the chain delivers the rest', async () => {
      const world = buildWorld();
      const [alice, bob] = await world.register(2);
      const sent: string[] = [];
      for (let i = 0; i < 300; i++) {
        sent.push((await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: `b${i}` })).messageId);
      }

      const newest = await world.checkMessages.execute({ userId: bob!, limit: 500 });
      world.clock.advance(Limits.lateWriteWindowMs + 1);
      const rest = await drain(world, bob!, newest.nextCursor, 500);

      expect(newest.messages).to.have.length(Limits.cursorMaxUnsettled);
      expect(newest.nextCursor.seen).to.have.length(Limits.cursorMaxUnsettled);
      expect([...newest.messages.map((m) => m.id), ...rest.received.map((t) => sent[Number(t.slice(1))])]).to.deep.equal(sent);
    });

    it('costs a forged cursor no more reads than the cursors it hands out', async () => {
      const limits: number[] = [];
      const world = buildWorld({
        messages: (inner) =>
          Object.assign(Object.create(inner) as MessageRepository, {
            after: (userId: string, position: InboxPosition, limit: number) => {
              limits.push(limit);
              return inner.after(userId, position, limit);
            },
          }),
      });
      const [bob] = await world.register(1);
      const forged: InboxCursor = {
        after: { sentAt: 0, id: '' },
        seen: Array.from({ length: Limits.cursorMaxUnsettled }, (_, i) => `msg-FAKE${i}`),
      };

      await world.checkMessages.execute({ userId: bob!, cursor: forged, limit: 500 });

      expect(limits).to.deep.equal([500 + Limits.cursorMaxUnsettled + 1]);
    });
  });

  it('starts the chain of a full newest page at the settled point, so a write landing late just before it is delivered', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    await world.send(alice!, bob!, 'ancient');
    world.clock.advance(60_000);
    const lateAt = world.clock.now();
    world.clock.advance(500);
    await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: 'first' });

    const newest = await world.checkMessages.execute({ userId: bob!, limit: 1 });
    // Stamped 0.5 s before the page's message, its write lands just after the call.
    world.deliverRaw({ id: 'msg-LATE', senderId: alice!, text: 'late', sentAt: lateAt }, [bob!]);
    const next = await drain(world, bob!, newest.nextCursor);
    world.clock.advance(60_000);
    const after = await drain(world, bob!, next.cursor);

    expect(world.texts(newest)).to.deep.equal(['first']);
    expect(next.received, 'the late write, and not the older history the page left out').to.deep.equal(['late']);
    expect(after.received, 'nothing twice').to.be.empty;
  });

  it('skips, along the chain of a full newest page, the recent messages it left out', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    for (const text of ['r1', 'r2', 'r3']) await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text });

    const newest = await world.checkMessages.execute({ userId: bob!, limit: 1 });
    await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: 'r4' });
    const next = await drain(world, bob!, newest.nextCursor);

    expect(world.texts(newest)).to.deep.equal(['r3']);
    expect(next.received, 'r1 and r2 were there, older than the page: older history').to.deep.equal(['r4']);
  });

  describe('the size of a page', () => {
    const bytesOf = (messages: Message[]) => Buffer.byteLength(JSON.stringify(messages));

    it('ends a page before its body passes 1 MiB, with has_more, and the chain delivers the rest once', async () => {
      const world = buildWorld();
      const [alice, bob] = await world.register(2);
      const start = (await world.checkMessages.execute({ userId: bob! })).nextCursor;
      const heavy = '\u0000'.repeat(Limits.messageMaxChars); // 6 bytes each in JSON
      for (let i = 0; i < 500; i++) await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: heavy });
      world.clock.advance(60_000);

      const first = await world.checkMessages.execute({ userId: bob!, cursor: start, limit: 500 });
      const pages = [first];
      while (pages.at(-1)!.hasMore) {
        pages.push(await world.checkMessages.execute({ userId: bob!, cursor: pages.at(-1)!.nextCursor, limit: 500 }));
      }

      expect(first.hasMore).to.equal(true);
      expect(first.messages.length).to.be.greaterThan(0).and.below(500);
      for (const page of pages) expect(bytesOf(page.messages)).to.be.below(1024 * 1024);
      const ids = pages.flatMap((p) => p.messages.map((m) => m.id));
      expect(ids).to.have.length(500);
      expect(new Set(ids).size).to.equal(500);
    });

    it('answers the newest messages that fit when the newest page would pass 1 MiB', async () => {
      const world = buildWorld();
      const [alice, bob] = await world.register(2);
      const heavy = '\u0000'.repeat(Limits.messageMaxChars);
      let newestId = '';
      for (let i = 0; i < 500; i++) newestId = await world.send(alice!, bob!, heavy);

      const page = await world.checkMessages.execute({ userId: bob!, limit: 500 });

      expect(page.messages.length).to.be.greaterThan(0).and.below(500);
      expect(bytesOf(page.messages)).to.be.below(1024 * 1024);
      expect(page.messages.at(-1)!.id, 'the newest message is on it').to.equal(newestId);
      expect(page.hasMore).to.equal(false);
    });
  });
});
