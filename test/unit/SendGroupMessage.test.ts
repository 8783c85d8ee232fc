import { expect } from 'chai';
import { interruptFirstGroupSend } from '../support/InterruptedGroupSend.js';
import { buildWorld, errorCodeOf, type World } from '../support/world.js';

async function inboxTexts(world: World, userId: string): Promise<string[]> {
  return world.texts(await world.checkMessages.execute({ userId }));
}

describe('SendGroupMessage', () => {
  it('delivers to every other member, tagged with the group, and not to the sender', async () => {
    const world = buildWorld();
    const [alice, bob, carol] = await world.register(3);
    const { groupId } = await world.createGroup.execute({ creatorId: alice!, memberIds: [bob!, carol!] });

    const { messageId } = await world.sendGroupMessage.execute({ senderId: bob!, groupId, text: 'hi all' });

    const [received] = (await world.checkMessages.execute({ userId: alice! })).messages;
    expect(received).to.include({ id: messageId, senderId: bob, text: 'hi all', groupId });
    expect(await inboxTexts(world, carol!)).to.deep.equal(['hi all']);
    expect(await inboxTexts(world, bob!), 'not to the sender').to.be.empty;
  });

  it('refuses a sender who is not a member and an unknown group', async () => {
    const world = buildWorld();
    const [alice, outsider] = await world.register(2);
    const { groupId } = await world.createGroup.execute({ creatorId: alice!, memberIds: [] });

    expect(await errorCodeOf(world.sendGroupMessage.execute({ senderId: outsider!, groupId, text: 'x' }))).to.equal(
      'not_a_member',
    );
    expect(
      await errorCodeOf(world.sendGroupMessage.execute({ senderId: alice!, groupId: 'group-nope', text: 'x' })),
    ).to.equal('group_not_found');
  });

  it('validates the text like a direct message', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);
    const { groupId } = await world.createGroup.execute({ creatorId: alice!, memberIds: [] });

    expect(await errorCodeOf(world.sendGroupMessage.execute({ senderId: alice!, groupId, text: '   ' }))).to.equal(
      'validation_failed',
    );
  });

  it('skips members who have blocked the sender, from the block on, and resumes after unblock', async () => {
    const world = buildWorld();
    const [alice, bob, carol] = await world.register(3);
    const { groupId } = await world.createGroup.execute({ creatorId: alice!, memberIds: [bob!, carol!] });
    await world.sendGroupMessage.execute({ senderId: bob!, groupId, text: 'before' });
    await world.blockUser.execute({ userId: alice!, blockedUserId: bob! });

    await world.sendGroupMessage.execute({ senderId: bob!, groupId, text: 'during' });
    await world.unblockUser.execute({ userId: alice!, blockedUserId: bob! });
    await world.sendGroupMessage.execute({ senderId: bob!, groupId, text: 'after' });

    expect(await inboxTexts(world, alice!)).to.deep.equal(['before', 'after']);
    expect(await inboxTexts(world, carol!)).to.deep.equal(['before', 'during', 'after']);
  });

  it('reaches the members at send time only: not before joining, not after leaving', async () => {
    const world = buildWorld();
    const [alice, bob, carol] = await world.register(3);
    const { groupId } = await world.createGroup.execute({ creatorId: alice!, memberIds: [bob!] });
    await world.sendGroupMessage.execute({ senderId: alice!, groupId, text: 'one' });
    await world.addGroupMember.execute({ requesterId: alice!, groupId, userId: carol! });
    await world.sendGroupMessage.execute({ senderId: alice!, groupId, text: 'two' });
    await world.removeGroupMember.execute({ requesterId: bob!, groupId, userId: bob! });

    await world.sendGroupMessage.execute({ senderId: alice!, groupId, text: 'three' });

    expect(await inboxTexts(world, bob!)).to.deep.equal(['one', 'two']);
    expect(await inboxTexts(world, carol!)).to.deep.equal(['two', 'three']);
  });

  describe('a retry of a send that stopped part-way (the same client_message_id)', () => {
    /** A group of the sender and five others; the first send with a client id reaches only the first other. */
    async function interrupted() {
      const world = buildWorld({ messages: interruptFirstGroupSend(1) });
      const [sender, reached, blocker, leaver, fickle, stayer] = await world.register(6);
      const { groupId } = await world.createGroup.execute({ creatorId: sender!, memberIds: [reached!, blocker!, leaver!, fickle!, stayer!] });
      const send = () => world.sendGroupMessage.execute({ senderId: sender!, groupId, text: 'retried', clientMessageId: 'c-1' });
      expect(await errorCodeOf(send()), 'the first send fails part-way').to.equal('unavailable');
      const [original] = (await world.checkMessages.execute({ userId: reached! })).messages;
      return { world, send, original: original!, sender: sender!, reached: reached!, blocker: blocker!, leaver: leaver!, fickle: fickle!, stayer: stayer!, groupId };
    }

    it('is judged again: a member who blocked the sender or left in between gets nothing; the rest get it once, under the first id', async () => {
      const { world, send, original, sender, reached, blocker, leaver, stayer, groupId } = await interrupted();
      world.clock.advance(1_000);
      await world.blockUser.execute({ userId: blocker, blockedUserId: sender });
      await world.removeGroupMember.execute({ requesterId: leaver, groupId, userId: leaver });
      world.clock.advance(1_000);

      const { messageId } = await send();

      expect(messageId, 'the id first assigned').to.equal(original.id);
      expect((await world.checkMessages.execute({ userId: blocker })).messages, 'blocked in between').to.deep.equal([]);
      expect((await world.checkMessages.execute({ userId: leaver })).messages, 'left in between').to.deep.equal([]);
      expect((await world.checkMessages.execute({ userId: reached })).messages.map((m) => m.id), 'once').to.deep.equal([messageId]);
      expect((await world.checkMessages.execute({ userId: stayer })).messages.map((m) => m.id)).to.deep.equal([messageId]);
    });

    it('is never shown with a time before a block it broke through, and answers the same from then on', async () => {
      const { world, send, original, sender, fickle, stayer } = await interrupted();
      world.clock.advance(1_000);
      await world.blockUser.execute({ userId: fickle, blockedUserId: sender });
      world.clock.advance(1_000);
      await world.unblockUser.execute({ userId: fickle, blockedUserId: sender });
      const unblockedAt = world.clock.now();
      world.clock.advance(1_000);

      const retried = await send();
      const again = await send();

      const [copy] = (await world.checkMessages.execute({ userId: fickle })).messages;
      expect(copy!.id).to.equal(original.id);
      expect(copy!.sentAt, 'stamped at the retry, after the block was lifted').to.be.above(unblockedAt);
      expect(again, 'a complete send replays').to.deep.equal(retried);
      expect((await world.checkMessages.execute({ userId: stayer })).messages).to.have.length(1);
    });

    it('is refused once the sender has left the group, where a complete send would still replay', async () => {
      const { world, send, sender, stayer, groupId } = await interrupted();
      await world.removeGroupMember.execute({ requesterId: sender, groupId, userId: sender });

      expect(await errorCodeOf(send())).to.equal('not_a_member');
      expect((await world.checkMessages.execute({ userId: stayer })).messages).to.deep.equal([]);
    });
  });
});

