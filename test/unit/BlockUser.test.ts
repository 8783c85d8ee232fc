import { expect } from 'chai';
import { buildWorld, errorCodeOf } from '../support/world.js';

describe('BlockUser and UnblockUser', () => {
  it('rejects blocking yourself', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);

    expect(await errorCodeOf(world.blockUser.execute({ userId: alice!, blockedUserId: alice! }))).to.equal(
      'validation_failed',
    );
  });

  it('rejects blocking or unblocking an unknown user', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);

    expect(await errorCodeOf(world.blockUser.execute({ userId: alice!, blockedUserId: 'user-nobody' }))).to.equal(
      'user_not_found',
    );
    expect(await errorCodeOf(world.unblockUser.execute({ userId: alice!, blockedUserId: 'user-nobody' }))).to.equal(
      'user_not_found',
    );
  });

  it('is idempotent both ways', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);

    await world.unblockUser.execute({ userId: alice!, blockedUserId: bob! });
    await world.blockUser.execute({ userId: alice!, blockedUserId: bob! });
    await world.blockUser.execute({ userId: alice!, blockedUserId: bob! });

    expect(await errorCodeOf(world.sendMessage.execute({ senderId: bob!, receiverId: alice!, text: 'x' }))).to.equal(
      'blocked',
    );
  });

  it('keeps messages delivered before the block and restores delivery of new ones after unblocking', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    await world.send(bob!, alice!, 'before');
    await world.blockUser.execute({ userId: alice!, blockedUserId: bob! });
    await errorCodeOf(world.sendMessage.execute({ senderId: bob!, receiverId: alice!, text: 'during' }));

    await world.unblockUser.execute({ userId: alice!, blockedUserId: bob! });
    await world.send(bob!, alice!, 'after');

    expect(world.texts(await world.checkMessages.execute({ userId: alice! }))).to.deep.equal(['before', 'after']);
  });
});
