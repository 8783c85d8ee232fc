import { expect } from 'chai';
import type { Message } from '../../src/core/Message.js';
import { Limits } from '../../src/core/Limits.js';
import type { MessageRepository } from '../../src/ports/MessageRepository.js';
import { buildWorld, errorCodeOf, type World } from '../support/world.js';

/** Follows the cursor chain until has_more is false; answers every message id received. */
async function drain(world: World, userId: string, cursor: string, limit = 100) {
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
    expect(page.nextCursor).to.be.a('string');
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

  it('rejects a cursor it did not write', async () => {
    const world = buildWorld();
    const [bob] = await world.register(1);

    for (const cursor of ['garbage', Buffer.from('{"v":2}').toString('base64url'), Buffer.from('[]').toString('base64url')]) {
      expect(await errorCodeOf(world.checkMessages.execute({ userId: bob!, cursor })), cursor).to.equal('validation_failed');
    }
  });

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
    await world.messages.deliver({ id: 'msg-LATE', senderId: alice!, text: 'late', sentAt: lateAt }, [bob!]);

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
    await world.messages.deliver({ id: 'msg-LATE', senderId: alice!, text: 'late', sentAt: lateAt }, [bob!]);

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

    const seen = JSON.parse(Buffer.from(cursor, 'base64url').toString()).s as unknown[];
    expect(seen, 'nothing older than the window is remembered').to.be.empty;
  });

  it('reads the same amount from storage per poll whatever the size of the history', async () => {
    const reads: number[] = [];
    const counting = (inner: MessageRepository): MessageRepository => ({
      deliver: (...args) => inner.deliver(...args),
      findSent: (...args) => inner.findSent(...args),
      latest: async (...args) => record(await inner.latest(...args)),
      after: async (...args) => record(await inner.after(...args)),
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
        await world.messages.deliver(
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
});
