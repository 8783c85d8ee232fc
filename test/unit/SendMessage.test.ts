import { expect } from 'chai';
import { DomainError } from '../../src/core/DomainError.js';
import { buildWorld, errorCodeOf } from '../support/world.js';

describe('SendMessage', () => {
  it('puts the message in the receiver’s inbox and not in the sender’s', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);

    const { messageId } = await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: 'hello' });

    const inbox = await world.checkMessages.execute({ userId: bob! });
    expect(inbox.messages.map((m) => [m.id, m.senderId, m.text])).to.deep.equal([[messageId, alice, 'hello']]);
    expect((await world.checkMessages.execute({ userId: alice! })).messages, 'own sends stay out').to.be.empty;
    expect(messageId).to.match(/^msg-[a-zA-Z0-9]+$/);
  });

  it('delivers a message sent to oneself, since one is its receiver', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);

    await world.sendMessage.execute({ senderId: alice!, receiverId: alice!, text: 'note to self' });

    expect(world.texts(await world.checkMessages.execute({ userId: alice! }))).to.deep.equal(['note to self']);
  });

  it('rejects an unknown receiver with user_not_found', async () => {
    const world = buildWorld();
    const [alice] = await world.register(1);

    const code = await errorCodeOf(world.sendMessage.execute({ senderId: alice!, receiverId: 'user-nobody', text: 'hi' }));

    expect(code).to.equal('user_not_found');
  });

  it('rejects a sender the receiver has blocked, with the seed’s sentence, and stores nothing', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    await world.blockUser.execute({ userId: alice!, blockedUserId: bob! });

    let failure: unknown;
    try {
      await world.sendMessage.execute({ senderId: bob!, receiverId: alice!, text: 'let me in' });
    } catch (error) {
      failure = error;
    }

    expect(failure).to.be.instanceOf(DomainError);
    expect((failure as DomainError).code).to.equal('blocked');
    expect((failure as DomainError).message).to.equal(`You are unable to send messages to ${alice}.`);
    expect((await world.checkMessages.execute({ userId: alice! })).messages, 'nothing delivered').to.be.empty;
  });

  it('still lets the blocker message the user they blocked', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);
    await world.blockUser.execute({ userId: alice!, blockedUserId: bob! });

    await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: 'one way' });

    expect(world.texts(await world.checkMessages.execute({ userId: bob! }))).to.deep.equal(['one way']);
  });

  for (const [label, text] of [
    ['empty', ''],
    ['only white space', ' \n\t '],
    ['4097 characters', 'x'.repeat(4097)],
  ] as const) {
    it(`rejects a message that is ${label}`, async () => {
      const world = buildWorld();
      const [alice, bob] = await world.register(2);

      const code = await errorCodeOf(world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text }));

      expect(code).to.equal('validation_failed');
      expect((await world.checkMessages.execute({ userId: bob! })).messages).to.be.empty;
    });
  }

  it('accepts 4096 characters, counting each emoji as one', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);

    await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: '🙂'.repeat(4096) });

    expect((await world.checkMessages.execute({ userId: bob! })).messages).to.have.length(1);
  });

  it('keeps the order of sends made within the same millisecond', async () => {
    const world = buildWorld();
    const [alice, bob] = await world.register(2);

    for (let i = 0; i < 20; i++) {
      await world.sendMessage.execute({ senderId: alice!, receiverId: bob!, text: `m${i}` });
    }

    const texts = world.texts(await world.checkMessages.execute({ userId: bob! }));
    expect(texts).to.deep.equal(Array.from({ length: 20 }, (_, i) => `m${i}`));
  });
});
