// Push latency on the local server: 1,000 WebSocket clients connected (100 users, 10 connections
// each), one sender sends messages to them one after the other, and every frame's arrival is
// timed from the moment its send went out. The server runs in a child process, as `npm start`.
import WebSocket from 'ws';
import { startPushServer } from './pushServer.js';

export interface PushLatency {
  readonly clients: number;
  readonly frames: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Frames that arrived before the sender had the send's answer. */
  readonly beforeAnswerShare: number;
}

const USERS = 100;
const CONNECTIONS_PER_USER = 10;
const SENDS = 300;
const PASSWORD = 'push bench password';

export async function measurePushLatency(): Promise<PushLatency> {
  const server = await startPushServer('/tmp/messaging-push-bench.log');
  const sockets: WebSocket[] = [];
  try {
    const post = async (path: string, body: object, token?: string) => {
      const res = await fetch(server.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<any>;
    };
    const user = async () => {
      const { user_id: id } = await post('/register_user', { password: PASSWORD });
      const { token } = await post('/login', { user_id: id, password: PASSWORD });
      return { id: id as string, token: token as string };
    };
    const sender = await user();
    const receivers = [];
    for (let i = 0; i < USERS; i += 10) receivers.push(...(await Promise.all(Array.from({ length: 10 }, user))));

    const sentAt = new Map<string, number>();
    const answeredAt = new Map<string, number>();
    const latencies: number[] = [];
    let beforeAnswer = 0;
    const url = server.url.replace(/^http/, 'ws') + '/ws';
    for (const receiver of receivers) {
      for (let c = 0; c < CONNECTIONS_PER_USER; c++) {
        const socket = new WebSocket(`${url}?token=${receiver.token}`);
        socket.on('message', (data) => {
          const arrived = performance.now();
          const frame = JSON.parse(data.toString()) as { type: string; message: string };
          const started = sentAt.get(frame.message);
          if (frame.type !== 'message' || started === undefined) return;
          latencies.push(arrived - started);
          if (!answeredAt.has(frame.message)) beforeAnswer++;
        });
        sockets.push(socket);
        await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      }
    }

    for (let i = 0; i < SENDS; i++) {
      const receiver = receivers[i % receivers.length]!;
      const text = `push ${i}`;
      sentAt.set(text, performance.now());
      await post('/send_message', { receiver_id: receiver.id, message: text }, sender.token);
      answeredAt.set(text, performance.now());
    }
    const expected = SENDS * CONNECTIONS_PER_USER;
    const giveUpAt = Date.now() + 10_000;
    while (latencies.length < expected && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 20));

    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
    return {
      clients: sockets.length,
      frames: latencies.length,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      beforeAnswerShare: latencies.length ? beforeAnswer / latencies.length : 0,
    };
  } finally {
    for (const socket of sockets) socket.terminate();
    await server.stop();
  }
}
