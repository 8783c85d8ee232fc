// What push connections that never read cost the local server: 2,040 WebSocket clients (204 users,
// ten each) stop reading, and group messages of 4,096 characters go to all of them. Sampled as the
// messages go: the server's resident memory, the bytes queued in its sockets' kernel send buffers
// (ss: Send-Q of its connections) and the kernel's TCP memory as a whole (/proc/net/sockstat). The
// server runs in a child process, as `npm start`, built first. Linux only (ss, /proc). About a
// minute and up to a few GB of memory: not part of `npm run bench`.
//
//   node --import tsx bench/pushMemory.ts [messages]
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import WebSocket from 'ws';
import { startPushServer } from './pushServer.js';

const USERS = 205; // a sender and 204 recipients
const CONNECTIONS_PER_USER = 10;
const MESSAGES = Number(process.argv[2] ?? 400);
const TEXT = 'p'.repeat(4096);
const PASSWORD = 'push memory password';
const PAGE_BYTES = 4096;

interface Sample {
  readonly messages: number;
  readonly rssMb: number;
  /** Bytes waiting in the kernel send queues of the server's connections. */
  readonly sendQueuesMb: number;
  /** The kernel's TCP memory, all sockets (both ends are on this machine). */
  readonly tcpMemoryMb: number;
  readonly openConnections: number;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

function sample(pid: number, port: number, messages: number): Sample {
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  const tcpPages = Number(/TCP:.* mem (\d+)/.exec(readFileSync('/proc/net/sockstat', 'utf8'))![1]);
  const table = execFileSync('ss', ['-tnH', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  let sendQueued = 0;
  let open = 0;
  for (const line of table.split('\n')) {
    const columns = line.trim().split(/\s+/);
    if (columns.length < 4) continue;
    open++;
    sendQueued += Number(columns[1]);
  }
  return { messages, rssMb: Math.round(rssKb / 1024), sendQueuesMb: mb(sendQueued), tcpMemoryMb: mb(tcpPages * PAGE_BYTES), openConnections: open };
}

const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(1);

const server = await startPushServer('/tmp/messaging-push-memory.log');
const port = Number(new URL(server.url).port);
// One connection for every request: the other slots of the server's 2,048 are the clients'.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const post = (path: string, body: object, token?: string) =>
  new Promise<any>((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      server.url + path,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk));
        res.on('end', () => resolve(JSON.parse(text)));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });

const sockets: WebSocket[] = [];
try {
  const users: { id: string; token: string }[] = [];
  for (let i = 0; i < USERS; i++) {
    const { user_id: id } = await post('/register_user', { password: PASSWORD });
    const { token } = await post('/login', { user_id: id, password: PASSWORD });
    users.push({ id, token });
  }
  const [sender, ...recipients] = users;
  const { group_id: groupId } = await post('/create_group', { members: recipients.map((u) => u.id) }, sender!.token);

  const wsUrl = server.url.replace('http', 'ws') + '/ws';
  for (const user of recipients) {
    await Promise.all(
      Array.from({ length: CONNECTIONS_PER_USER }, async () => {
        const socket = new WebSocket(`${wsUrl}?token=${user.token}`);
        socket.on('error', () => undefined);
        await new Promise((resolve, reject) => {
          socket.once('open', resolve);
          socket.once('unexpected-response', (_req, res) => reject(new Error(`connect refused: ${res.statusCode}`)));
        });
        // From here on the client reads nothing: no frames, no pings.
        (socket as unknown as { _socket: { pause(): void } })._socket.pause();
        sockets.push(socket);
      }),
    );
  }

  const samples: Sample[] = [sample(server.pid, port, 0)];
  for (let sent = 1; sent <= MESSAGES; sent++) {
    await post('/send_group_message', { group_id: groupId, message: TEXT }, sender!.token);
    if (sent % 10 === 0) {
      // Pushes run beside the sends: let them finish before looking.
      await new Promise((resolve) => setTimeout(resolve, 200));
      samples.push(sample(server.pid, port, sent));
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const last = sample(server.pid, port, MESSAGES);
  samples.push(last);

  console.log(`${sockets.length} push connections that never read; group messages of ${TEXT.length} characters to all of them`);
  console.table(samples.filter((s, i) => s.messages % 50 === 0 || i === samples.length - 1));
  const peak = (pick: (s: Sample) => number) => Math.max(...samples.map(pick));
  console.log(
    `peak: server RSS ${peak((s) => s.rssMb)} MB, its kernel send queues ${peak((s) => s.sendQueuesMb)} MB, ` +
      `TCP memory ${peak((s) => s.tcpMemoryMb)} MB; connections still open at the end: ${last.openConnections}`,
  );
} finally {
  for (const socket of sockets) socket.terminate();
  agent.destroy();
  await server.stop();
}
