// Push where the connection is (docs/multi-region.md, D6 and D7): every region's consumer sees
// every inbox insert (its replica's stream is fed by all regions) and pushes only to the sockets
// it holds; the ten-per-user limit counts every region's connections, and a connect in one region
// closes the oldest even when another region holds it, through that region's callback URL.
import { expect } from 'chai';
import WebSocket from 'ws';
import type { Harness } from '../../scripts/multiRegionHarness.js';
import { bearer, ok, post, register, sharedHarness, sleep, token } from './twoRegions.js';

interface Socket {
  readonly ws: WebSocket;
  readonly frames: { type: string; message_id?: string }[];
  closed: boolean;
}

function connect(baseUrl: string, auth: string): Promise<Socket> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(auth)}`);
  const socket: Socket = { ws, frames: [], closed: false };
  ws.on('message', (data) => socket.frames.push(JSON.parse(String(data))));
  ws.on('close', () => (socket.closed = true));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('error', reject);
  });
}

async function until(what: string, condition: () => boolean, withinMs = 10_000): Promise<void> {
  const giveUpAt = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`not within ${withinMs} ms: ${what}`);
    await sleep(50);
  }
}

describe('Two regions: push', function () {
  this.timeout(60_000);
  let h: Harness;
  let A: string;
  let B: string;
  const sockets: Socket[] = [];

  before(async function () {
    h = await sharedHarness();
    [A, B] = [h.urls[h.regions[0]]!, h.urls[h.regions[1]]!];
  });

  afterEach(function () {
    for (const socket of sockets.splice(0)) socket.ws.terminate();
  });

  it('pushes a message written in one region once, from the region that holds the socket', async function () {
    const [receiver, sender] = await Promise.all([register(A), register(A)]);
    const socket = await connect(B, await token(B, receiver));
    sockets.push(socket);
    // Sent through us-east-1, by a user whose home is us-east-1: written there only.
    const sent = ok(await post(A, '/send_message', { receiver_id: receiver, message: 'across' }, bearer(await token(A, sender))), 'send').message_id;
    await until('the frame arrives on the eu-west-1 socket', () => socket.frames.length > 0);
    await sleep(1_000); // a second push (from either region) would have come by now
    expect(socket.frames.map((f) => f.message_id), 'exactly one frame, the message').to.deep.equal([sent]);
  });

  it('closes the oldest of eleven connections when it is held by the other region, and keeps ten', async function () {
    const user = await register(A);
    const auth = await token(A, user);
    for (let i = 0; i < 10; i++) sockets.push(await connect(B, auth));
    await h.replicator.settled(); // us-east-1's replica has eu-west-1's ten
    const eleventh = await connect(A, auth);
    sockets.push(eleventh);
    await until('the oldest socket, on eu-west-1, is closed', () => sockets[0]!.closed);
    await sleep(500);
    expect(sockets.map((s) => s.closed), 'only the oldest closed; the nine others on eu-west-1 and the new one on us-east-1 stay').to.deep.equal([
      true,
      ...Array(10).fill(false),
    ]);

    const sender = await register(B);
    const sent = ok(await post(B, '/send_message', { receiver_id: user, message: 'to all ten' }, bearer(await token(B, sender))), 'send').message_id;
    const open = sockets.filter((s) => !s.closed);
    await until('every open socket gets the frame', () => open.every((s) => s.frames.length > 0));
    await sleep(1_000);
    for (const [i, socket] of open.entries()) {
      expect(socket.frames.map((f) => f.message_id), `open socket ${i} gets the message once`).to.deep.equal([sent]);
    }
    expect(sockets[0]!.frames, 'the closed one gets nothing').to.deep.equal([]);
  });
});
