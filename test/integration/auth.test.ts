// POST /login and bearer tokens (SPEC 2): a token from login acts for its own user on every endpoint that
// authenticates, without the password, and never for anyone else. login is not a seed route, so it answers
// as in the secure profile in both; only its error bodies follow the profile.
import { expect } from 'chai';
import {
  PASSWORD,
  bearer,
  blockUser,
  inboxEnd,
  keysOf,
  listGroups,
  login,
  mustCreateGroup,
  mustLogin,
  mustSendMessage,
  post,
  readNewMessages,
  registerUser,
  registerUsers,
  sendMessage,
  notAnIdUser,
  uniqueText,
  unknownUserId,
  type ApiResponse,
} from './client.js';
import {
  expectError,
  expectInboxBody,
  expectKeys,
  expectOk,
  expectSent,
  expectValidationFailed,
} from './expectations.js';

/** ISO 8601 UTC to the second (fractions allowed), as SPEC 1 asks for expires_at. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

type ActorField = 'user_id' | 'sender_id' | 'requester_id';

/** The members of a group as `member` sees them, through body credentials. */
async function membersOf(member: string, groupId: string): Promise<{ user_id: string; role: string }[]> {
  const res = await post('/get_group', { user_id: member, password: PASSWORD, group_id: groupId });
  return (expectOk(res, `get_group ${groupId}`).members as { user_id: string; role: string }[]).map(
    ({ user_id, role }) => ({ user_id, role }),
  );
}

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The token with the character in the middle of one of its three parts replaced by another. */
function withOneCharacterChanged(token: string, part: 0 | 1 | 2): string {
  const parts = token.split('.');
  const segment = parts[part] ?? '';
  const at = Math.floor(segment.length / 2);
  parts[part] = segment.slice(0, at) + (segment[at] === 'A' ? 'B' : 'A') + segment.slice(at + 1);
  return parts.join('.');
}

/** The token with its payload rewritten to name `userId`, keeping the original header and signature. */
function withSubject(token: string, userId: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const forged = claims.sub === undefined ? { ...claims, user_id: userId } : { ...claims, sub: userId };
  return [header, base64UrlJson(forged), signature].join('.');
}

/** The token's payload under an unsigned `alg: none` header. */
function unsigned(token: string): string {
  const payload = token.split('.')[1] ?? '';
  return `${base64UrlJson({ alg: 'none', typ: 'JWT' })}.${payload}.`;
}

describe('Login and bearer tokens (SPEC 2)', function () {
  this.timeout(60000);

  describe('login', function () {
    it('answers {"token","expires_at"}, expires_at an ISO 8601 UTC time after the response was sent', async function () {
      const user = await registerUser();
      const res = await login(user);
      const body = expectOk(res, 'login with the right password');
      expectKeys(body, ['token', 'expires_at'], 'login answers {"token","expires_at"} in both profiles');
      expect(body.token, 'the token is a non-empty string without white space').to.be.a('string').that.matches(/^\S+$/);
      expect(body.expires_at, 'expires_at is ISO 8601 UTC, like 2026-11-30T08:00:00Z').to.be.a('string').that.matches(
        ISO_UTC,
      );
      const expiresAt = Date.parse(body.expires_at as string);
      expect(Number.isNaN(expiresAt), 'expires_at is a real time').to.equal(false);
      // Compared with the server's own Date header, not this machine's clock.
      const date = res.headers.get('date');
      expect(date, 'the response carries a Date header to compare expires_at with').to.be.a('string');
      expect(expiresAt, 'the token expires in the future').to.be.greaterThan(Date.parse(date as string));
      expect(res.text, 'the login answer never carries the password').to.not.include(PASSWORD);
    });

    it('answers a wrong password and an unknown user with the same 401, byte for byte', async function () {
      const user = await registerUser();
      const wrongPassword = 'not the password 42';
      const [wrong, unknown, notAnId] = await Promise.all([
        login(user, wrongPassword),
        login(unknownUserId(), wrongPassword),
        login(notAnIdUser(), wrongPassword),
      ]);
      expectError(wrong, 401, 'unauthorized', 'login with a wrong password');
      expectError(unknown, 401, 'unauthorized', 'login as an unknown user');
      expectError(notAnId, 401, 'unauthorized', 'login as a user id that is not id-shaped');
      expect(unknown.text, 'an unknown user and a wrong password give byte-identical bodies').to.equal(wrong.text);
      expect(notAnId.text, 'a user id that is not even id-shaped gives the same body').to.equal(wrong.text);
      expect(wrong.text, 'a 401 never echoes the password').to.not.include(wrongPassword);
    });

    it('rejects a missing user_id or password with 400 validation_failed naming it', async function () {
      const user = await registerUser();
      expectValidationFailed(await post('/login', { user_id: user }), ['password'], 'login without password');
      expectValidationFailed(await post('/login', { password: PASSWORD }), ['user_id'], 'login without user_id');
      expectValidationFailed(await post('/login', { user_id: user, password: 12345678 }), ['password'], 'a number');
    });

    it('gives a token that keeps working without the password, call after call', async function () {
      const [user, friend] = await registerUsers(2);
      const token = await mustLogin(user!);
      const text = uniqueText('via token');
      await mustSendMessage(friend!, user!, text);
      for (const call of ['first', 'second', 'third']) {
        const res = await post('/check_messages', {}, bearer(token));
        const page = expectInboxBody(expectOk(res, `${call} check_messages with only the token`), `${call} call`);
        expect(
          page.messages.map((m) => m.message),
          `the ${call} call with only the token reads the token user's inbox`,
        ).to.include(text);
      }
    });
  });

  /**
   * One scenario per endpoint that authenticates: `arrange` prepares a world in which `actor` can act and
   * answers the request body without actor field or password, and a check that the request had its effect.
   */
  interface TokenCase {
    path: string;
    field: ActorField;
    arrange(actor: string): Promise<{ body: Record<string, unknown>; check(res: ApiResponse): Promise<void> }>;
  }

  const TOKEN_CASES: TokenCase[] = [
    {
      path: '/send_message',
      field: 'sender_id',
      async arrange(actor) {
        const receiver = await registerUser();
        const mark = await inboxEnd(receiver);
        const text = uniqueText('sent with a token');
        return {
          body: { receiver_id: receiver, message: text },
          async check(res) {
            const key = expectSent(res, receiver, text, 'send_message with a token');
            const { messages } = await readNewMessages(receiver, mark);
            expect(keysOf(messages), 'the receiver gets the message once').to.deep.equal([key]);
            expect(messages[0]!.sender_id, "the sender is the token's user").to.equal(actor);
          },
        };
      },
    },
    {
      path: '/check_messages',
      field: 'user_id',
      async arrange(actor) {
        const friend = await registerUser();
        const text = uniqueText('for the token user');
        await mustSendMessage(friend, actor, text);
        return {
          body: {},
          async check(res) {
            const page = expectInboxBody(expectOk(res, 'check_messages with a token'), 'check_messages with a token');
            const item = page.messages.find((m) => m.message === text);
            expect(item?.sender_id, "the token reads its own user's inbox").to.equal(friend);
          },
        };
      },
    },
    {
      path: '/block_user',
      field: 'user_id',
      async arrange(actor) {
        const pest = await registerUser();
        return {
          body: { blocked_user_id: pest },
          async check(res) {
            expect(expectOk(res, 'block_user with a token').message, 'the block sentence').to.equal(
              `You have blocked ${pest}.`,
            );
            expectError(await sendMessage(pest, actor, 'hi'), 403, 'blocked', "the token user's block holds");
          },
        };
      },
    },
    {
      path: '/unblock_user',
      field: 'user_id',
      async arrange(actor) {
        const pest = await registerUser();
        expectOk(await blockUser(actor, pest), 'block_user before the unblock');
        return {
          body: { blocked_user_id: pest },
          async check(res) {
            expect(expectOk(res, 'unblock_user with a token').message, 'the unblock sentence').to.equal(
              `You have unblocked ${pest}.`,
            );
            expectOk(await sendMessage(pest, actor, 'hi again'), "the token user's unblock holds");
          },
        };
      },
    },
    {
      path: '/create_group',
      field: 'user_id',
      async arrange(actor) {
        const friend = await registerUser();
        return {
          body: { members: [friend] },
          async check(res) {
            const groupId = expectOk(res, 'create_group with a token').group_id as string;
            expect(await membersOf(actor, groupId), "the token's user created the group and is its admin").to.deep.equal([
              { user_id: actor, role: 'admin' },
              { user_id: friend, role: 'member' },
            ]);
          },
        };
      },
    },
    {
      path: '/add_remove_users',
      field: 'requester_id',
      async arrange(actor) {
        const friend = await registerUser();
        const groupId = await mustCreateGroup(actor, []);
        return {
          body: { group_id: groupId, user_id: friend, action: 'add' },
          async check(res) {
            expect(expectOk(res, 'add_remove_users with a token').message, 'the add sentence').to.equal(
              `${friend} has been added to the group.`,
            );
            expect(await membersOf(actor, groupId), 'the member was added').to.deep.equal([
              { user_id: actor, role: 'admin' },
              { user_id: friend, role: 'member' },
            ]);
          },
        };
      },
    },
    {
      path: '/send_group_message',
      field: 'sender_id',
      async arrange(actor) {
        const friend = await registerUser();
        const groupId = await mustCreateGroup(actor, [friend]);
        const mark = await inboxEnd(friend);
        const text = uniqueText('to the group with a token');
        return {
          body: { group_id: groupId, message: text },
          async check(res) {
            const key = expectSent(res, groupId, text, 'send_group_message with a token');
            const { messages } = await readNewMessages(friend, mark);
            expect(keysOf(messages), 'the other member gets the message once').to.deep.equal([key]);
            expect(messages[0]!.sender_id, "the sender is the token's user").to.equal(actor);
            expect(messages[0]!.group_id, 'it is a message of the group').to.equal(groupId);
          },
        };
      },
    },
    {
      path: '/get_group',
      field: 'user_id',
      async arrange(actor) {
        const groupId = await mustCreateGroup(actor, [], 'Token team');
        return {
          body: { group_id: groupId },
          async check(res) {
            const body = expectOk(res, 'get_group with a token');
            expect(body.group_id, 'the group asked for').to.equal(groupId);
            expect(body.name, 'its name').to.equal('Token team');
            expect(body.members, "the token's user is its admin").to.deep.equal([{ user_id: actor, role: 'admin' }]);
          },
        };
      },
    },
    {
      path: '/list_groups',
      field: 'user_id',
      async arrange(actor) {
        const groupId = await mustCreateGroup(actor, []);
        return {
          body: {},
          async check(res) {
            const groups = expectOk(res, 'list_groups with a token').groups as { group_id: string; role: string }[];
            expect(groups, "the token's user's groups").to.deep.equal([{ group_id: groupId, name: null, role: 'admin' }]);
          },
        };
      },
    },
  ];

  describe('a bearer token on every endpoint that authenticates', function () {
    for (const { path, field, arrange } of TOKEN_CASES) {
      it(`acts on ${path} for the token's user, with ${field} and password left out`, async function () {
        const actor = await registerUser();
        const token = await mustLogin(actor);
        const { body, check } = await arrange(actor);
        await check(await post(path, body, bearer(token)));
      });

      it(`acts on ${path} for the token's user when ${field} names that same user`, async function () {
        const actor = await registerUser();
        const token = await mustLogin(actor);
        const { body, check } = await arrange(actor);
        await check(await post(path, { ...body, [field]: actor }, bearer(token)));
      });
    }
  });

  describe('a token for A never acts as B', function () {
    let a: string;
    let tokenA: string;
    before(async function () {
      a = await registerUser();
      tokenA = await mustLogin(a);
    });

    const refused = (res: ApiResponse, what: string): void =>
      expectError(res, 401, 'unauthorized', `${what} with A's token naming B`);

    it('send_message: 401, and nothing reaches the receiver', async function () {
      const [b, c] = await registerUsers(2);
      const mark = await inboxEnd(c!);
      const body = { sender_id: b, receiver_id: c, message: uniqueText() };
      refused(await post('/send_message', body, bearer(tokenA)), 'send_message');
      expect((await readNewMessages(c!, mark)).messages, 'nothing was sent').to.deep.equal([]);
    });

    it("check_messages: 401, and B's inbox is not shown", async function () {
      const [b, c] = await registerUsers(2);
      const secret = uniqueText('for B only');
      await mustSendMessage(c!, b!, secret);
      const res = await post('/check_messages', { user_id: b }, bearer(tokenA));
      refused(res, 'check_messages');
      expect(res.text, "B's messages do not leak").to.not.include(secret);
    });

    it('block_user: 401, and no block is made', async function () {
      const [b, c] = await registerUsers(2);
      refused(await post('/block_user', { user_id: b, blocked_user_id: c }, bearer(tokenA)), 'block_user');
      expectOk(await sendMessage(c!, b!, 'still welcome'), 'C can still write to B');
    });

    it('unblock_user: 401, and the block stays', async function () {
      const [b, c] = await registerUsers(2);
      expectOk(await blockUser(b!, c!), 'B blocks C');
      refused(await post('/unblock_user', { user_id: b, blocked_user_id: c }, bearer(tokenA)), 'unblock_user');
      expectError(await sendMessage(c!, b!, 'still blocked?'), 403, 'blocked', "B's block of C stays");
    });

    it('create_group: 401, and no group is created', async function () {
      const [b, c] = await registerUsers(2);
      refused(await post('/create_group', { user_id: b, members: [c] }, bearer(tokenA)), 'create_group');
      expect(expectOk(await listGroups(c!), 'list_groups').groups, 'C was put in no group').to.deep.equal([]);
      expect(expectOk(await listGroups(b!), 'list_groups').groups, 'B made no group').to.deep.equal([]);
    });

    it('add_remove_users: 401, and the group is unchanged', async function () {
      const [b, c] = await registerUsers(2);
      const groupId = await mustCreateGroup(b!, []);
      const body = { requester_id: b, group_id: groupId, user_id: c, action: 'add' };
      refused(await post('/add_remove_users', body, bearer(tokenA)), 'add_remove_users');
      expect(await membersOf(b!, groupId), 'nobody was added').to.deep.equal([{ user_id: b, role: 'admin' }]);
    });

    it('send_group_message: 401, and nothing reaches the members', async function () {
      const [b, c] = await registerUsers(2);
      const groupId = await mustCreateGroup(b!, [c!]);
      const mark = await inboxEnd(c!);
      const body = { sender_id: b, group_id: groupId, message: uniqueText() };
      refused(await post('/send_group_message', body, bearer(tokenA)), 'send_group_message');
      expect((await readNewMessages(c!, mark)).messages, 'nothing was sent').to.deep.equal([]);
    });

    it("get_group: 401, and B's group is not shown", async function () {
      const b = await registerUser();
      const groupId = await mustCreateGroup(b, [], 'Private name');
      const res = await post('/get_group', { user_id: b, group_id: groupId }, bearer(tokenA));
      refused(res, 'get_group');
      expect(res.text, "B's group does not leak").to.not.include('Private name');
    });

    it("list_groups: 401, and B's groups are not shown", async function () {
      const b = await registerUser();
      const groupId = await mustCreateGroup(b, []);
      const res = await post('/list_groups', { user_id: b }, bearer(tokenA));
      refused(res, 'list_groups');
      expect(res.text, "B's groups do not leak").to.not.include(groupId);
    });

    it('still answers 200 to A afterwards: the refusals were about the body, not the token', async function () {
      expectInboxBody(expectOk(await post('/check_messages', {}, bearer(tokenA)), "A's token"), "A's own inbox");
    });
  });

  describe('tampered and malformed tokens', function () {
    let a: string;
    let b: string;
    let token: string;
    before(async function () {
      [a, b] = (await registerUsers(2)) as [string, string];
      token = await mustLogin(a);
    });

    it('has a login token of three dot-separated parts to tamper with', function () {
      expect(token.split('.'), 'the token is a JWT: header.payload.signature').to.have.length(3);
    });

    const tampered: [string, () => string][] = [
      ['one character of the payload changed', () => withOneCharacterChanged(token, 1)],
      ['one character of the signature changed', () => withOneCharacterChanged(token, 2)],
      ['one character of the header changed', () => withOneCharacterChanged(token, 0)],
      ['the payload rewritten to name another user', () => withSubject(token, b)],
      ['the signature removed', () => token.split('.').slice(0, 2).join('.') + '.'],
      ['an unsigned alg "none" header', () => unsigned(token)],
      ['an extra character appended', () => `${token}A`],
    ];
    for (const [label, make] of tampered) {
      it(`answers 401 to a token with ${label}, and acts for nobody`, async function () {
        const forged = make();
        expect(forged, 'the tampered token differs from the original').to.not.equal(token);
        const mark = await inboxEnd(b);
        const text = uniqueText('forged');
        const sent = await post('/send_message', { receiver_id: b, message: text }, bearer(forged));
        expectError(sent, 401, 'unauthorized', `send_message with ${label}`);
        expectError(await post('/check_messages', {}, bearer(forged)), 401, 'unauthorized', `check_messages with ${label}`);
        expectError(
          await post('/check_messages', { user_id: b }, bearer(forged)),
          401,
          'unauthorized',
          `check_messages as B with ${label}`,
        );
        expect((await readNewMessages(b, mark)).messages, 'nothing was sent with the tampered token').to.deep.equal([]);
      });
    }

    it('still accepts the untampered token', async function () {
      expectInboxBody(expectOk(await post('/check_messages', {}, bearer(token)), 'the original token'), 'inbox');
    });

    for (const authorization of ['Basic abc', 'Bearer', 'bearer', 'Token abc', 'Bearer a b', 'Bearer ,']) {
      it(`answers 401 to the Authorization header ${JSON.stringify(authorization)}`, async function () {
        expectError(
          await post('/check_messages', {}, { authorization }),
          401,
          'unauthorized',
          `check_messages with Authorization ${JSON.stringify(authorization)}`,
        );
        expectError(
          await post('/check_messages', { user_id: a }, { authorization }),
          401,
          'unauthorized',
          `check_messages naming the user with Authorization ${JSON.stringify(authorization)}`,
        );
      });
    }

    it('answers 401 to a bare token without the Bearer scheme', async function () {
      expectError(await post('/check_messages', {}, { authorization: token }), 401, 'unauthorized', 'a bare token');
    });

    // In the seed profile create_group needs no credentials; an Authorization header that was sent is still
    // checked (SPEC 7), so a bad one is refused rather than ignored.
    it('refuses a malformed or tampered Authorization header on create_group, and creates nothing', async function () {
      const friend = await registerUser();
      for (const authorization of ['Basic abc', `Bearer ${withOneCharacterChanged(token, 2)}`]) {
        expectError(
          await post('/create_group', { members: [friend] }, { authorization }),
          401,
          'unauthorized',
          `create_group with Authorization ${authorization.slice(0, 20)}`,
        );
      }
      expect(expectOk(await listGroups(friend), 'list_groups').groups, 'no group was created').to.deep.equal([]);
    });
  });
});
