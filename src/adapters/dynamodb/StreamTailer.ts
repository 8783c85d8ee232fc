// Reads a table's stream the way a Lambda event source mapping does, for what runs off AWS: the
// local two-region harness's replicator (scripts/replicator.ts) and each local "region" server's
// push consumer. DynamoDB Local serves the Streams API on its own endpoint (checked with the
// loopback launcher: ListStreams, DescribeStream, GetShardIterator, GetRecords all work), one
// record per write, in write order per shard. Shards are followed as they come (a child starts
// from its beginning once found), records of one shard are handed over one batch at a time, in
// order, and a failing read is tried again on the next tick.
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { clientAccess, type DynamoDbSettings } from './dynamoDbSettings.js';

export type StreamRecord = _Record;

export interface StreamTailerOptions {
  /** Pause between reads of each shard (Lambda's event source mapping polls about 4 times a second). */
  readonly pollMs?: number;
  /** Where shards present at start are read from: only what comes next (default), or all they hold. */
  readonly from?: 'LATEST' | 'TRIM_HORIZON';
  /** Told of a read that failed (it is tried again). */
  readonly onError?: (error: unknown) => void;
}

/** How often the shard list is read again for new (child) shards. */
const DESCRIBE_EVERY_MS = 1_000;

interface Shard {
  iterator: string | undefined;
  lastSequence: string | undefined;
  finished: boolean;
}

export class StreamTailer {
  private readonly client: DynamoDBStreamsClient;
  private readonly shards = new Map<string, Shard>();
  private streamArn: string | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private lastDescribe = 0;
  /** Waiting for the next read of every shard that starts after they asked (caughtUp). */
  private waiting: (() => void)[] = [];

  constructor(
    private readonly settings: DynamoDbSettings,
    private readonly onRecords: (records: readonly StreamRecord[]) => Promise<void>,
    private readonly options: StreamTailerOptions = {},
  ) {
    this.client = new DynamoDBStreamsClient({ ...clientAccess(settings), maxAttempts: 1 });
  }

  /** Resolves once every present shard has an iterator: writes from then on are seen. */
  async start(): Promise<void> {
    const { Streams } = await this.client.send(new ListStreamsCommand({ TableName: this.settings.tableName }));
    this.streamArn = Streams?.[0]?.StreamArn;
    if (!this.streamArn) throw new Error(`Table ${this.settings.tableName} has no stream`);
    await this.describe(this.options.from ?? 'LATEST');
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    this.client.destroy();
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  /** Resolves once every shard has been read (and its records handed over) from now on. */
  caughtUp(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private async run(): Promise<void> {
    const pollMs = this.options.pollMs ?? 100;
    while (!this.stopped) {
      const answered = this.waiting.splice(0);
      try {
        if (Date.now() - this.lastDescribe > DESCRIBE_EVERY_MS) await this.describe('TRIM_HORIZON');
        for (const [shardId, shard] of this.shards) {
          if (!shard.finished && !this.stopped) await this.read(shardId, shard);
        }
      } catch (error) {
        this.options.onError?.(error);
      }
      for (const resolve of answered) resolve();
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** New shards get an iterator: `from` for those present at start, their beginning for children. */
  private async describe(from: 'LATEST' | 'TRIM_HORIZON'): Promise<void> {
    this.lastDescribe = Date.now();
    const { StreamDescription } = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const id = shard.ShardId!;
      if (this.shards.has(id)) continue;
      // A child waits for its parent to be read to its end, so one key's records stay in order.
      const parent = shard.ParentShardId && this.shards.get(shard.ParentShardId);
      if (parent && !parent.finished) continue;
      const { ShardIterator } = await this.client.send(
        new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: id, ShardIteratorType: from }),
      );
      this.shards.set(id, { iterator: ShardIterator, lastSequence: undefined, finished: ShardIterator === undefined });
    }
  }

  private async read(shardId: string, shard: Shard): Promise<void> {
    if (!shard.iterator) {
      // Expired or lost: from just after the last record handed over (or the shard's start).
      const { ShardIterator } = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: shardId,
          ...(shard.lastSequence
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: shard.lastSequence }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      shard.iterator = ShardIterator;
      if (!shard.iterator) {
        shard.finished = true;
        return;
      }
    }
    let answer;
    try {
      answer = await this.client.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }));
    } catch (error) {
      shard.iterator = undefined;
      throw error;
    }
    const records = answer.Records ?? [];
    if (records.length > 0) {
      await this.onRecords(records);
      shard.lastSequence = records[records.length - 1]!.dynamodb?.SequenceNumber;
    }
    shard.iterator = answer.NextShardIterator;
    if (!shard.iterator) shard.finished = true;
  }
}
