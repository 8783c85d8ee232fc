// The local server's push connections at /ws, with the real handlers on the in-memory store:
// what a client gets, and what a hostile or broken client cannot do (another user's messages,
// floods, oversized frames, half-open connections, pushes it never reads).
import { expect } from 'chai';
import { once } from 'node:events';
import WebSocket from 'ws';
import { startLocalServer, type RunningLocalServer } from '../../src/adapters/http/LocalServer.js';
import { DEFAULT_WEBSOCKET_BOUNDS, type WebSocketBounds } from '../../src/adapters/http/LocalWebSockets.js';
import { loadConfig } from '../../src/adapters/lambda/config.js';
import { buildContainer, resolve } from '../../src/adapters/lambda/container.js';
import { TYPES } from '../../src/adapters/lambda/TYPES.js';

const PASSWORD = 'websocket password';

async function serve(bounds: Partial<WebSocketBounds> = {}) {
  const container = buildContainer(
    loadConfig({ SCRYPT_COST: 'test', TOKEN_SECRET: 'websocket-tests-secret-of-32-bytes!!', LOG_LEVEL: 'silent' }),
  );
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
    const { token } = await post('/login', { user_id: id, password: PASSWORD });
    return { id: id as string, token: token as string };
  };
  return { server, post, user, connections, url: server.url.replace('http', 'ws') + '/ws' };
}

/** A client that records its frames and how it closed. */
function client(url: string, options: WebSocket.ClientOptions = {}) {
  const socket = new WebSocket(url, options);
  const frames: Record<string, unknown>[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(data.toString())));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error('refused'), { status: res.statusCode, res })));
  });
  return { socket, frames, closed, opened };
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

  it('gives up on a client that never reads its pushes, instead of buffering them', async () => {
    const { server, post, user, url, connections } = await serve({ maxUnreadBytes: 16 * 1024 });
    running = server;
    const [alice, bob] = [await user(), await user()];
    const lazy = client(`${url}?token=${bob.token}`);
    await lazy.opened;
    // The client stops reading from its socket altogether.
    (lazy.socket as unknown as { _socket: { pause(): void } })._socket.pause();

    // Until the kernel's buffers are full, then 16 KiB more: the server must drop the socket.
    const text = 'x'.repeat(4096);
    for (let i = 0; i < 4000 && connections.size > 0; i++) {
      await post('/send_message', { receiver_id: bob.id, message: text }, alice.token);
    }
    expect(connections.size, 'the server let go of the socket').to.equal(0);
    (lazy.socket as unknown as { _socket: { resume(): void } })._socket.resume();

    expect(await lazy.closed, 'terminated, not closed politely').to.equal(1006);
  });
});
