// The local two-region harness's stand-in for Global Tables replication (docs/multi-region.md §8):
// it tails each DynamoDB Local's stream (StreamTailer) and applies every write to every other
// instance after the link's delay, as AWS does asynchronously, item by item:
// - last writer wins per item, on (time the replicator saw the write, region): an apply is skipped
//   when the target already holds a later write of that key (tracked from every stream);
// - its own applies come back in the target's stream and are recognised, not replicated again;
// - per link (from → to): setDelay, pause and resume, for tests.
// Known gap (stated in the design): LWW is decided on observation time, so a local write racing an
// apply within a few milliseconds can lose to the older replicated one (AWS keeps the newer);
// tests of LWW leave at least 100 ms between the writes.
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { clientAccess, type DynamoDbSettings } from '../src/adapters/dynamodb/dynamoDbSettings.js';
import { StreamTailer, type StreamRecord } from '../src/adapters/dynamodb/StreamTailer.js';

export interface ReplicaInstance {
  /** The region name it stands for. */
  readonly region: string;
  readonly endpoint: string;
}

export interface ReplicatorOptions {
  readonly tableName: string;
  readonly instances: readonly ReplicaInstance[];
  /** Every link's delay, and its jitter: uniform in [delay − jitter, delay + jitter], never below 0. */
  readonly delayMs?: number;
  readonly jitterMs?: number;
  /** How often each stream is read (ms). */
  readonly pollMs?: number;
  readonly onError?: (error: unknown) => void;
}

interface Version {
  readonly ts: number;
  readonly region: string;
}

interface Write {
  readonly keyId: string;
  readonly key: Record<string, AttributeValue>;
  /** Undefined for a removal. */
  readonly image: Record<string, AttributeValue> | undefined;
  readonly version: Version;
}

interface Link {
  delayMs: number;
  jitterMs: number;
  paused: boolean;
  /** Held while paused, in order. */
  readonly held: Write[];
}

/** How long an expected echo of an apply is waited for (an apply that changes nothing has none). */
const ECHO_MEMORY_MS = 30_000;

export class Replicator {
  private readonly clients = new Map<string, DynamoDBClient>();
  private readonly tailers: StreamTailer[] = [];
  private readonly links = new Map<string, Link>();
  /** Per instance, per key: the write it holds (LWW). */
  private readonly holds = new Map<string, Map<string, Version>>();
  /** Per instance: applies whose stream record is still to come back, by key and image. */
  private readonly echoes = new Map<string, Map<string, { fingerprint: string; until: number }[]>>();
  private readonly inFlight = new Set<Promise<void>>();
  private clock = 0;
  /** Writes replicated so far, and those skipped because the target held a later one. */
  applied = 0;
  skipped = 0;

  private constructor(private readonly options: ReplicatorOptions) {}

  /** Starts tailing every instance's stream from now on. */
  static async start(options: ReplicatorOptions): Promise<Replicator> {
    const replicator = new Replicator(options);
    await replicator.begin();
    return replicator;
  }

  private async begin(): Promise<void> {
    const { instances } = this.options;
    for (const from of instances) {
      this.holds.set(from.region, new Map());
      this.echoes.set(from.region, new Map());
      this.clients.set(from.region, new DynamoDBClient({ ...clientAccess(this.settingsOf(from)), maxAttempts: 3 }));
      for (const to of instances) {
        if (to.region !== from.region) {
          this.links.set(linkId(from.region, to.region), { delayMs: this.options.delayMs ?? 500, jitterMs: this.options.jitterMs ?? 0, paused: false, held: [] });
        }
      }
    }
    for (const instance of instances) {
      const tailer = new StreamTailer(this.settingsOf(instance), (records) => this.observed(instance.region, records), {
        pollMs: this.options.pollMs ?? 50,
        from: 'TRIM_HORIZON',
        ...(this.options.onError ? { onError: this.options.onError } : {}),
      });
      await tailer.start();
      this.tailers.push(tailer);
    }
  }

  setDelay(from: string, to: string, delayMs: number, jitterMs = 0): void {
    const link = this.link(from, to);
    link.delayMs = delayMs;
    link.jitterMs = jitterMs;
  }

  /** Holds every write from `from` to `to` until resume (a stalled replication). */
  pause(from: string, to: string): void {
    this.link(from, to).paused = true;
  }

  /** Releases what the link held, each after the link's delay from now. */
  resume(from: string, to: string): void {
    const link = this.link(from, to);
    link.paused = false;
    for (const write of link.held.splice(0)) this.schedule(write, to, link);
  }

  /**
   * Resolves once every write made before the call has been applied everywhere it goes (what a
   * paused link holds excepted): each stream read past now, then every apply scheduled done.
   */
  async settled(): Promise<void> {
    await Promise.all(this.tailers.map((tailer) => tailer.caughtUp()));
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async stop(): Promise<void> {
    await Promise.all(this.tailers.map((tailer) => tailer.stop()));
    await Promise.allSettled([...this.inFlight]);
    for (const client of this.clients.values()) client.destroy();
  }

  private link(from: string, to: string): Link {
    const link = this.links.get(linkId(from, to));
    if (!link) throw new Error(`No replication link ${from} → ${to}`);
    return link;
  }

  private settingsOf(instance: ReplicaInstance): DynamoDbSettings {
    return { tableName: this.options.tableName, region: instance.region, endpoint: instance.endpoint };
  }

  /** Records of `region`'s stream, in order: its own writes are replicated; echoes of applies are not. */
  private async observed(region: string, records: readonly StreamRecord[]): Promise<void> {
    for (const record of records) {
      const key = record.dynamodb?.Keys as Record<string, AttributeValue> | undefined;
      if (!key) continue;
      const keyId = fingerprintOf(key);
      const image = record.eventName === 'REMOVE' ? undefined : (record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined);
      if (this.isEcho(region, keyId, image)) continue;
      // Observation time, strictly increasing, so two writes of one key never tie.
      this.clock = Math.max(this.clock + 1, Date.now());
      const write: Write = { keyId, key, image, version: { ts: this.clock, region } };
      this.holds.get(region)!.set(keyId, write.version);
      for (const [id, link] of this.links) {
        const [from, to] = id.split('→') as [string, string];
        if (from !== region) continue;
        if (link.paused) link.held.push(write);
        else this.schedule(write, to, link);
      }
    }
  }

  private schedule(write: Write, to: string, link: Link): void {
    const delay = Math.max(0, link.delayMs + (Math.random() * 2 - 1) * link.jitterMs);
    const done = new Promise<void>((resolve) => setTimeout(resolve, delay))
      .then(() => this.apply(write, to))
      .catch((error) => this.options.onError?.(error))
      .finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  private async apply(write: Write, to: string): Promise<void> {
    const holds = this.holds.get(to)!;
    const held = holds.get(write.keyId);
    if (held && isLater(held, write.version)) {
      this.skipped++;
      return;
    }
    holds.set(write.keyId, write.version);
    this.expectEcho(to, write.keyId, write.image);
    const client = this.clients.get(to)!;
    const TableName = this.options.tableName;
    if (write.image) await client.send(new PutItemCommand({ TableName, Item: write.image }));
    else await client.send(new DeleteItemCommand({ TableName, Key: write.key }));
    this.applied++;
  }

  private expectEcho(region: string, keyId: string, image: Record<string, AttributeValue> | undefined): void {
    const echoes = this.echoes.get(region)!;
    const now = Date.now();
    const pending = (echoes.get(keyId) ?? []).filter((echo) => echo.until > now);
    pending.push({ fingerprint: image ? fingerprintOf(image) : 'REMOVE', until: now + ECHO_MEMORY_MS });
    echoes.set(keyId, pending);
  }

  private isEcho(region: string, keyId: string, image: Record<string, AttributeValue> | undefined): boolean {
    const echoes = this.echoes.get(region)!;
    const pending = echoes.get(keyId);
    if (!pending) return false;
    const fingerprint = image ? fingerprintOf(image) : 'REMOVE';
    const index = pending.findIndex((echo) => echo.fingerprint === fingerprint);
    if (index < 0) return false;
    pending.splice(index, 1);
    if (pending.length === 0) echoes.delete(keyId);
    return true;
  }
}

function linkId(from: string, to: string): string {
  return `${from}→${to}`;
}

function isLater(a: Version, b: Version): boolean {
  return a.ts > b.ts || (a.ts === b.ts && a.region > b.region);
}

/** The same item always gives the same string, whatever the order of its attributes. */
function fingerprintOf(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}
