// The local server's push connections at /ws, with the real handlers on the in-memory store:
// what a client gets, and what a hostile or broken client cannot do (another user's messages,
// floods, oversized frames, half-open connections, pushes it never reads).
import { expect } from 'chai';
import type { ContainerModule } from 'inversify';
import { once } from 'node:events';
import net from 'node:net';
import WebSocket from 'ws';
import { startLocalServer, type RunningLocalServer } from '../../src/adapters/http/LocalServer.js';
import { DEFAULT_WEBSOCKET_BOUNDS, type WebSocketBounds } from '../../src/adapters/http/LocalWebSockets.js';
import { loadConfig } from '../../src/adapters/lambda/config.js';
import { buildContainer, dynamoDbStorage, resolve, storageFor } from '../../src/adapters/lambda/container.js';
import { TYPES } from '../../src/adapters/lambda/TYPES.js';
import type { ConnectionRepository } from '../../src/ports/ConnectionRepository.js';
import { InProcessConnectionGateway } from '../../src/adapters/push/InProcessConnectionGateway.js';
import { JoseTokenSigner } from '../../src/adapters/runtime/JoseTokenSigner.js';
import { SystemClock } from '../../src/adapters/runtime/SystemClock.js';
import { freshTable } from '../support/dynamoDbLocal.js';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';

const PASSWORD = 'websocket password';
const SECRET = 'websocket-tests-secret-of-32-bytes!!';

interface ServeOptions {
  /** Login tokens live this long instead of an hour. */
  tokenTtlSeconds?: number;
  storage?: ContainerModule;
  /** Wraps the connection repository the handlers use. */
  connections?: (inner: ConnectionRepository) => ConnectionRepository;
}

/**
 * The in-memory repository answering a moment after it has written, as a store over the network
 * does (DynamoDB): so a connect's record exists a while before its socket is upgraded.
 */
function answeringLate(inner: ConnectionRepository): ConnectionRepository {
  const late = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), Math.random() * 3));
  return {
    add: async (connection, max) => late(await inner.add(connection, max)),
    remove: async (id) => late(await inner.remove(id)),
    forUser: async (userId) => late(await inner.forUser(userId)),
  };
}

async function serve(bounds: Partial<WebSocketBounds> = {}, options: ServeOptions = {}) {
  const config = loadConfig({ SCRYPT_COST: 'test', TOKEN_SECRET: SECRET, LOG_LEVEL: 'silent' });
  const container = buildContainer(config, options.storage ?? storageFor(config));
  if (options.connections) {
    const inner = resolve(container, TYPES.ConnectionRepository);
    container.unbind(TYPES.ConnectionRepository);
    container.bind(TYPES.ConnectionRepository).toConstantValue(options.connections(inner));
  }
  if (options.tokenTtlSeconds !== undefined) {
    container.unbind(TYPES.TokenSigner);
    container.bind(TYPES.TokenSigner).toConstantValue(new JoseTokenSigner(Buffer.from(SECRET), options.tokenTtlSeconds));
  }
  const api = resolve(container, TYPES.ApiHandler);
  const ws = resolve(container, TYPES.WebSocketHandler);
  const connections = resolve(container, TYPES.LocalConnections);
  const server = await startLocalServer({
    port: 0,
    host: '127.0.0.1',
    handler: api.router,
    transportError: (code, requestId) => api.transportError(code, requestId),
    webSockets: {
      connect: ws.connect,
      disconnect: ws.disconnect,
      message: ws.message,
      connections,
      bounds: { ...DEFAULT_WEBSOCKET_BOUNDS, ...bounds },
    },
  });
  const post = async (path: string, body: object, token?: string): Promise<any> => {
    const res = await fetch(server.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return res.json();
  };
  const user = async () => {
    const { user_id: id } = await post('/register_user', { password: PASSWORD });
    const { token, expires_at: expiresAt } = await post('/login', { user_id: id, password: PASSWORD });
    return { id: id as string, token: token as string, expiresAt: Date.parse(expiresAt) };
  };
  return { server, post, user, connections, container, url: server.url.replace('http', 'ws') + '/ws' };
}

/** A client that records its frames and how it closed. */
function client(url: string, options: WebSocket.ClientOptions = {}) {
  const socket = new WebSocket(url, options);
  const frames: Record<string, unknown>[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(data.toString())));
  socket.on('error', () => undefined);
  let closedAt = 0;
  const closed = new Promise<number>((resolve) =>
    socket.on('close', (code) => {
      closedAt = Date.now();
      resolve(code);
    }),
  );
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error('refused'), { status: res.statusCode, res })));
  });
  return { socket, frames, closed, opened, closedAt: () => closedAt };
}

type Client = ReturnType<typeof client>;

/** Opens `count` clients at once; answers them once each has opened or been refused. */
async function clientsAtOnce(count: number, url: (i: number) => string): Promise<{ clients: Client[]; refusals: number[] }> {
  const clients = Array.from({ length: count }, (_, i) => client(url(i)));
  const outcomes = await Promise.allSettled(clients.map((c) => c.opened));
  const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as { status: number }).status] : []));
  return { clients, refusals };
}

const openOnes = (clients: Client[]) => clients.filter((c) => c.socket.readyState === WebSocket.OPEN);

/** An upgrade request on a raw socket that reads its answer and never closes its side. */
function refusedUpgrade(port: number, path: string): { socket: net.Socket; status: Promise<string> } {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  const status = new Promise<string>((resolve) => {
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    socket.once('data', (data: Buffer) => resolve(data.toString('latin1').split('\r\n')[0]!));
  });
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  return { socket, status };
}

const until = async (check: () => boolean, what: string, ms = 3000) => {
  const giveUp = Date.now() + ms;
  while (!check()) {
    if (Date.now() > giveUp) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('LocalWebSockets', function () {
  this.timeout(15_000);
  let running: RunningLocalServer | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('pushes each message its user’s inbox gets, as the check_messages item with "type": "message"', async () => {
    const { server, post, user, url } = await serve();
    running = server;
    const [alice, bob] = [await user(), await user()];
    const bobs = client(`${url}?token=${bob.token}&user_id=${alice.id}`);
    await bobs.opened;

    await post('/send_message', { receiver_id: bob.id, message: 'live!' }, alice.token);
    await until(() => bobs.frames.length === 1, 'the push');
    const inbox = await post('/check_messages', {}, bob.token);

    const { type, ...item } = bobs.frames[0]!;
    expect(type).to.equal('message');
    expect(item).to.deep.equal(inbox.messages[0]);
  });

  it('refuses a missing, forged or expired token with a JSON 401, before any upgrade', async () => {
    const { server, url } = await serve();
    running = server;

    for (const query of ['', '?token=', '?token=forged.token.value', '?token=eyJhbGciOiJIUzI1NiJ9.e30.x']) {
      const failure = await client(url + query).opened.then(
        () => undefined,
        (error: { status: number; res: NodeJS.ReadableStream }) => error,
      );
      expect(failure?.status, query).to.equal(401);
      const body = JSON.parse(((await once(failure!.res, 'data')) as Buffer[])[0]!.toString());
      expect(body).to.include({ error: 'unauthorized' });
    }
  });

  it('answers a ping frame with a pong, and ignores any other frame', async () => {
    const { server, user, url } = await serve();
    running = server;
    const alice = await user();
    const c = client(`${url}?token=${alice.token}`);
    await c.opened;

    c.socket.send('{"type":"send_message","receiver_id":"user-x","message":"nope"}');
    c.socket.send('{"type":"ping"}');
    await until(() => c.frames.length === 1, 'the pong');

    expect(c.frames).to.deep.equal([{ type: 'pong' }]);
  });

  it('closes a user’s oldest connection when an eleventh opens', async () => {
    const { server, user, url } = await serve();
    running = server;
    const alice = await user();
    const clients = [];
    for (let i = 0; i < 11; i++) {
      const c = client(`${url}?token=${alice.token}`);
      await c.opened;
      clients.push(c);
      // "Oldest" is by the millisecond a connection opened; two in the same one are in no set order.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }

    expect(await clients[0]!.closed).to.equal(1000);
    expect(clients.slice(1).every((c) => c.socket.readyState === WebSocket.OPEN)).to.equal(true);
  });

  it('closes a connection that floods frames, and one that sends an oversized frame', async () => {
    const { server, user, url } = await serve({ maxFramesPerSecond: 5, maxFrameBytes: 256 });
    running = server;
    const alice = await user();
    const flood = client(`${url}?token=${alice.token}`);
    const big = client(`${url}?token=${alice.token}`);
    await Promise.all([flood.opened, big.opened]);

    for (let i = 0; i < 20; i++) flood.socket.send('{"type":"ping"}');
    big.socket.send(`{"type":"ping","pad":"${'x'.repeat(1000)}"}`);

    expect(await flood.closed, 'policy violation').to.equal(1008);
    expect(await big.closed, 'message too big').to.equal(1009);
  });

  it('ends a half-open connection that answers no ping, and forgets it', async () => {
    const { server, user, url, connections } = await serve({ heartbeatMs: 100 });
    running = server;
    const alice = await user();
    const silent = client(`${url}?token=${alice.token}`, { autoPong: false });
    await silent.opened;

    expect(connections.size).to.equal(1);

    await silent.closed;
    await until(() => connections.size === 0, 'the server to forget the socket');
  });

  it('gives up on a client that never reads its pushes once they pass the bound, counting what the kernel holds', async () => {
    const { server, post, user, url, connections } = await serve({ maxUnreadBytes: 16 * 1024 });
    running = server;
    const [alice, bob] = [await user(), await user()];
    const lazy = client(`${url}?token=${bob.token}`);
    await lazy.opened;
    // The client stops reading from its socket altogether.
    (lazy.socket as unknown as { _socket: { pause(): void } })._socket.pause();

    // 4 KiB a message: the kernel's buffers alone would take hundreds before node held a byte.
    const text = 'x'.repeat(4096);
    let sent = 0;
    while (sent < 4000 && connections.size > 0) {
      await post('/send_message', { receiver_id: bob.id, message: text }, alice.token);
      sent++;
    }
    expect(connections.size, 'the server let go of the socket').to.equal(0);
    // 16 KiB unread is four messages; pushes run beside the sends, so allow a few more.
    expect(sent, 'messages sent before the server gave up').to.be.at.most(16);
    (lazy.socket as unknown as { _socket: { resume(): void } })._socket.resume();

    expect(await lazy.closed, 'terminated, not closed politely').to.equal(1006);
  });

  it('keeps pushing to a client that reads, however much it is pushed', async () => {
    const { server, post, user, url, connections } = await serve({ maxUnreadBytes: 16 * 1024 });
    running = server;
    const [alice, bob] = [await user(), await user()];
    const reader = client(`${url}?token=${bob.token}`);
    await reader.opened;

    const text = 'y'.repeat(4096);
    for (let i = 0; i < 40; i++) {
      await post('/send_message', { receiver_id: bob.id, message: text }, alice.token);
      // A reader keeps up: each push is read (and the server's pings answered) before the next.
      await until(() => reader.frames.length === i + 1, `push ${i + 1}`);
    }

    expect(connections.size, '160 KiB pushed to a reader, ten times the bound').to.equal(1);
  });

  it('releases a refused upgrade at once: 2,100 clients that read the refusal and never close leave /health served', async function () {
    this.timeout(120_000);
    const { server } = await serve();
    running = server;
    const port = Number(new URL(server.url).port);
    const held: net.Socket[] = [];
    try {
      const statuses: Record<string, number> = {};
      // A hundred at a time, each batch answered before the next: a client, not a flood of a busy machine.
      for (let i = 0; i < 2_100; i += 100) {
        const batch = Array.from({ length: 100 }, (_, j) => refusedUpgrade(port, (i + j) % 10 === 0 ? '/elsewhere' : '/ws?token=bad'));
        held.push(...batch.map(({ socket }) => socket));
        for (const status of await Promise.all(batch.map((upgrade) => upgrade.status))) statuses[status] = (statuses[status] ?? 0) + 1;
      }

      expect(statuses).to.deep.equal({ 'HTTP/1.1 401 Unauthorized': 1_890, 'HTTP/1.1 404 Not Found': 210 });
      const health = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(5_000) });
      expect(health.status, 'a new connection is still served').to.equal(200);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });

  it('refuses an upgrade whose target is no URL with a 404, and goes on serving', async () => {
    const { server } = await serve();
    running = server;
    const port = Number(new URL(server.url).port);
    const upgrade = refusedUpgrade(port, '//[/ws?token=x');

    expect(await upgrade.status).to.equal('HTTP/1.1 404 Not Found');
    upgrade.socket.destroy();
    const health = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(5_000) });
    expect(health.status, 'the server is still up').to.equal(200);
  });

  it('answers a refusal caused by a server error 503 unavailable with Retry-After, not 500', async () => {
    const server = await startLocalServer({
      port: 0,
      host: '127.0.0.1',
      handler: async () => ({ statusCode: 404 }),
      transportError: () => ({ statusCode: 500, headers: {}, body: '{}' }),
      log: () => undefined,
      webSockets: {
        connect: async () => {
          throw new Error('the storage is down');
        },
        disconnect: async () => ({ statusCode: 200 }),
        message: async () => ({ statusCode: 200 }),
        connections: new InProcessConnectionGateway(new SystemClock()),
      },
    });
    running = server;
    const refused = await client(server.url.replace('http', 'ws') + '/ws?token=any').opened.then(
      () => undefined,
      (error: { status: number; res: NodeJS.ReadableStream & { headers: Record<string, string> } }) => error,
    );

    expect(refused?.status).to.equal(503);
    expect(refused!.res.headers['retry-after']).to.equal('1');
    const body = JSON.parse(((await once(refused!.res, 'data')) as Buffer[])[0]!.toString());
    expect(body).to.include({ error: 'unavailable' });
    expect(JSON.stringify(body), 'nothing of the error leaves the process').to.not.contain('storage');
  });

  describe('at most 10 connections per user, also when 200 connect at once', () => {
    async function burst(waves: number, options: ServeOptions) {
      // The per-address cap would hide the per-user one: raised here, tested below.
      const { server, post, user, url, connections, container } = await serve({ maxPerAddress: 1_000 }, options);
      running = server;
      const [alice, bob] = [await user(), await user()];
      // A token per connect, as 200 devices would have: each connect verifies its own, so they interleave.
      const signer = resolve(container, TYPES.TokenSigner);
      const tokens = await Promise.all(Array.from({ length: 200 }, (_, i) => signer.issue(bob.id, Date.now() - i * 1000)));
      const clients: Client[] = [];
      const refusals: number[] = [];
      for (let wave = 0; wave < waves; wave++) {
        const outcome = await clientsAtOnce(200, (i) => `${url}?token=${tokens[i]!.token}`);
        clients.push(...outcome.clients);
        refusals.push(...outcome.refusals);
      }
      await until(() => openOnes(clients).length <= 10, 'the server to close all but ten', 10_000);

      expect(refusals.every((status) => status === 409 || status === 503), `refused as conflict or unavailable: ${refusals}`).to.equal(true);
      const open = openOnes(clients);
      expect(open.length, 'ten stay open (or fewer, when most of the burst was refused)').to.be.within(1, 10);
      expect(connections.size, 'the server holds no more sockets than are open').to.equal(open.length);
      await post('/send_message', { receiver_id: bob.id, message: 'to every open one' }, alice.token);
      await until(() => open.every((c) => c.frames.length === 1), 'the push to each open connection');

      const later = client(`${url}?token=${bob.token}`);
      await later.opened;
      await post('/send_message', { receiver_id: bob.id, message: 'later' }, alice.token);
      await until(() => later.frames.length === 1, 'the push to the later connection');
      const all = [...clients, later];
      await until(() => openOnes(all).length <= 10 && connections.size === openOnes(all).length, 'at most ten after the later connect too');
      return { bob, all };
    }

    it('on the in-memory store', async function () {
      this.timeout(60_000);
      const { all } = await burst(1, {});
      for (const c of all) c.socket.terminate();
    });

    it('on a store that answers a moment after it writes, as one over the network does', async function () {
      this.timeout(60_000);
      const { all } = await burst(2, { connections: answeringLate });
      for (const c of all) c.socket.terminate();
    });

    it('on DynamoDB Local, leaving no record of a refused connect behind', async function () {
      this.timeout(90_000);
      const { table, settings } = await freshTable();
      const { bob, all } = await burst(1, { storage: dynamoDbStorage(settings) });
      const stored = async () => {
        const { Items: items = [] } = await table.client.send(new ScanCommand({ TableName: settings.tableName }));
        const byId = items.filter((item) => String(item.PK).startsWith('CONN#') && item.userId === bob.id).map((item) => String(item.PK).slice(5));
        const recorded = Object.keys(items.find((item) => item.PK === `USER#${bob.id}` && item.SK === 'CONNS')?.conns ?? {});
        return { byId: byId.sort(), recorded: recorded.sort() };
      };
      // The connection the later connect replaced is being forgotten ($disconnect) a moment after it closed.
      let items = await stored();
      for (let tries = 0; tries < 50 && items.byId.join() !== items.recorded.join(); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        items = await stored();
      }

      expect(items.recorded.length, 'recorded connections').to.be.within(1, 10);
      expect(items.byId, 'one item per recorded connection, none left by a refused or replaced connect').to.deep.equal(items.recorded);
      for (const c of all) c.socket.terminate();
    });
  });

  it('keeps at most 50 connections from one client address: 80 leave 50 open, the rest refused 429', async () => {
    const { server, user, url, connections } = await serve();
    running = server;
    const users = await Promise.all(Array.from({ length: 8 }, () => user()));
    const { clients, refusals } = await clientsAtOnce(80, (i) => `${url}?token=${users[i % 8]!.token}`);

    expect(openOnes(clients).length).to.equal(50);
    expect(refusals).to.deep.equal(Array.from({ length: 30 }, () => 429));
    expect(connections.size).to.equal(50);
    for (const c of clients) c.socket.terminate();
  });

  it('closes a connection with 1008 when its token expires, not before, and pushes nothing after', async function () {
    this.timeout(20_000);
    const { server, post, user, url, connections } = await serve({}, { tokenTtlSeconds: 4 });
    running = server;
    const [alice, bob] = [await user(), await user()];
    const bobs = client(`${url}?token=${bob.token}`);
    await bobs.opened;
    await post('/send_message', { receiver_id: bob.id, message: 'while the token lasts' }, alice.token);
    await until(() => bobs.frames.length === 1, 'the push before expiry');

    const code = await bobs.closed;
    await post('/send_message', { receiver_id: bob.id, message: 'after it expired' }, alice.token);

    expect(code, 'policy violation').to.equal(1008);
    expect(bobs.closedAt(), 'closed at the token’s expiry, not before').to.be.at.least(bob.expiresAt);
    expect(bobs.frames.map((f) => f.message)).to.deep.equal(['while the token lasts']);
    await until(() => connections.size === 0, 'the server to forget the socket');
  });
});
