import { expect } from 'chai';
import { apiFor, PASSWORD } from './apiFor.js';

describe('API profiles', () => {
  describe('seed', () => {
    const { call, register } = apiFor({ API_PROFILE: 'seed' });

    it('answers with exactly the seed bodies', async () => {
      const [alice, bob] = [await register(), await register()];
      const sent = await call('/send_message', { sender_id: alice, password: PASSWORD, receiver_id: bob, message: 'hi' });
      const inbox = await call('/check_messages', { user_id: bob, password: PASSWORD });
      const blocked = await call('/block_user', { user_id: bob, password: PASSWORD, block_user_id: alice });

      expect(sent.body).to.deep.equal({ message: `Message sent to ${bob}.` });
      expect(inbox.body.messages).to.have.length(1);
      expect(Object.keys(inbox.body)).to.deep.equal(['messages']);
      expect(Object.keys(inbox.body.messages[0]).sort()).to.deep.equal(['message', 'sender_id', 'timestamp']);
      expect(blocked.body).to.deep.equal({ message: `You have blocked ${alice}.` });
    });

    it('answers every error as {"message"} with the usual status', async () => {
      const [alice, bob] = [await register(), await register()];
      await call('/block_user', { user_id: bob, password: PASSWORD, blocked_user_id: alice });

      const blocked = await call('/send_message', { sender_id: alice, password: PASSWORD, receiver_id: bob, message: 'x' });
      const invalid = await call('/register_user', { password: 'short' });
      const unknown = await call('/nowhere', {});

      expect([blocked.status, blocked.body]).to.deep.equal([403, { message: `You are unable to send messages to ${bob}.` }]);
      expect(invalid.status).to.equal(400);
      expect(Object.keys(invalid.body)).to.deep.equal(['message']);
      expect([unknown.status, Object.keys(unknown.body)]).to.deep.equal([404, ['message']]);
    });

    it('lets anyone manage groups without credentials, strictly', async () => {
      const [alice, bob] = [await register(), await register()];

      const created = await call('/create_group', { members: `${alice}, ${bob}` });
      const groupId = created.body.group_id;
      const removed = await call('/add_remove_users', { group_id: groupId, user_id: bob, action: 'remove' });
      const again = await call('/add_remove_users', { group_id: groupId, user_id: bob, action: 'remove' });
      const bogus = await call('/add_remove_users', { group_id: groupId, user_id: bob, action: 'kick' });

      expect(Object.keys(created.body)).to.deep.equal(['group_id']);
      expect(removed.body).to.deep.equal({ message: `${bob} has been removed from the group.` });
      expect([again.status, again.body]).to.deep.equal([400, { message: 'Invalid action or user already in desired state.' }]);
      expect([bogus.status, bogus.body]).to.deep.equal([400, { message: 'Invalid action or user already in desired state.' }]);
    });

    it('still checks credentials when they are sent', async () => {
      const alice = await register();

      const result = await call('/create_group', { user_id: alice, password: 'wrong password', members: alice });

      expect(result.status).to.equal(401);
    });
  });

  describe('secure', () => {
    const { call, register } = apiFor();

    it('requires credentials to manage groups', async () => {
      const alice = await register();

      const result = await call('/create_group', { members: alice });

      expect([result.status, result.body.error]).to.deep.equal([401, 'unauthorized']);
    });

    it('adds message ids, cursors and error codes to the seed bodies', async () => {
      const [alice, bob] = [await register(), await register()];
      const sent = await call('/send_message', { sender_id: alice, password: PASSWORD, receiver_id: bob, message: 'hi' });
      const inbox = await call('/check_messages', { user_id: bob, password: PASSWORD });

      expect(sent.body.message_id).to.match(/^msg-/);
      expect(inbox.body).to.have.keys('messages', 'next_cursor', 'has_more');
      expect(inbox.body.messages[0].message_id).to.equal(sent.body.message_id);
    });
  });
});
