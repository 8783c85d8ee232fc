import { expect } from 'chai';
import { InMemoryConnectionRepository } from '../../src/adapters/memory/InMemoryConnectionRepository.js';
import type { Connection, ConnectionCloseReason } from '../../src/core/Connection.js';
import type { Message } from '../../src/core/Message.js';
import { PushMessage } from '../../src/core/use-cases/PushMessage.js';
import type { ConnectionGateway } from '../../src/ports/ConnectionGateway.js';
import { FakeClock } from '../support/FakeClock.js';

/** A gateway that records what reaches each connection, answering after a random moment (as a network does). */
class RecordingGateway implements ConnectionGateway {
  readonly frames = new Map<string, string[]>();
  readonly closed: [string, ConnectionCloseReason][] = [];
  readonly gone = new Set<string>();
  readonly failing = new Set<string>();

  async push(connectionId: string, message: Message): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    if (this.failing.has(connectionId)) throw new Error('timed out');
    if (this.gone.has(connectionId)) return false;
    this.frames.set(connectionId, [...(this.frames.get(connectionId) ?? []), message.id]);
    return true;
  }

  async pong(): Promise<void> {}

  async close(connectionId: string, reason: ConnectionCloseReason): Promise<void> {
    this.closed.push([connectionId, reason]);
  }

  opened(): void {}
}

const HOUR = 3_600_000;

function setUp() {
  const clock = new FakeClock();
  const connections = new InMemoryConnectionRepository();
  const gateway = new RecordingGateway();
  const push = new PushMessage(connections, gateway, clock);
  const open = async (id: string, userId: string, connectedAt: number, expiresAt = connectedAt + HOUR): Promise<Connection> => {
    const connection = { id, userId, connectedAt, expiresAt };
    await connections.add(connection, 10);
    return connection;
  };
  const message = (id: string, sentAt: number): Message => ({ id, senderId: 'user-sender', text: `text of ${id}`, sentAt });
  return { clock, connections, gateway, push, open, message };
}

describe('PushMessage', () => {
  it('pushes a message only to connections opened before it was sent (a backlog or a retried batch reaches newer ones too late)', async () => {
    const { clock, gateway, push, open, message } = setUp();
    const sentAt = clock.now();
    await open('before', 'user-b', sentAt - 1000);
    await open('same-moment', 'user-b', sentAt);
    await open('after', 'user-b', sentAt + 1);
    clock.advance(5000);

    const [outcome] = await push.execute([{ recipientId: 'user-b', message: message('msg-1', sentAt) }]);

    expect(outcome).to.deep.equal({ pushed: 2, failed: false });
    expect([...gateway.frames.keys()].sort()).to.deep.equal(['before', 'same-moment']);
  });

  it('delivers one user’s messages to each connection in inbox order, whatever order the batch holds them in', async () => {
    const { clock, gateway, push, open, message } = setUp();
    const start = clock.now();
    await open('c-1', 'user-b', start - 1000);
    await open('c-2', 'user-b', start - 1000);
    // Stamped in this order; the batch (a stream's records) holds them shuffled, with another user's between.
    const messages = Array.from({ length: 20 }, (_, i) => message(`msg-${String(i).padStart(2, '0')}`, start + i));
    const shuffled = [...messages].sort(() => Math.random() - 0.5);
    const deliveries = shuffled.flatMap((m, i) => [
      { recipientId: 'user-b', message: m },
      ...(i % 5 === 0 ? [{ recipientId: 'user-c', message: m }] : []),
    ]);

    const outcomes = await push.execute(deliveries);

    const inOrder = messages.map((m) => m.id);
    expect(gateway.frames.get('c-1')).to.deep.equal(inOrder);
    expect(gateway.frames.get('c-2')).to.deep.equal(inOrder);
    expect(outcomes.map((o) => o.pushed), 'one outcome per delivery, in the order given').to.deep.equal(
      deliveries.map((d) => (d.recipientId === 'user-b' ? 2 : 0)),
    );
  });

  it('never pushes to a connection past its expiry (its token’s): it closes it as token_expired and forgets it', async () => {
    const { clock, connections, gateway, push, open, message } = setUp();
    const now = clock.now();
    await open('expiring', 'user-b', now - 1000, now + 60_000);
    await open('lasting', 'user-b', now - 1000, now + HOUR);
    clock.advance(60_000);

    const [outcome] = await push.execute([{ recipientId: 'user-b', message: message('msg-1', now) }]);

    expect(outcome).to.deep.equal({ pushed: 1, failed: false });
    expect([...gateway.frames.keys()]).to.deep.equal(['lasting']);
    expect(gateway.closed).to.deep.equal([['expiring', 'token_expired']]);
    expect((await connections.forUser('user-b')).map((c) => c.id)).to.deep.equal(['lasting']);
  });

  it('closes a connection at its 2-hour age as too_old', async () => {
    const { clock, gateway, push, open, message } = setUp();
    const now = clock.now();
    await open('old', 'user-b', now, now + 2 * HOUR);
    clock.advance(2 * HOUR);

    await push.execute([{ recipientId: 'user-b', message: message('msg-1', now + 1) }]);

    expect(gateway.closed).to.deep.equal([['old', 'too_old']]);
    expect(gateway.frames.size).to.equal(0);
  });

  it('forgets a connection the gateway finds gone, and pushes it nothing more', async () => {
    const { clock, connections, gateway, push, open, message } = setUp();
    const now = clock.now();
    await open('gone', 'user-b', now - 1000);
    gateway.gone.add('gone');

    const outcomes = await push.execute([
      { recipientId: 'user-b', message: message('msg-1', now) },
      { recipientId: 'user-b', message: message('msg-2', now + 1) },
    ]);

    expect(outcomes).to.deep.equal([
      { pushed: 0, failed: false },
      { pushed: 0, failed: false },
    ]);
    expect(await connections.forUser('user-b')).to.deep.equal([]);
  });

  it('reports as failed what a failing connection was to get, and still serves the user’s other connections', async () => {
    const { clock, gateway, push, open, message } = setUp();
    const now = clock.now();
    await open('hangs', 'user-b', now - 1000);
    await open('works', 'user-b', now - 1000);
    gateway.failing.add('hangs');

    const outcomes = await push.execute([
      { recipientId: 'user-b', message: message('msg-1', now) },
      { recipientId: 'user-b', message: message('msg-2', now + 1) },
    ]);

    expect(outcomes).to.deep.equal([
      { pushed: 1, failed: true },
      { pushed: 1, failed: true },
    ]);
    expect(gateway.frames.get('works')).to.deep.equal(['msg-1', 'msg-2']);
  });

  it('reports every delivery of a user whose connections cannot be read as failed, and serves the others', async () => {
    const { clock, connections, gateway, open, message } = setUp();
    const now = clock.now();
    await open('c-ok', 'user-ok', now - 1000);
    const broken = {
      add: connections.add.bind(connections),
      remove: connections.remove.bind(connections),
      forUser: async (userId: string) => {
        if (userId === 'user-broken') throw new Error('storage down');
        return connections.forUser(userId);
      },
    };
    const push = new PushMessage(broken, gateway, clock);

    const outcomes = await push.execute([
      { recipientId: 'user-broken', message: message('msg-1', now) },
      { recipientId: 'user-ok', message: message('msg-1', now) },
    ]);

    expect(outcomes).to.deep.equal([
      { pushed: 0, failed: true },
      { pushed: 1, failed: false },
    ]);
  });
});
