// send_message and check_messages (SPEC 3 and 4): delivery, message rules, the inbox order and the cursor chain.
import { expect } from 'chai';
import {
  PASSWORD,
  cursorAtEnd,
  inboxEnd,
  keysOf,
  mustCheckCursorPage,
  mustCheckMessages,
  mustSendMessage,
  post,
  readNewMessages,
  registerUser,
  registerUsers,
  sendMessage,
  uniqueText,
  unknownUserId,
  type InboxMessage,
} from './client.js';
import {
  expectCredentialsChecked,
  expectError,
  expectInboxItem,
  expectNewestPage,
  expectSent,
  expectValidationFailed,
} from './expectations.js';
import { describeInProfile } from './profile.js';

function expectNonDecreasingTimestamps(messages: InboxMessage[], behaviour: string): void {
  for (let i = 1; i < messages.length; i++) {
    expect(
      messages[i - 1]!.timestamp <= messages[i]!.timestamp,
      `${behaviour}: timestamps never go backwards (${messages[i - 1]!.timestamp} then ${messages[i]!.timestamp})`,
    ).to.equal(true);
  }
}

/** Sends `count` direct messages one after the other; returns their keys in send order (the texts are distinct). */
async function sendInOrder(senders: string[], receiver: string, count: number): Promise<string[]> {
  const sent: string[] = [];
  for (let i = 0; i < count; i++) {
    sent.push(await mustSendMessage(senders[i % senders.length]!, receiver, `message ${i + 1}`));
  }
  return sent;
}

describe('Direct messages', function () {
  this.timeout(60000);

  let alice: string;
  let bob: string;
  before(async function () {
    [alice, bob] = (await registerUsers(2)) as [string, string];
  });

  describe('send_message', function () {
    it('answers "Message sent to <receiver_id>." (secure: with a msg- id; seed: {"message"} only)', async function () {
      expectSent(await sendMessage(alice, bob, 'hi Bob'), bob, 'hi Bob', 'send_message');
    });

    it("delivers the message to the receiver with the profile's item fields", async function () {
      const mark = await inboxEnd(bob);
      const text = uniqueText();
      const key = await mustSendMessage(alice, bob, text);
      const { messages } = await readNewMessages(bob, mark);
      expect(keysOf(messages), 'the receiver gets the message exactly once').to.deep.equal([key]);
      const item = messages[0]!;
      expectInboxItem(item, 'direct', 'a delivered direct message');
      expect(item.sender_id, 'sender_id is the sender').to.equal(alice);
      expect(item.message, 'the text arrives unchanged').to.equal(text);
    });

    it("does not put a message in its sender's inbox", async function () {
      const mark = await inboxEnd(alice);
      const key = await mustSendMessage(alice, bob, uniqueText());
      const { messages } = await readNewMessages(alice, mark);
      expect(keysOf(messages), "the sender's own send is not in the sender's inbox").to.not.include(key);
    });

    it('allows sending to yourself and delivers it to your own inbox', async function () {
      const mark = await inboxEnd(alice);
      const text = uniqueText('note to self');
      const key = expectSent(await sendMessage(alice, alice, text), alice, text, 'send_message to yourself');
      const { messages } = await readNewMessages(alice, mark);
      expect(keysOf(messages), 'a message to yourself arrives in your own inbox once').to.deep.equal([key]);
      expect(messages[0]!.sender_id, 'you are its sender').to.equal(alice);
      expect(messages[0]!.message, 'the text arrives unchanged').to.equal(text);
    });

    it('keeps the text byte for byte: unicode, new lines, quotes, surrounding spaces', async function () {
      const mark = await inboxEnd(bob);
      const text = `  Grüße 👋🏽 \n"quoted" <b>not html</b>\t${uniqueText()}  `;
      const key = await mustSendMessage(alice, bob, text);
      const { messages } = await readNewMessages(bob, mark);
      expect(keysOf(messages), 'delivered once').to.deep.equal([key]);
      expect(messages[0]!.message, 'the text is stored and returned unchanged').to.equal(text);
    });

    describe('message length (1 to 4096 characters, not only white space)', function () {
      for (const [label, text] of [
        ['1 character', 'x'],
        ['4096 characters', 'y'.repeat(4096)],
        ['4096 emoji (characters, not UTF-16 units)', '😀'.repeat(4096)],
      ] as const) {
        it(`accepts and delivers ${label}`, async function () {
          const receiver = await registerUser();
          const mark = await inboxEnd(receiver);
          const key = expectSent(await sendMessage(alice, receiver, text), receiver, text, label);
          const { messages } = await readNewMessages(receiver, mark);
          expect(keysOf(messages), `${label}: delivered once`).to.deep.equal([key]);
          expect(messages[0]!.message, `${label}: delivered whole`).to.equal(text);
        });
      }

      for (const [label, text] of [
        ['4097 characters', 'z'.repeat(4097)],
        ['4097 emoji', '😀'.repeat(4097)],
        ['an empty string', ''],
        ['only spaces', '   '],
        ['only white space of several kinds', ' \t\n\r '],
      ] as const) {
        it(`rejects ${label} with 400 validation_failed naming message`, async function () {
          expectValidationFailed(await sendMessage(alice, bob, text), ['message'], `message of ${label}`);
        });
      }
    });

    describe('bad input', function () {
      for (const [label, value] of [
        ['a number', 42],
        ['null', null],
        ['an array', ['hi']],
        ['an object', { text: 'hi' }],
        ['a boolean', true],
      ] as const) {
        it(`rejects a message that is ${label} with 400 validation_failed`, async function () {
          const res = await post('/send_message', { sender_id: alice, password: PASSWORD, receiver_id: bob, message: value });
          expectValidationFailed(res, ['message'], `message ${label}`);
        });

        it(`rejects a receiver_id that is ${label} with 400 validation_failed`, async function () {
          const res = await post('/send_message', { sender_id: alice, password: PASSWORD, receiver_id: value, message: 'hi' });
          expectValidationFailed(res, ['receiver_id'], `receiver_id ${label}`);
        });
      }

      it('names every missing field: receiver_id and message', async function () {
        const res = await post('/send_message', { sender_id: alice, password: PASSWORD });
        expectValidationFailed(res, ['receiver_id', 'message'], 'missing receiver_id and message');
      });

      for (const receiver of ['nobody', 'user-doesnotexist', unknownUserId()]) {
        it(`answers 404 user_not_found for the unknown receiver "${receiver}"`, async function () {
          expectError(await sendMessage(alice, receiver, 'hi'), 404, 'user_not_found', `receiver ${receiver}`);
        });
      }

      it('checks credentials: unknown sender and wrong password are the same 401, no password is 401', async function () {
        await expectCredentialsChecked('/send_message', 'sender_id', alice, { receiver_id: bob, message: 'hi' });
      });
    });
  });

  describe('check_messages', function () {
    describe('an inbox with five messages', function () {
      let receiver: string;
      let sent: string[];
      before(async function () {
        receiver = await registerUser();
        sent = await sendInOrder([alice, bob], receiver, 5);
      });

      it('returns them all oldest first without a cursor (secure: with has_more false)', async function () {
        const page = expectNewestPage(await mustCheckMessages(receiver), 'inbox without cursor');
        expect(keysOf(page.messages), 'oldest first, in the order they were sent').to.deep.equal(sent);
        expectNonDecreasingTimestamps(page.messages, 'inbox page');
        page.messages.forEach((m, i) => {
          expectInboxItem(m, 'direct', `message ${i + 1}`);
          expect(m.sender_id, `message ${i + 1} has its sender`).to.equal(i % 2 === 0 ? alice : bob);
          expect(m.message, `message ${i + 1} has its text`).to.equal(`message ${i + 1}`);
        });
      });

      it('returns the newest `limit` messages, oldest first (secure: with has_more false)', async function () {
        const two = expectNewestPage(await mustCheckMessages(receiver, { limit: 2 }), 'limit 2 without cursor');
        expect(keysOf(two.messages), 'limit 2 without cursor gives the newest two, oldest first').to.deep.equal(
          sent.slice(3),
        );
        const one = await mustCheckMessages(receiver, { limit: 1 });
        expect(keysOf(one.messages), 'limit 1 gives the newest message').to.deep.equal(sent.slice(4));
      });

      it('accepts limit 500', async function () {
        const page = await mustCheckMessages(receiver, { limit: 500 });
        expect(keysOf(page.messages), 'limit 500 is within range').to.deep.equal(sent);
      });
    });

    it('defaults limit to 100 and returns the newest 100 of 101', async function () {
      const receiver = await registerUser();
      const pending = Array.from({ length: 101 }, (_, i) => i);
      const workers = Array.from({ length: 10 }, async () => {
        for (let i = pending.shift(); i !== undefined; i = pending.shift()) {
          await mustSendMessage(i % 2 === 0 ? alice : bob, receiver, `bulk ${i}`);
        }
      });
      await Promise.all(workers);

      const all = await mustCheckMessages(receiver, { limit: 500 });
      expect(all.messages, 'limit 500 returns all 101').to.have.length(101);
      const byDefault = expectNewestPage(await mustCheckMessages(receiver), 'the default page');
      expect(byDefault.messages, 'the default limit is 100').to.have.length(100);
      expect(keysOf(byDefault.messages), 'the default page is the newest 100, oldest first').to.deep.equal(
        keysOf(all.messages).slice(1),
      );
      expectNonDecreasingTimestamps(all.messages, 'a page of 101');
    });

    describe('bad input', function () {
      for (const limit of [0, 501, -1, 1.5, '10', true]) {
        it(`rejects limit ${JSON.stringify(limit)} with 400 validation_failed naming limit`, async function () {
          const res = await post('/check_messages', { user_id: bob, password: PASSWORD, limit });
          expectValidationFailed(res, ['limit'], `limit ${JSON.stringify(limit)}`);
        });
      }

      for (const cursor of ['not-a-cursor', '!!!', 'eyJmb28iOiJiYXIifQ', 'x'.repeat(300), 12345, ['a'], { at: 1 }]) {
        it(`rejects the unreadable cursor ${JSON.stringify(cursor).slice(0, 30)} with 400 validation_failed`, async function () {
          const res = await post('/check_messages', { user_id: bob, password: PASSWORD, cursor });
          expectValidationFailed(res, ['cursor'], `cursor ${JSON.stringify(cursor).slice(0, 30)}`);
        });
      }

      it('checks credentials: unknown user and wrong password are the same 401, no password is 401', async function () {
        await expectCredentialsChecked('/check_messages', 'user_id', bob, {});
      });
    });
  });

  describeInProfile('secure', 'check_messages cursor chain', function () {
    it('follows the cursor chain: only new messages, oldest first, at most limit, has_more while more wait', async function () {
      const receiver = await registerUser();
      const first = await sendInOrder([alice], receiver, 3);
      const p0 = await mustCheckCursorPage(receiver);
      expect(keysOf(p0.messages), 'the first page holds the first three').to.deep.equal(first);

      const later = await sendInOrder([bob], receiver, 3);
      const p1 = await mustCheckCursorPage(receiver, { cursor: p0.next_cursor, limit: 2 });
      expect(keysOf(p1.messages), 'the cursor skips what was returned; limit caps the page').to.deep.equal(
        later.slice(0, 2),
      );
      expect(p1.has_more, 'has_more is true while a newer message is waiting').to.equal(true);
      expect(p1.next_cursor, 'next_cursor is a string').to.be.a('string');

      const p2 = await mustCheckCursorPage(receiver, { cursor: p1.next_cursor, limit: 2 });
      expect(keysOf(p2.messages), 'the next page continues where the last stopped').to.deep.equal(later.slice(2));
      expect(p2.has_more, 'has_more is false once everything waiting was returned').to.equal(false);

      const p3 = await mustCheckCursorPage(receiver, { cursor: p2.next_cursor });
      expect(p3.messages, 'nothing new means an empty page').to.deep.equal([]);
      expect(p3.has_more, 'an empty page has has_more false').to.equal(false);
      expect(p3.next_cursor, 'next_cursor is a string even on an empty page').to.be.a('string').that.is.not.empty;

      const last = await mustSendMessage(alice, receiver, 'after an empty poll');
      const p4 = await mustCheckCursorPage(receiver, { cursor: p3.next_cursor });
      expect(keysOf(p4.messages), 'the cursor of an empty page still leads to the next message').to.deep.equal([last]);
      for (const page of [p1, p2, p4]) expectNonDecreasingTimestamps(page.messages, 'cursor page');
    });

    it('rejects a wrong password even with an otherwise valid cursor', async function () {
      const cursor = await cursorAtEnd(bob);
      const res = await post('/check_messages', { user_id: bob, password: 'wrong password', cursor });
      expectError(res, 401, 'unauthorized', 'wrong password with a cursor');
    });
  });
});
