// Hostile and careless traffic (SPEC 1, 2 and 4): odd field names, broken Unicode, oversized ids,
// bursts into one inbox, concurrent right passwords, heavy pages. Over HTTP only, in both profiles.
import { expect } from 'chai';
import {
  PASSWORD,
  bearer,
  checkMessages,
  cursorAtEnd,
  mustLogin,
  post,
  postRaw,
  registerUser,
  registerUsers,
  type CursorPage,
} from './client.js';
import { expectError, expectOk, expectStandardHeaders, expectValidationFailed } from './expectations.js';
import { SEED, describeInProfile } from './profile.js';

const ODD_FIELDS = ['constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'target'];
const KIB_16 = 16 * 1024;
const MIB = 1024 * 1024;

describe('Hostile traffic (SPEC 1, 2, 4)', function () {
  this.timeout(120_000);

  describe('unknown fields with the names of built-ins', function () {
    let alice: string;
    let bob: string;
    before(async function () {
      [alice, bob] = (await registerUsers(2)) as [string, string];
    });

    for (const name of ODD_FIELDS) {
      for (const value of [null, 'x', 1, { polluted: true }]) {
        it(`change nothing when "${name}" is ${JSON.stringify(value)}, with or without credentials`, async function () {
          // Written by hand: an object literal cannot carry an own "__proto__" key.
          const odd = `"${name}": ${JSON.stringify(value)}`;
          const anonymous = await postRaw('/block_user', `{${odd}, "blocked_user_id": "${bob}"}`, 'application/json');
          expectError(anonymous, 401, 'unauthorized', `block_user without credentials, with "${name}"`);
          const blocked = await postRaw(
            '/block_user',
            `{${odd}, "user_id": "${alice}", "password": "${PASSWORD}", "blocked_user_id": "${bob}"}`,
            'application/json',
          );
          expect(expectOk(blocked, `block_user with "${name}"`).message).to.equal(`You have blocked ${bob}.`);
          const registered = await postRaw('/register_user', `{${odd}, "password": "${PASSWORD}"}`, 'application/json');
          expect(expectOk(registered, `register_user with "${name}"`).user_id).to.match(/^user-[a-zA-Z0-9]+$/);
        });
      }
    }
  });

  describe('strings that are not well-formed Unicode', function () {
    it('refuse a lone surrogate in a password: two different ones never register the same password', async function () {
      for (const escape of ['\\ud800', '\\udfff']) {
        const res = await postRaw('/register_user', `{"password": "abcdefgh${escape}"}`, 'application/json');
        expectValidationFailed(res, ['password'], `a password ending in ${escape}`);
        expectStandardHeaders(res, `a password ending in ${escape}`);
      }
    });

    it('refuse a lone surrogate in a message, and deliver nothing', async function () {
      const [alice, bob] = (await registerUsers(2)) as [string, string];
      const mark = SEED ? undefined : await cursorAtEnd(bob);
      const res = await postRaw(
        '/send_message',
        JSON.stringify({ sender_id: alice, password: PASSWORD, receiver_id: bob, message: 'hi' }).replace('"hi"', '"hi \\udc00"'),
        'application/json',
      );
      expectValidationFailed(res, ['message'], 'a lone low surrogate in the message');
      const inbox = expectOk(await checkMessages(bob, mark === undefined ? {} : { cursor: mark }), 'the inbox after');
      expect(inbox.messages, 'nothing was delivered').to.be.empty;
    });
  });

  describe('ids over 64 characters', function () {
    const long = `user-${'x'.repeat(3000)}`;

    it('are refused in every id field with 400 naming the field, quoting at most 64 characters', async function () {
      const alice = await registerUser();
      const me = { password: PASSWORD };
      const cases: [string, Record<string, unknown>, string][] = [
        ['/login', { user_id: long, password: PASSWORD }, 'user_id'],
        ['/send_message', { sender_id: alice, ...me, receiver_id: long, message: 'x' }, 'receiver_id'],
        ['/check_messages', { user_id: long, ...me }, 'user_id'],
        ['/block_user', { user_id: alice, ...me, blocked_user_id: long }, 'blocked_user_id'],
        ['/block_user', { user_id: alice, ...me, block_user_id: long }, 'block_user_id'],
        ['/create_group', { user_id: alice, ...me, members: [long] }, 'members'],
        ['/create_group', { user_id: alice, ...me, members: `${alice}, ${long}` }, 'members'],
        ['/add_remove_users', { requester_id: alice, ...me, group_id: 'group-x', user_id: long, action: 'add' }, 'user_id'],
        ['/send_group_message', { sender_id: alice, ...me, group_id: long, message: 'x' }, 'group_id'],
        ['/get_group', { user_id: alice, ...me, group_id: long }, 'group_id'],
      ];
      for (const [path, body, field] of cases) {
        const res = await post(path, body);
        expectValidationFailed(res, [field], `${path} with a ${long.length}-character ${field}`);
        expect(res.text, `${path}: the error quotes at most 64 characters of the value`).not.to.contain('x'.repeat(65));
      }
    });

    it('leave block_user_id: null a validation failure, not a block of a user named "null"', async function () {
      const alice = await registerUser();

      const res = await post('/block_user', { user_id: alice, password: PASSWORD, block_user_id: null });

      expectValidationFailed(res, ['block_user_id'], 'block_user_id null');
    });
  });

  it('lets 14 concurrent right passwords of a fresh user in, none locked out', async function () {
    const alice = await registerUser();

    const answers = await Promise.all(Array.from({ length: 14 }, () => checkMessages(alice)));

    expect(answers.map((r) => r.status), answers.map((r) => r.text).join('\n')).to.deep.equal(Array(14).fill(200));
  });

  it('keeps a page of heavy messages under 1 MiB', async function () {
    const [alice, bob] = (await registerUsers(2)) as [string, string];
    const token = await mustLogin(alice);
    const heavy = '\u0000'.repeat(4096); // 6 bytes each once escaped in JSON
    for (let start = 0; start < 300; start += 50) {
      const sends = Array.from({ length: 50 }, () =>
        post('/send_message', { receiver_id: bob, message: heavy }, bearer(token)),
      );
      for (const res of await Promise.all(sends)) expectOk(res, 'a heavy send');
    }

    const res = await checkMessages(bob, { limit: 500 });

    const page = expectOk(res, 'the newest page of 300 heavy messages');
    expect(Buffer.byteLength(res.text), 'the body stays under 1 MiB').to.be.below(MIB);
    expect(page.messages.length, 'so it ends early').to.be.greaterThan(0).and.below(300);
  });

  describeInProfile('secure', 'a burst into one inbox', function () {
    it('keeps every cursor under 16 KiB through 2,000 messages sent within the late-write window, then delivers each once', async function () {
      const [sender, receiver] = (await registerUsers(2)) as [string, string];
      const [senderToken, receiverToken] = await Promise.all([mustLogin(sender), mustLogin(receiver)]);
      let cursor = await cursorAtEnd(receiver);
      const received: string[] = [];
      const cursorSizes: number[] = [];
      const poll = async (): Promise<CursorPage> => {
        const res = await post('/check_messages', { cursor, limit: 500 }, bearer(receiverToken));
        const page = expectOk(res, 'a poll during the burst') as CursorPage;
        received.push(...page.messages.map((m) => m.message_id!));
        cursorSizes.push(page.next_cursor.length);
        cursor = page.next_cursor;
        return page;
      };

      const sent: string[] = [];
      const started = Date.now();
      for (let batch = 0; batch < 40; batch++) {
        const sends = Array.from({ length: 50 }, (_, i) =>
          post('/send_message', { receiver_id: receiver, message: `burst ${batch * 50 + i}` }, bearer(senderToken)),
        );
        for (const res of await Promise.all(sends)) sent.push(expectOk(res, 'a burst send').message_id);
        if (batch % 5 === 4) await poll();
      }
      const sendingTook = Date.now() - started;
      // Once the settle window has passed for the last message, the chain drains completely: the
      // late-write window, plus the replication lag bound with several regions (SETTLE_WINDOW_MS).
      await new Promise((resolve) => setTimeout(resolve, Number(process.env.SETTLE_WINDOW_MS || 5_000) + 500));
      for (let calls = 0; calls < 100 && (await poll()).has_more; calls++);

      expect(Math.max(...cursorSizes), 'every next_cursor stays under 16 KiB').to.be.below(KIB_16);
      expect(received.length, 'nothing twice').to.equal(new Set(received).size);
      expect(new Set(received), `nothing lost (sending took ${sendingTook} ms)`).to.deep.equal(new Set(sent));
    });
  });
});
