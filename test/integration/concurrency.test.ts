// Races a real deployment sees: many writers into one inbox while its owner polls, and many membership
// changes to one group at once. Nothing here depends on timing to pass; the loops only bound waiting.
import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import {
  addRemoveUsers,
  getGroup,
  inboxEnd,
  keysOf,
  messageKey,
  mustCheckCursorPage,
  mustCheckMessages,
  mustCreateGroup,
  mustSendGroupMessage,
  mustSendMessage,
  readNewMessages,
  registerUser,
  registerUsers,
  type InboxMessage,
  type CursorPage,
  type InboxPage,
} from './client.js';
import { expectError, expectOk } from './expectations.js';
import { describeInProfile } from './profile.js';

const SENDERS = 8;
const MESSAGES_PER_SENDER = 15;
/** How long a written message may take to show up on a deployment (SPEC allows 5 s), with margin. */
const VISIBILITY_GRACE_MS = 15_000;

function duplicatesOf(ids: string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
}

function expectPagesInTimestampOrder(pages: InboxPage[]): void {
  pages.forEach((page, p) => {
    for (let i = 1; i < page.messages.length; i++) {
      expect(
        page.messages[i - 1]!.timestamp <= page.messages[i]!.timestamp,
        `page ${p}: timestamps never go backwards within a page`,
      ).to.equal(true);
    }
  });
}

describe('Concurrency', function () {
  this.timeout(180000);

  let receiver: string;
  let senders: string[];
  before(async function () {
    [receiver, ...senders] = (await registerUsers(SENDERS + 1)) as [string, ...string[]];
  });

  it('gives users registered at the same time distinct ids', function () {
    expect(new Set([receiver, ...senders]).size, 'concurrent registrations never share an id').to.equal(SENDERS + 1);
  });

  describeInProfile('secure', 'the cursor chain under concurrent writers', function () {
    it('delivers every message exactly once to a poller following next_cursor while 8 senders write', async function () {
      // Its own receiver: the tests outside this block run first and write to theirs.
      const inboxOwner = await registerUser();
      const first = await mustCheckCursorPage(inboxOwner);
      expect(first.messages, 'a new receiver starts with an empty inbox').to.deep.equal([]);
      let cursor = first.next_cursor;

      const sent = new Map<string, { sender: string; text: string }>();
      const sending = Promise.all(
        senders.map(async (sender, s) => {
          for (let i = 0; i < MESSAGES_PER_SENDER; i++) {
            const text = `sender ${s} message ${i}`;
            sent.set(await mustSendMessage(sender, inboxOwner, text), { sender, text });
          }
        }),
      );
      let sendersDone = false;
      void sending.then(
        () => (sendersDone = true),
        () => (sendersDone = true),
      );

      const pages: CursorPage[] = [];
      const received: InboxMessage[] = [];
      const poll = async (): Promise<CursorPage> => {
        // A small limit makes the poller page through has_more while the senders are still writing.
        const page = await mustCheckCursorPage(inboxOwner, { cursor, limit: 7 });
        pages.push(page);
        received.push(...page.messages);
        cursor = page.next_cursor;
        return page;
      };

      while (!sendersDone) {
        const page = await poll();
        if (!page.has_more) await delay(25);
      }
      await sending;
      expect(sent.size, 'every send answered with its own message id').to.equal(SENDERS * MESSAGES_PER_SENDER);

      // Keep following the chain until it is drained and everything sent has arrived (or the grace ends).
      const deadline = Date.now() + VISIBILITY_GRACE_MS;
      for (;;) {
        const page = await poll();
        if (page.has_more) continue;
        if (received.length >= sent.size || Date.now() > deadline) break;
        await delay(250);
      }
      const last = await poll();
      expect(last.messages, 'a final poll after the drain returns nothing new').to.deep.equal([]);
      expect(last.has_more, 'and has nothing more').to.equal(false);

      const receivedIds = keysOf(received);
      expect(duplicatesOf(receivedIds), 'no message is received twice along the cursor chain').to.deep.equal([]);
      expect(
        [...sent.keys()].filter((id) => !receivedIds.includes(id)),
        'no sent message is missing from the cursor chain',
      ).to.deep.equal([]);
      expect(
        receivedIds.filter((id) => !sent.has(id)),
        'nothing that was not sent arrives',
      ).to.deep.equal([]);
      for (const message of received) {
        const original = sent.get(messageKey(message));
        expect(message.sender_id, `message ${messageKey(message)} keeps its sender`).to.equal(original?.sender);
        expect(message.message, `message ${messageKey(message)} keeps its text`).to.equal(original?.text);
      }
      expectPagesInTimestampOrder(pages);
    });
  });

  it('stores every message exactly once in the inbox when 8 senders write at once', async function () {
    const [target, ...writers] = (await registerUsers(SENDERS + 1)) as [string, ...string[]];
    const sent = new Map<string, string>();
    await Promise.all(
      writers.map(async (sender, s) => {
        for (let i = 0; i < MESSAGES_PER_SENDER; i++) {
          const text = `sender ${s} message ${i}`;
          sent.set(await mustSendMessage(sender, target, text), sender);
        }
      }),
    );
    expect(sent.size, 'every send succeeded').to.equal(SENDERS * MESSAGES_PER_SENDER);

    // Up to the 5 s SPEC allows for a write to become visible, with margin; no wall-clock assertion.
    const deadline = Date.now() + VISIBILITY_GRACE_MS;
    let page = await mustCheckMessages(target, { limit: 500 });
    while (page.messages.length < sent.size && Date.now() < deadline) {
      await delay(250);
      page = await mustCheckMessages(target, { limit: 500 });
    }
    const receivedKeys = keysOf(page.messages);
    expect(duplicatesOf(receivedKeys), 'no message is stored twice').to.deep.equal([]);
    expect(
      [...sent.keys()].filter((key) => !receivedKeys.includes(key)),
      'no sent message is missing from the inbox',
    ).to.deep.equal([]);
    expect(receivedKeys.filter((key) => !sent.has(key)), 'nothing that was not sent arrives').to.deep.equal([]);
    for (const message of page.messages) {
      expect(message.sender_id, `message ${messageKey(message)} keeps its sender`).to.equal(sent.get(messageKey(message)));
    }
    expectPagesInTimestampOrder([page]);
  });

  it('keeps every member when an admin adds eight users at once', async function () {
    const groupId = await mustCreateGroup(receiver, []);
    const results = await Promise.all(senders.map((s) => addRemoveUsers(receiver, groupId, s, 'add')));
    results.forEach((res, i) => expectOk(res, `concurrent add ${i}`));

    const body = expectOk(await getGroup(receiver, groupId), 'get_group');
    const members = body.members as { user_id: string; role: string }[];
    expect(members.map((m) => m.user_id).sort(), 'no concurrent add is lost or doubled').to.deep.equal(
      [receiver, ...senders].sort(),
    );
    expect(members[0], 'the creator is still first and admin').to.deep.include({ user_id: receiver, role: 'admin' });
  });

  it('delivers every group message exactly once when all members post at once', async function () {
    const groupId = await mustCreateGroup(receiver, senders);
    const mark = await inboxEnd(receiver);
    const sentKeys = (
      await Promise.all(
        senders.map(async (sender, s) => {
          const keys: string[] = [];
          for (let i = 0; i < 5; i++) keys.push(await mustSendGroupMessage(sender, groupId, `group ${s}/${i}`));
          return keys;
        }),
      )
    ).flat();

    const { messages, pages } = await readNewMessages(receiver, mark, 9);
    const receivedKeys = keysOf(messages.filter((m) => m.group_id === groupId));
    expect(duplicatesOf(receivedKeys), 'no group message is received twice').to.deep.equal([]);
    expect([...receivedKeys].sort(), 'every group message reaches the admin').to.deep.equal([...sentKeys].sort());
    expectPagesInTimestampOrder(pages);
  });

  it('deletes the group when every member leaves at once', async function () {
    const groupId = await mustCreateGroup(receiver, senders);
    const everyone = [receiver, ...senders];
    const results = await Promise.all(everyone.map((u) => addRemoveUsers(u, groupId, u, 'remove')));
    results.forEach((res, i) => {
      expect(expectOk(res, `concurrent leave ${i}`).message, 'each leaver is removed').to.equal(
        `${everyone[i]} has been removed from the group.`,
      );
    });
    expectError(await getGroup(receiver, groupId), 404, 'group_not_found', 'a group nobody is left in is deleted');
  });
});
