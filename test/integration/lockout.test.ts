// Brute-force lockout (SPEC 2): after 10 failed password attempts for one user, further password attempts
// for that user get 429 too_many_attempts with Retry-After, even with the right password, until the
// 15-minute window passes. Tokens are not password attempts. Every user here is registered for this file
// only, because a lockout cannot be undone over HTTP.
import { expect } from 'chai';
import {
  PASSWORD,
  bearer,
  inboxEnd,
  keysOf,
  login,
  mustLogin,
  post,
  readNewMessages,
  registerUsers,
  sendMessage,
  uniqueText,
  unknownUserId,
  type ApiResponse,
} from './client.js';
import { expectError, expectInboxBody, expectOk, expectSent, expectStandardHeaders } from './expectations.js';

const FAILURES_ALLOWED = 10;
const WINDOW_SECONDS = 15 * 60;
const WRONG_PASSWORD = 'not the password 42';

/** A failed attempt by password, alternately through login and check_messages: both count. */
function wrongAttempt(userId: string, n: number): Promise<ApiResponse> {
  return n % 2 === 0
    ? login(userId, WRONG_PASSWORD)
    : post('/check_messages', { user_id: userId, password: WRONG_PASSWORD });
}

/** 429 too_many_attempts with a Retry-After of whole seconds, at most the 15-minute window. */
function expectLockedOut(res: ApiResponse, behaviour: string): void {
  expectError(res, 429, 'too_many_attempts', behaviour);
  expectStandardHeaders(res, behaviour);
  const retryAfter = res.headers.get('retry-after');
  expect(retryAfter, `${behaviour}: Retry-After is a positive whole number of seconds`).to.be.a('string').that.matches(
    /^[1-9]\d*$/,
  );
  expect(Number(retryAfter), `${behaviour}: Retry-After is within the 15-minute window`).to.be.at.most(WINDOW_SECONDS);
}

/** Makes the 10 failed attempts the lockout allows, each of which must still be a plain 401. */
async function failTenTimes(userId: string, who: string): Promise<void> {
  for (let n = 0; n < FAILURES_ALLOWED; n++) {
    const via = n % 2 === 0 ? 'login' : 'check_messages';
    expectError(await wrongAttempt(userId, n), 401, 'unauthorized', `${who}: wrong password ${n + 1} (${via})`);
  }
}

describe('Password lockout (SPEC 2)', function () {
  this.timeout(60000);

  it('answers 401 to the first 10 wrong passwords, then 429 too_many_attempts with Retry-After', async function () {
    const [victim] = (await registerUsers(1)) as [string];
    await failTenTimes(victim, 'a fresh user');
    expectLockedOut(await login(victim, WRONG_PASSWORD), '11th wrong password (login)');
    expectLockedOut(
      await post('/check_messages', { user_id: victim, password: WRONG_PASSWORD }),
      '12th wrong password (check_messages)',
    );
  });

  it('answers 429 to the right password during the lockout, on every route, and does nothing', async function () {
    const [victim, friend] = (await registerUsers(2)) as [string, string];
    await failTenTimes(victim, 'the victim');
    expectLockedOut(await login(victim), 'login with the right password');
    expectLockedOut(await post('/check_messages', { user_id: victim, password: PASSWORD }), 'check_messages');
    const mark = await inboxEnd(friend);
    expectLockedOut(await sendMessage(victim, friend, uniqueText('while locked out')), 'send_message');
    expect((await readNewMessages(friend, mark)).messages, 'a locked-out send delivers nothing').to.deep.equal([]);
  });

  it('still accepts a token obtained by login before the lockout: tokens are not password attempts', async function () {
    const [victim, friend] = (await registerUsers(2)) as [string, string];
    const tokenBefore = await mustLogin(victim);
    await failTenTimes(victim, 'the victim');
    expectLockedOut(await login(victim), 'the right password is locked out');

    const inbox = await post('/check_messages', {}, bearer(tokenBefore));
    expectInboxBody(expectOk(inbox, 'check_messages with the earlier token'), 'the locked-out user reads by token');
    const mark = await inboxEnd(friend);
    const text = uniqueText('by token while locked out');
    const sent = await post('/send_message', { receiver_id: friend, message: text }, bearer(tokenBefore));
    const key = expectSent(sent, friend, text, 'send_message with the earlier token');
    expect(keysOf((await readNewMessages(friend, mark)).messages), 'the message sent by token arrives').to.deep.equal([
      key,
    ]);
    expectLockedOut(await login(victim), 'using the token did not lift the lockout');
  });

  it('leaves other users unaffected', async function () {
    const [victim, bystander] = (await registerUsers(2)) as [string, string];
    await failTenTimes(victim, 'the victim');
    expectLockedOut(await login(victim), 'the victim is locked out');
    expectOk(await login(bystander), 'another user logs in');
    const res = await post('/check_messages', { user_id: bystander, password: PASSWORD });
    expectInboxBody(expectOk(res, 'another user checks messages with a password'), "another user's inbox");
    expectError(
      await login(bystander, WRONG_PASSWORD),
      401,
      'unauthorized',
      "another user's wrong password is still a plain 401",
    );
  });

  it('locks out an unknown user id the same way, so a lockout does not reveal which ids exist', async function () {
    const unknown = unknownUserId();
    await failTenTimes(unknown, 'an unknown user id');
    expectLockedOut(await login(unknown, WRONG_PASSWORD), 'unknown user, 11th attempt');
  });
});
