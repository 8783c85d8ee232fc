import { expect } from 'chai';
import { Limits } from '../../src/core/Limits.js';
import { buildWorld, errorCodeOf } from '../support/world.js';

describe('Idempotent sends (client_message_id)', () => {
  it('answers a retry with the original message id and stores nothing new', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    const send = { senderId: alice!, receiverId: bob!, text: 'once', clientMessageId: 'c-1' };

    const first = await world.sendMessage.execute(send);
    world.clock.advance(60_000);
    const retry = await world.sendMessage.execute(send);

    expect(retry.messageId).to.equal(first.messageId);
    expect(world.texts(await world.checkMessages.execute({ userId: bob! }))).to.deep.equal(['once']);
  });

  it('stores exactly one message for 20 concurrent duplicates', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    const send = { senderId: alice!, receiverId: bob!, text: 'racing', clientMessageId: 'race' };

    const results = await Promise.all(Array.from({ length: 20 }, () => world.sendMessage.execute(send)));

    expect(new Set(results.map((r) => r.messageId)).size).to.equal(1);
    expect((await world.checkMessages.execute({ userId: bob! })).messages).to.have.length(1);
  });

  it('answers conflict when the id is reused for another text or receiver', async () => {
    const world = buildWorld();
    const [alice, bob, carol] = await world.register(3);
    await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: 'first', clientMessageId: 'k' });

    const otherText = await errorCodeOf(
      world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: 'second', clientMessageId: 'k' }),
    );
    const otherReceiver = await errorCodeOf(
      world.sendMessage.execute({ senderId: alice!, receiverId: carol!, text: 'first', clientMessageId: 'k' }),
    );

    expect([otherText, otherReceiver]).to.deep.equal(['conflict', 'conflict']);
    expect((await world.checkMessages.execute({ userId: carol! })).messages).to.be.empty;
  });

  it('scopes the id to its sender', async () => {
    const world = buildWorld();
    const [alice, bob, carol] = await world.register(3);

    await world.sendMessage.execute({ senderId: alice!, receiverId: carol!, text: 'same', clientMessageId: 'shared' });
    await world.sendMessage.execute({ senderId: bob!, receiverId: carol!, text: 'same', clientMessageId: 'shared' });

    expect((await world.checkMessages.execute({ userId: carol! })).messages).to.have.length(2);
  });

  it('forgets the id after 24 hours', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    const send = { senderId: alice!, receiverId: bob!, text: 'daily', clientMessageId: 'd' };
    const first = await world.sendMessage.execute(send);

    world.clock.advance(Limits.idempotencyWindowMs);
    const later = await world.sendMessage.execute(send);

    expect(later.messageId).to.not.equal(first.messageId);
    expect((await world.checkMessages.execute({ userId: bob! })).messages).to.have.length(2);
  });

  it('rejects a malformed id', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);

    for (const clientMessageId of ['', 'has space', 'x'.repeat(65), 'ünïcode']) {
      const code = await errorCodeOf(world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: 't', clientMessageId }));
      expect(code, JSON.stringify(clientMessageId)).to.equal('validation_failed');
    }
  });

  it('does not claim the id when the send is refused, so a retry after unblocking goes through', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    await world.blockUser.execute({ userId: bob!, blockedUserId: alice! });
    const send = { senderId: alice!, receiverId: bob!, text: 'let me in', clientMessageId: 'b' };
    expect(await errorCodeOf(world.sendMessage.execute(send))).to.equal('blocked');

    await world.unblockUser.execute({ userId: bob!, blockedUserId: alice! });
    await world.sendMessage.execute(send);

    expect(world.texts(await world.checkMessages.execute({ userId: bob! }))).to.deep.equal(['let me in']);
  });

  describe('for group messages', () => {
    it('delivers one copy to each member for concurrent duplicates and replays the id', async () => {
      const world = buildWorld();
      const [alice, bob, carol] = await world.register(3);
      const { groupId } = await world.createGroup.execute({ creatorId: alice!, memberIds: [bob!, carol!] });
      const send = { senderId: alice!, groupId, text: 'hello group', clientMessageId: 'g-1' };

      const results = await Promise.all(Array.from({ length: 20 }, () => world.sendGroupMessage.execute(send)));

      expect(new Set(results.map((r) => r.messageId)).size).to.equal(1);
      expect(world.texts(await world.checkMessages.execute({ userId: bob! }))).to.deep.equal(['hello group']);
      expect(world.texts(await world.checkMessages.execute({ userId: carol! }))).to.deep.equal(['hello group']);
    });

    it('replays the original answer even after the sender left the group', async () => {
      const world = buildWorld();
      const [alice, bob] = await world.register(2);
      const { groupId } = await world.createGroup.execute({ creatorId: alice!, memberIds: [bob!] });
      const send = { senderId: bob!, groupId, text: 'bye', clientMessageId: 'leaving' };
      const first = await world.sendGroupMessage.execute(send);
      await world.removeGroupMember.execute({ requesterId: bob!, groupId, userId: bob! });

      expect((await world.sendGroupMessage.execute(send)).messageId).to.equal(first.messageId);
    });

    it('answers conflict when the id is reused for another group', async () => {
      const world = buildWorld();
      const [alice] = await world.register(1);
      const one = await world.createGroup.execute({ creatorId: alice!, memberIds: [] });
      const two = await world.createGroup.execute({ creatorId: alice!, memberIds: [] });
      await world.sendGroupMessage.execute({ senderId: alice!, groupId: one.groupId, text: 't', clientMessageId: 'x' });

      const code = await errorCodeOf(
        world.sendGroupMessage.execute({ senderId: alice!, groupId: two.groupId, text: 't', clientMessageId: 'x' }),
      );

      expect(code).to.equal('conflict');
    });
  });
});
