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
});
