import { expect } from 'chai';
import { apiFor, PASSWORD } from './apiFor.js';

describe('Bearer tokens and the acting user', () => {
  const { call, register } = apiFor();

  async function tokenOf(userId: string): Promise<string> {
    const login = await call('/login', { user_id: userId, password: PASSWORD });
    expect(login.status).to.equal(200);
    expect(login.body.expires_at).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    return login.body.token;
  }

  it('acts for the token’s user without a password in the body', async () => {
    const [alice, bob] = [await register(), await register()];
    const token = await tokenOf(alice);

    const sent = await call('/send_message', { receiver_id: bob, message: 'via token' }, { authorization: `Bearer ${token}` });
    const inbox = await call('/check_messages', {}, { authorization: `Bearer ${token}` });

    expect(sent.status).to.equal(200);
    expect(inbox.status).to.equal(200);
  });

  it('never lets a token for one user act as another, whatever the body says', async () => {
    const [alice, bob] = [await register(), await register()];
    const token = await tokenOf(alice);

    const result = await call(
      '/send_message',
      { sender_id: bob, password: PASSWORD, receiver_id: alice, message: 'spoofed' },
      { authorization: `Bearer ${token}` },
    );
    const aliceInbox = await call('/check_messages', { user_id: alice, password: PASSWORD });

    expect([result.status, result.body.error]).to.deep.equal([401, 'unauthorized']);
    expect(aliceInbox.body.messages, 'nothing was sent as bob').to.be.empty;
  });

  it('refuses a malformed Authorization header even when the body has good credentials', async () => {
    const alice = await register();

    for (const authorization of ['Basic abc', 'Bearer', 'Bearer a b']) {
      const result = await call('/check_messages', { user_id: alice, password: PASSWORD }, { authorization });
      expect(result.status, authorization).to.equal(401);
    }
  });

  it('answers 429 with Retry-After once a user is locked out, even with the right password', async () => {
    const alice = await register();
    for (let i = 0; i < 10; i++) {
      expect((await call('/login', { user_id: alice, password: 'wrong password' })).status).to.equal(401);
    }

    const locked = await call('/check_messages', { user_id: alice, password: PASSWORD });

    expect([locked.status, locked.body.error]).to.deep.equal([429, 'too_many_attempts']);
    expect(Number(locked.headers['Retry-After'])).to.be.greaterThan(0);
  });

  it('takes the Idempotency-Key header as client_message_id', async () => {
    const [alice, bob] = [await register(), await register()];
    const body = { sender_id: alice, password: PASSWORD, receiver_id: bob, message: 'once' };

    const first = await call('/send_message', body, { 'idempotency-key': 'key-1' });
    const second = await call('/send_message', { ...body, client_message_id: 'key-1' });
    const mismatch = await call('/send_message', { ...body, client_message_id: 'key-2' }, { 'idempotency-key': 'key-1' });

    expect(second.body.message_id).to.equal(first.body.message_id);
    expect([mismatch.status, mismatch.body.error]).to.deep.equal([400, 'validation_failed']);
  });

  it('refuses an empty client_message_id instead of ignoring it', async () => {
    const [alice, bob] = [await register(), await register()];

    const result = await call('/send_message', {
      sender_id: alice,
      password: PASSWORD,
      receiver_id: bob,
      message: 'x',
      client_message_id: '',
    });

    expect([result.status, result.body.error]).to.deep.equal([400, 'validation_failed']);
  });
});
