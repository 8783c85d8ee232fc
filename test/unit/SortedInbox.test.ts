import { expect } from 'chai';
import { SortedInbox } from '../../src/adapters/memory/SortedInbox.js';
import { INBOX_START } from '../../src/core/InboxCursor.js';
import type { Message } from '../../src/core/Message.js';

const message = (id: string, sentAt: number): Message => ({ id, sentAt, senderId: 'user-a', text: id });

describe('SortedInbox', () => {
  it('keeps messages ordered by time then id, whatever the order they arrive in', () => {
    const inbox = new SortedInbox();
    for (const m of [message('msg-c', 3), message('msg-a', 1), message('msg-b2', 2), message('msg-b1', 2)]) inbox.insert(m);

    expect(inbox.after(INBOX_START, 10).map((m) => m.id)).to.deep.equal(['msg-a', 'msg-b1', 'msg-b2', 'msg-c']);
  });

  it('stores a message once however often it is inserted', () => {
    const inbox = new SortedInbox();
    inbox.insert(message('msg-b', 2));
    inbox.insert(message('msg-a', 1));

    expect(inbox.insert(message('msg-a', 1))).to.equal(false);
    expect(inbox.insert(message('msg-b', 2))).to.equal(false);
    expect(inbox.size).to.equal(2);
  });

  it('reads strictly after a position, and the newest from the end', () => {
    const inbox = new SortedInbox();
    for (let i = 1; i <= 5; i++) inbox.insert(message(`msg-${i}`, i));

    expect(inbox.after({ sentAt: 2, id: 'msg-2' }, 2).map((m) => m.id)).to.deep.equal(['msg-3', 'msg-4']);
    expect(inbox.latest(2).map((m) => m.id)).to.deep.equal(['msg-4', 'msg-5']);
    expect(inbox.latest(10)).to.have.length(5);
  });

  it('finds the start of a read wherever it lies, from before the oldest message to after the newest', () => {
    const inbox = new SortedInbox();
    // Several messages share a millisecond, so positions differ by id alone too.
    const all = Array.from({ length: 300 }, (_, i) => message(`msg-${String(i).padStart(3, '0')}`, Math.floor(i / 3)));
    for (const m of all) inbox.insert(m);
    const positions = [
      INBOX_START,
      ...all.map((m) => ({ sentAt: m.sentAt, id: m.id })),
      ...all.map((m) => ({ sentAt: m.sentAt, id: `${m.id}~` })),
      { sentAt: 1_000, id: '' },
    ];

    for (const position of positions) {
      const expected = all.filter((m) => m.sentAt > position.sentAt || (m.sentAt === position.sentAt && m.id > position.id));
      expect(inbox.after(position, 1_000), `after ${position.sentAt}/${position.id}`).to.deep.equal(expected);
    }
  });
});
