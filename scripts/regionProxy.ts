// The local two-region harness's stand-in for latency-based routing gone random: one port that
// sends each HTTP request (and each WebSocket upgrade) to one of the regions' servers, at random
// (seeded, so a run can be repeated) or alternately. Requests on one keep-alive connection may go
// to different regions, as a client's requests may reach two regions on AWS.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'random' | 'alternate';

export interface RegionProxy {
  readonly url: string;
  /** Requests sent to each target so far, by target URL. */
  readonly counts: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

export async function startRegionProxy(options: {
  readonly targets: readonly string[];
  readonly port?: number;
  readonly mode?: ProxyMode;
  readonly seed?: number;
}): Promise<RegionProxy> {
  const targets = options.targets.map((target) => new URL(target));
  // A connection per request upstream: a kept-alive one may be closed by the server (its 5 s
  // keep-alive timeout) just as a request is sent on it, which the client would see as a 502.
  const agents = targets.map(() => new http.Agent({ keepAlive: false, maxSockets: 256 }));
  const counts = new Map(options.targets.map((target) => [target, 0]));
  let turn = 0;
  const random = mulberry32(options.seed ?? 17);
  const pick = (): number => {
    const index = options.mode === 'alternate' ? turn++ % targets.length : Math.floor(random() * targets.length);
    counts.set(options.targets[index]!, (counts.get(options.targets[index]!) ?? 0) + 1);
    return index;
  };

  const server = http.createServer((req, res) => {
    const index = pick();
    const target = targets[index]!;
    const out = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent: agents[index] },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'unavailable', message: 'The region this request was routed to did not answer.' }));
    });
    req.pipe(out);
  });
  server.keepAliveTimeout = 5_000;
  // A WebSocket: the upgrade request and everything after it go to one region, byte for byte.
  server.on('upgrade', (req, socket, head) => {
    const target = targets[pick()]!;
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const agent of agents) agent.destroy();
    },
  };
}

/** A small seeded generator (uniform in [0, 1)): the same seed, the same routing. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
