import { expect } from 'chai';
import { UnreadBytes } from '../../src/adapters/http/UnreadBytes.js';

describe('UnreadBytes: pushed bytes a client has not proven it read', () => {
  it('counts what is sent until a pong echoes a ping sent after it', () => {
    const unread = new UnreadBytes(1000, 100);

    expect(unread.sending(60), 'no ping before 100 bytes').to.equal(undefined);
    const mark = unread.sending(60);
    expect(mark, 'a ping after 120 bytes').to.be.instanceOf(Buffer);
    unread.sending(30);
    expect(unread.unread).to.equal(150);

    unread.ponged(mark!);

    expect(unread.unread, 'the 30 bytes sent after the ping').to.equal(30);
  });

  it('takes the latest echoed mark, dropping those before it, and ignores a pong it never asked for', () => {
    const unread = new UnreadBytes(1000, 100);
    const first = unread.sending(100)!;
    const second = unread.sending(100)!;
    unread.sending(50);

    unread.ponged(Buffer.from('made up'));
    expect(unread.unread, 'a forged pong proves nothing').to.equal(250);
    unread.ponged(second);
    expect(unread.unread).to.equal(50);
    unread.ponged(first);
    expect(unread.unread, 'an older pong cannot undo a newer one').to.equal(50);
  });

  it('lets the heartbeat mark everything sent so far', () => {
    const unread = new UnreadBytes(1000, 100);
    unread.sending(40);

    unread.ponged(unread.mark());

    expect(unread.unread).to.equal(0);
  });

  it('pings every quarter of the bound by default', () => {
    const unread = new UnreadBytes(4096);
    const pings = Array.from({ length: 16 }, () => unread.sending(256)).filter(Boolean);

    expect(pings).to.have.length(4);
  });
});
