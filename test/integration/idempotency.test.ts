// client_message_id and its alias, the Idempotency-Key header (SPEC 4): a retry by the same sender returns
// the original response and stores nothing new, even when the retries race; reusing the id for another
// receiver, group or text is 409 conflict. The secure profile's original response carries the message_id;
// the seed profile's is `{"message"}` only, so there "the same response" is the same body.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import {
  PASSWORD,
  mustCheckMessages,
  mustCreateGroup,
  post,
  registerUser,
  registerUsers,
  uniqueText,
  type ApiResponse,
} from './client.js';
import { expectError, expectSent, expectValidationFailed } from './expectations.js';
import { SEED } from './profile.js';

/** A client_message_id no other test uses. */
function newClientId(): string {
  return `cmid-${randomBytes(8).toString('hex')}`;
}

function sendDirect(
  sender: string,
  receiver: string,
  text: string,
  id: { body?: string; header?: string },
): Promise<ApiResponse> {
  return post(
    '/send_message',
    {
      sender_id: sender,
      password: PASSWORD,
      receiver_id: receiver,
      message: text,
      ...(id.body === undefined ? {} : { client_message_id: id.body }),
    },
    id.header === undefined ? {} : { 'idempotency-key': id.header },
  );
}

function sendToGroup(
  sender: string,
  groupId: string,
  text: string,
  id: { body?: string; header?: string },
): Promise<ApiResponse> {
  return post(
    '/send_group_message',
    {
      sender_id: sender,
      password: PASSWORD,
      group_id: groupId,
      message: text,
      ...(id.body === undefined ? {} : { client_message_id: id.body }),
    },
    id.header === undefined ? {} : { 'idempotency-key': id.header },
  );
}

/** How many messages in `user`'s inbox (the newest 500) have this text. */
async function copiesOf(user: string, text: string): Promise<number> {
  return (await mustCheckMessages(user, { limit: 500 })).messages.filter((m) => m.message === text).length;
}

/** Every response is the first one: the same body, so in the secure profile the same message_id. */
function expectSameResponse(responses: ApiResponse[], target: string, text: string, behaviour: string): void {
  const [first, ...rest] = responses as [ApiResponse, ...ApiResponse[]];
  expectSent(first, target, text, `${behaviour}: the first send`);
  rest.forEach((res, i) => {
    expectSent(res, target, text, `${behaviour}: retry ${i + 1}`);
    if (!SEED) {
      expect(res.body.message_id, `${behaviour}: retry ${i + 1} answers the original message_id`).to.equal(
        first.body.message_id,
      );
    }
    expect(res.body, `${behaviour}: retry ${i + 1} answers the original response`).to.deep.equal(first.body);
  });
}

describe('Idempotent sends (SPEC 4)', function () {
  this.timeout(60000);

  describe('send_message', function () {
    let sender: string;
    before(async function () {
      sender = await registerUser();
    });

    it('answers a retry with the same client_message_id with the original response, and stores the message once', async function () {
      const receiver = await registerUser();
      const text = uniqueText('retried');
      const id = newClientId();
      const first = await sendDirect(sender, receiver, text, { body: id });
      const retry = await sendDirect(sender, receiver, text, { body: id });
      expectSameResponse([first, retry], receiver, text, 'a retried send_message');
      expect(await copiesOf(receiver, text), 'the receiver holds the message once').to.equal(1);
    });

    it('does the same with the Idempotency-Key header', async function () {
      const receiver = await registerUser();
      const text = uniqueText('retried by header');
      const id = newClientId();
      const first = await sendDirect(sender, receiver, text, { header: id });
      const retry = await sendDirect(sender, receiver, text, { header: id });
      expectSameResponse([first, retry], receiver, text, 'a send_message retried with Idempotency-Key');
      expect(await copiesOf(receiver, text), 'the receiver holds the message once').to.equal(1);
    });

    it('treats the header and the body field as one and the same id', async function () {
      const receiver = await registerUser();
      const text = uniqueText('body then header');
      const id = newClientId();
      const responses = [
        await sendDirect(sender, receiver, text, { body: id }),
        await sendDirect(sender, receiver, text, { header: id }),
        await sendDirect(sender, receiver, text, { body: id, header: id }),
      ];
      expectSameResponse(responses, receiver, text, 'the same id by body, header and both');
      expect(await copiesOf(receiver, text), 'the receiver holds the message once').to.equal(1);
    });

    it('answers 400 validation_failed when the header and the body field differ, and sends nothing', async function () {
      const receiver = await registerUser();
      const text = uniqueText('two ids');
      const res = await sendDirect(sender, receiver, text, { body: newClientId(), header: newClientId() });
      expectValidationFailed(res, [], 'Idempotency-Key and client_message_id differ');
      expect(await copiesOf(receiver, text), 'nothing was sent').to.equal(0);
    });

    it('answers 409 conflict to the same id with a different text or receiver, and stores nothing new', async function () {
      const [receiver, other] = (await registerUsers(2)) as [string, string];
      const text = uniqueText('original');
      const id = newClientId();
      expectSent(await sendDirect(sender, receiver, text, { body: id }), receiver, text, 'the original send');

      const otherText = uniqueText('different text');
      expectError(await sendDirect(sender, receiver, otherText, { body: id }), 409, 'conflict', 'same id, other text');
      expectError(await sendDirect(sender, other, text, { body: id }), 409, 'conflict', 'same id, other receiver');
      expectError(await sendDirect(sender, other, text, { header: id }), 409, 'conflict', 'same id by header');

      expect(await copiesOf(receiver, text), 'the original message is stored once').to.equal(1);
      expect(await copiesOf(receiver, otherText), 'the conflicting text was not stored').to.equal(0);
      expect(await copiesOf(other, text), 'the other receiver got nothing').to.equal(0);
    });

    it('answers 409 conflict when a direct message id is reused for a group message', async function () {
      const receiver = await registerUser();
      const groupId = await mustCreateGroup(sender, [receiver]);
      const text = uniqueText('direct first');
      const id = newClientId();
      expectSent(await sendDirect(sender, receiver, text, { body: id }), receiver, text, 'the direct send');
      expectError(await sendToGroup(sender, groupId, text, { body: id }), 409, 'conflict', 'the same id for the group');
      expect(await copiesOf(receiver, text), 'only the direct message arrived').to.equal(1);
    });

    it('accepts ids of 1 and 64 characters of letters, digits, - and _', async function () {
      const receiver = await registerUser();
      const sixtyFour = `${'a1_-'.repeat(15)}Zz9_`;
      for (const [label, id] of [
        ['1 character', 'x'],
        ['64 characters', sixtyFour],
        ['upper case', newClientId().toUpperCase()],
      ] as const) {
        const text = uniqueText(label);
        expectSent(await sendDirect(sender, receiver, text, { body: id }), receiver, text, `an id of ${label}`);
        expectSent(await sendDirect(sender, receiver, text, { header: id }), receiver, text, `its retry by header`);
        expect(await copiesOf(receiver, text), `an id of ${label} is honoured: one message`).to.equal(1);
      }
      expect(sixtyFour, 'the long id is exactly 64 characters').to.have.length(64);
    });

    for (const [label, id] of [
      ['65 characters', 'a'.repeat(65)],
      ['a space', 'has space'],
      ['a dot', 'v1.0'],
      ['a non-ASCII letter', 'café'],
      ['a slash', 'a/b'],
    ] as const) {
      it(`rejects an id with ${label} with 400 validation_failed, by body or by header, and sends nothing`, async function () {
        const receiver = await registerUser();
        const text = uniqueText('bad id');
        const byBody = await sendDirect(sender, receiver, text, { body: id });
        expectValidationFailed(byBody, ['client_message_id'], `client_message_id with ${label}`);
        // Header values must be ASCII on the wire; fetch refuses to send anything else.
        if (/^[\x20-\x7e]*$/.test(id)) {
          const byHeader = await sendDirect(sender, receiver, text, { header: id });
          expectValidationFailed(byHeader, [/^(client_message_id|Idempotency-Key)$/i], `Idempotency-Key with ${label}`);
        }
        expect(await copiesOf(receiver, text), 'nothing was sent').to.equal(0);
      });
    }

    it('answers 20 concurrent duplicates with the same response and stores one message', async function () {
      const receiver = await registerUser();
      const text = uniqueText('raced');
      const id = newClientId();
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => sendDirect(sender, receiver, text, i % 2 === 0 ? { body: id } : { header: id })),
      );
      expectSameResponse(responses, receiver, text, '20 racing duplicates');
      expect(await copiesOf(receiver, text), 'exactly one message was stored').to.equal(1);
    });

    it('keeps the same id from two different senders apart: two messages', async function () {
      const [a, b, receiver] = (await registerUsers(3)) as [string, string, string];
      const text = uniqueText('same id, two senders');
      const id = newClientId();
      const fromA = await sendDirect(a, receiver, text, { body: id });
      const fromB = await sendDirect(b, receiver, text, { body: id });
      expectSent(fromA, receiver, text, 'the first sender');
      expectSent(fromB, receiver, text, 'the second sender');
      if (!SEED) {
        expect(fromB.body.message_id, 'two senders get two message ids').to.not.equal(fromA.body.message_id);
      }
      const senders = (await mustCheckMessages(receiver, { limit: 500 })).messages
        .filter((m) => m.message === text)
        .map((m) => m.sender_id);
      expect(senders.sort(), 'the receiver holds one message from each sender').to.deep.equal([a, b].sort());
    });
  });

  describe('send_group_message', function () {
    let admin: string;
    let m1: string;
    let m2: string;
    before(async function () {
      [admin, m1, m2] = (await registerUsers(3)) as [string, string, string];
    });

    it('answers a retry with the original response; every other member gets the message once', async function () {
      const groupId = await mustCreateGroup(admin, [m1, m2]);
      const text = uniqueText('group retry');
      const id = newClientId();
      const responses = [
        await sendToGroup(m1, groupId, text, { body: id }),
        await sendToGroup(m1, groupId, text, { body: id }),
        await sendToGroup(m1, groupId, text, { header: id }),
      ];
      expectSameResponse(responses, groupId, text, 'a retried send_group_message');
      expect(await copiesOf(admin, text), 'the admin gets it once').to.equal(1);
      expect(await copiesOf(m2, text), 'the other member gets it once').to.equal(1);
      expect(await copiesOf(m1, text), 'the sender does not get their own message').to.equal(0);
    });

    it('answers 409 conflict to the same id with a different group or text, and stores nothing new', async function () {
      const groupId = await mustCreateGroup(admin, [m1, m2]);
      const otherGroup = await mustCreateGroup(admin, [m1, m2]);
      const text = uniqueText('group original');
      const id = newClientId();
      expectSent(await sendToGroup(m1, groupId, text, { body: id }), groupId, text, 'the original group send');

      const otherText = uniqueText('group other text');
      expectError(await sendToGroup(m1, groupId, otherText, { body: id }), 409, 'conflict', 'same id, other text');
      expectError(await sendToGroup(m1, otherGroup, text, { header: id }), 409, 'conflict', 'same id, other group');
      expectError(await sendDirect(m1, m2, text, { body: id }), 409, 'conflict', 'same id, now a direct message');

      expect(await copiesOf(m2, text), 'the original reached the other member once, and nothing else did').to.equal(1);
      expect(await copiesOf(m2, otherText), 'the conflicting text was not stored').to.equal(0);
      expect(await copiesOf(admin, text), 'the admin has the original once').to.equal(1);
    });

    it('answers 20 concurrent duplicates with the same response; every other member gets one message', async function () {
      const groupId = await mustCreateGroup(admin, [m1, m2]);
      const text = uniqueText('group raced');
      const id = newClientId();
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => sendToGroup(m2, groupId, text, i % 2 === 0 ? { body: id } : { header: id })),
      );
      expectSameResponse(responses, groupId, text, '20 racing group duplicates');
      expect(await copiesOf(admin, text), 'the admin gets exactly one').to.equal(1);
      expect(await copiesOf(m1, text), 'the other member gets exactly one').to.equal(1);
    });

    it('keeps the same id from two different senders apart: two group messages', async function () {
      const groupId = await mustCreateGroup(admin, [m1, m2]);
      const text = uniqueText('group same id, two senders');
      const id = newClientId();
      const fromM1 = await sendToGroup(m1, groupId, text, { body: id });
      const fromM2 = await sendToGroup(m2, groupId, text, { body: id });
      expectSent(fromM1, groupId, text, 'the first sender');
      expectSent(fromM2, groupId, text, 'the second sender');
      if (!SEED) {
        expect(fromM2.body.message_id, 'two senders get two message ids').to.not.equal(fromM1.body.message_id);
      }
      const senders = (await mustCheckMessages(admin, { limit: 500 })).messages
        .filter((m) => m.message === text)
        .map((m) => m.sender_id);
      expect(senders.sort(), 'the admin holds one message from each sender').to.deep.equal([m1, m2].sort());
    });
  });
});
