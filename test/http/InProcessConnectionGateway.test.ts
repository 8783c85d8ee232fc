// The local server's registry of push sockets, on its own: what happens to a connection between
// its $connect (recorded) and its upgrade (registered), and its close at expiry.
import { expect } from 'chai';
import { InProcessConnectionGateway, type LocalSocket } from '../../src/adapters/push/InProcessConnectionGateway.js';
import { SystemClock } from '../../src/adapters/runtime/SystemClock.js';
import type { ConnectionCloseReason } from '../../src/core/Connection.js';

function socket() {
  const frames: string[] = [];
  const closed: ConnectionCloseReason[] = [];
  const local: LocalSocket = { send: (frame) => (frames.push(frame), true), close: (reason) => closed.push(reason) };
  return { local, frames, closed };
}

const message = { id: 'msg-1', senderId: 'user-a', text: 'hello', sentAt: Date.now() };

describe('InProcessConnectionGateway', () => {
  it('closes a socket the moment it registers when its connection was closed during the upgrade', async () => {
    const gateway = new InProcessConnectionGateway(new SystemClock());
    const s = socket();
    gateway.reserve('c-1');

    await gateway.close('c-1', 'replaced');
    gateway.register('c-1', s.local);

    expect(s.closed).to.deep.equal(['replaced']);
    expect(gateway.size, 'never counted as open').to.equal(0);
  });

  it('keeps a push that comes during the upgrade for the socket, and calls it delivered', async () => {
    const gateway = new InProcessConnectionGateway(new SystemClock());
    const s = socket();
    gateway.reserve('c-1');

    expect(await gateway.push('c-1', message)).to.equal(true);
    gateway.register('c-1', s.local);

    expect(s.frames.map((f) => JSON.parse(f).message_id)).to.deep.equal(['msg-1']);
  });

  it('answers gone for a connection it has no socket for, reserved or registered', async () => {
    const gateway = new InProcessConnectionGateway(new SystemClock());
    gateway.reserve('c-1');
    gateway.unregister('c-1');

    expect(await gateway.push('c-1', message)).to.equal(false);
    expect(await gateway.push('never-seen', message)).to.equal(false);
  });

  it('closes a registered socket when its connection expires, saying why', async () => {
    const gateway = new InProcessConnectionGateway(new SystemClock());
    const s = socket();
    const now = Date.now();
    gateway.reserve('c-1');
    gateway.opened({ id: 'c-1', userId: 'user-a', connectedAt: now, expiresAt: now + 50 });
    gateway.register('c-1', s.local);

    expect(s.closed, 'not before').to.deep.equal([]);
    for (let waited = 0; s.closed.length === 0 && waited < 3000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));

    expect(s.closed).to.deep.equal(['token_expired']);
    expect(gateway.size).to.equal(0);
  });
});
