import { expect } from 'chai';
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
});
