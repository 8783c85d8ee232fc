// POST /register_user (SPEC 2): ids, the password length rule and the identical 401 for unknown users.
import { expect } from 'chai';
import { PASSWORD, checkMessages, notAnIdUser, post, registerUser, unknownUserId } from './client.js';
import { USER_ID, expectError, expectKeys, expectNewestPage, expectOk, expectValidationFailed } from './expectations.js';

describe('register_user', function () {
  this.timeout(60000);

  it('returns a user_id of the form user-<letters and digits> that can authenticate', async function () {
    const body = expectOk(await post('/register_user', { password: PASSWORD }), 'register_user');
    expectKeys(body, ['user_id'], 'register_user answers {"user_id"} in both profiles');
    expect(body.user_id, 'user_id matches ^user-[a-zA-Z0-9]+$').to.be.a('string').that.matches(USER_ID);
    const res = await checkMessages(body.user_id);
    const inbox = expectNewestPage(expectOk(res, 'the new user authenticates with its password'), 'a new inbox');
    expect(inbox.messages, 'a new user has an empty inbox').to.deep.equal([]);
  });

  it('gives every registration a different id', async function () {
    const ids = await Promise.all([registerUser(), registerUser(), registerUser()]);
    expect(new Set(ids).size, 'three registrations give three ids').to.equal(3);
  });

  it('accepts passwords of exactly 8 and exactly 128 characters', async function () {
    for (const password of ['a'.repeat(8), 'b'.repeat(128)]) {
      const body = expectOk(await post('/register_user', { password }), `password of ${password.length} characters`);
      expect(body.user_id, 'an accepted password gives a user id').to.match(USER_ID);
      const res = await post('/check_messages', { user_id: body.user_id, password });
      expectOk(res, `the ${password.length}-character password authenticates`);
    }
  });

  it('counts password length in characters, not bytes or UTF-16 units', async function () {
    // 128 two-byte characters (256 bytes) are allowed; 7 emoji (14 UTF-16 units) are too short.
    expectOk(await post('/register_user', { password: 'é'.repeat(128) }), '128 non-ASCII characters are accepted');
    expectValidationFailed(
      await post('/register_user', { password: '🔑'.repeat(7) }),
      ['password'],
      '7 emoji are 7 characters, below the minimum of 8',
    );
  });

  for (const [label, password] of [
    ['7 characters', 'a'.repeat(7)],
    ['129 characters', 'a'.repeat(129)],
    ['an empty string', ''],
    ['a number', 12345678],
    ['null', null],
    ['an array', ['correct horse battery']],
    ['an object', { value: 'correct horse battery' }],
  ] as const) {
    it(`rejects a password that is ${label} with 400 validation_failed naming password`, async function () {
      expectValidationFailed(await post('/register_user', { password }), ['password'], `password ${label}`);
    });
  }

  it('rejects a missing password with 400 validation_failed naming password', async function () {
    expectValidationFailed(await post('/register_user', {}), ['password'], 'missing password');
  });

  it('rejects a very long password before hashing it, without echoing it', async function () {
    const password = 'p'.repeat(60_000);
    const res = await post('/register_user', { password });
    expectValidationFailed(res, ['password'], 'password of 60 000 characters');
    expect(res.text, 'the rejected password is not echoed').to.not.include('p'.repeat(129));
  });

  it('gives an unknown user and a wrong password byte-identical 401 bodies', async function () {
    const user = await registerUser();
    const [wrong, unknown] = await Promise.all([
      post('/check_messages', { user_id: user, password: `${PASSWORD}!` }),
      post('/check_messages', { user_id: unknownUserId(), password: `${PASSWORD}!` }),
    ]);
    expectError(wrong, 401, 'unauthorized', 'wrong password');
    expectError(unknown, 401, 'unauthorized', 'unknown user');
    expect(unknown.text, 'no difference reveals which user ids exist').to.equal(wrong.text);
  });

  it('answers 401 to an acting user id that is not even id-shaped', async function () {
    expectError(
      await post('/check_messages', { user_id: notAnIdUser(), password: PASSWORD }),
      401,
      'unauthorized',
      'an acting user id without the user- prefix',
    );
  });
});
