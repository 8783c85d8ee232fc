// A real TCP path between the DynamoDB client and DynamoDB Local that misbehaves on demand: it
// accepts every connection and, per request, either forwards it, holds it forever, holds it and
// forwards it late (the write lands after the client gave up), answers 500, or drops the
// connection. A rule can target one DynamoDB operation (its X-Amz-Target header) and requests
// whose body mentions a key. Only a server that accepts and never answers shows whether the SDK's
// time limits are real; nock only shows what the code does once the library has thrown.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  /** Never answer (until the proxy closes). */
  | { readonly kind: 'hold' }
  /** Hold `ms`, then forward to DynamoDB; the answer goes back if the client is still there. */
  | { readonly kind: 'late'; readonly ms: number }
  /** Answer DynamoDB's InternalServerError (HTTP 500) without forwarding. */
  | { readonly kind: 'error' }
  /** Close the connection without an answer. */
  | { readonly kind: 'drop' };

export interface FaultRule {
  /** The DynamoDB operation, e.g. 'TransactWriteItems' (any when absent). */
  readonly operation?: string | readonly string[];
  /** Only requests whose body contains this text (a key, a user id). */
  readonly bodyIncludes?: string;
  /** How many matching requests go through untouched before the fault starts. */
  readonly skip?: number;
  /** How many matching requests get the fault (every one when absent). */
  readonly times?: number;
  readonly fault: Fault;
}

export interface InjectedFault {
  /** Matching requests that got the fault so far. */
  readonly used: number;
  /** Stops the fault for requests that arrive from now on. */
  remove(): void;
}

interface ActiveRule extends FaultRule {
  skipped: number;
  used: number;
  removed: boolean;
}

export class FaultProxy {
  private readonly rules: ActiveRule[] = [];
  private readonly held = new Set<http.ServerResponse>();
  private readonly lateForwards = new Set<Promise<void>>();
  private readonly upstreamAgent = new http.Agent({ keepAlive: true });
  /** Every request seen, by operation, in order. */
  readonly seen: string[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly upstream: URL,
    readonly endpoint: string,
  ) {}

  /** Listens on a free port of 127.0.0.1 and forwards to `upstream` (DynamoDB Local's endpoint). */
  static async start(upstream: string): Promise<FaultProxy> {
    let proxy: FaultProxy | undefined;
    const server = http.createServer((req, res) => proxy!.handle(req, res));
    // A held request is the point: node must not time it out on the proxy's side.
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    proxy = new FaultProxy(server, new URL(upstream), `http://127.0.0.1:${port}`);
    return proxy;
  }

  inject(rule: FaultRule): InjectedFault {
    const active: ActiveRule = { ...rule, skipped: 0, used: 0, removed: false };
    this.rules.push(active);
    return {
      get used() {
        return active.used;
      },
      remove: () => {
        active.removed = true;
      },
    };
  }

  /** Removes every rule; what is held stays held. */
  clear(): void {
    for (const rule of this.rules) rule.removed = true;
    this.rules.length = 0;
  }

  /** Resolves once every late forward so far has reached DynamoDB and been answered. */
  async lateWritesLanded(): Promise<void> {
    while (this.lateForwards.size > 0) await Promise.allSettled([...this.lateForwards]);
  }

  async close(): Promise<void> {
    this.clear();
    for (const res of this.held) res.destroy();
    this.held.clear();
    await Promise.allSettled([...this.lateForwards]);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.upstreamAgent.destroy();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      this.seen.push(operation);
      const rule = this.ruleFor(operation, body.toString('utf8'));
      switch (rule?.fault.kind) {
        case undefined:
          void this.forward(req, body, res);
          return;
        case 'hold':
          this.held.add(res);
          res.on('close', () => this.held.delete(res));
          return;
        case 'late': {
          this.held.add(res);
          res.on('close', () => this.held.delete(res));
          const ms = rule.fault.ms;
          const landed = new Promise<void>((resolve) => setTimeout(resolve, ms))
            .then(() => this.forward(req, body, res))
            .finally(() => this.lateForwards.delete(landed));
          this.lateForwards.add(landed);
          return;
        }
        case 'error':
          res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'injected' }));
          return;
        case 'drop':
          req.socket.destroy();
          return;
      }
    });
  }

  private ruleFor(operation: string, body: string): ActiveRule | undefined {
    const rule = this.rules.find(
      (r) =>
        !r.removed &&
        (r.times === undefined || r.used < r.times) &&
        (r.operation === undefined || [r.operation].flat().includes(operation)) &&
        (r.bodyIncludes === undefined || body.includes(r.bodyIncludes)),
    );
    if (!rule) return undefined;
    if (rule.skipped < (rule.skip ?? 0)) {
      rule.skipped++;
      return undefined;
    }
    rule.used++;
    return rule;
  }

  /** Sends the request on to DynamoDB as it came (DynamoDB Local does not check signatures). */
  private forward(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
    return new Promise<void>((resolve) => {
      const out = http.request(
        {
          host: this.upstream.hostname,
          port: this.upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: this.upstream.host, 'content-length': String(body.length) },
          agent: this.upstreamAgent,
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            this.held.delete(res);
            if (!res.destroyed && !res.writableEnded) {
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(Buffer.concat(parts));
            }
            resolve();
          });
          answer.on('error', () => resolve());
        },
      );
      out.on('error', () => {
        if (!res.destroyed) res.destroy();
        resolve();
      });
      out.end(body);
    });
  }
}
