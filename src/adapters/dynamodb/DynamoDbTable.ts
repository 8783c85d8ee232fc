// The one table, as the repositories use it: a document client bound to the table's name, and
// the few loops every repository needs done right once: follow LastEvaluatedKey, retry
// UnprocessedKeys and UnprocessedItems with backoff and a bound, and turn throttling and outages
// (once the SDK's own retries are spent) into 503 unavailable with Retry-After.
import {
  BatchGetCommand,
  BatchWriteCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { setTimeout as delay } from 'node:timers/promises';
import { DomainError } from '../../core/DomainError.js';
import { FENCE_MS, worstCaseMs, type CallLimits } from './createDynamoDbTable.js';
import type { Key } from './keys.js';

/** Items of a batch that DynamoDB left unprocessed get this many more rounds, with backoff. */
const BATCH_ROUNDS = 6;
/** BatchGetItem takes at most 100 keys, BatchWriteItem at most 25 items (DynamoDB limits). */
const GET_BATCH = 100;
const WRITE_BATCH = 25;
/** Batches sent at once: enough to fan out to 1,023 inboxes in a few round trips, few enough not to self-throttle. */
const PARALLEL_BATCHES = 4;

export type Item = Record<string, unknown>;

/** Errors that mean "DynamoDB could not serve this now", left after the SDK's retries. */
const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'AbortError',
]);

/** What a caller may ask of one call. */
export interface CallOptions {
  /** The longest the call may take, attempts and pauses included (default: the client's worst case). */
  readonly withinMs?: number;
  /** A fence after a write given up on: it may use the time a request keeps for one. */
  readonly fence?: boolean;
}

/** The call ran out of its time: abandoned, whatever the SDK was doing. */
class CallTimedOut extends Error {
  override readonly name = 'CallTimedOut';
}

export function unavailable(retryAfterSeconds = 1): DomainError {
  return new DomainError('unavailable', 'Storage is busy or unreachable; try again shortly.', undefined, retryAfterSeconds);
}

/** A failure this table reported as 503 unavailable (a call that failed or had no answer in time). */
export function isUnavailable(error: unknown): boolean {
  return error instanceof DomainError && error.code === 'unavailable';
}

export function errorName(error: unknown): string {
  const e = error as { name?: unknown; code?: unknown };
  return typeof e?.name === 'string' && e.name !== 'Error' ? e.name : typeof e?.code === 'string' ? e.code : '';
}

export class DynamoDbTable {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly name: string,
    /** The SDK's limits on each call (createDynamoDbTable), which the inbox's timing depends on. */
    readonly callLimits: CallLimits,
    /** What the current request has left, in milliseconds (Infinity outside a request). */
    private readonly timeLeft: () => number = () => Infinity,
    /**
     * With several regions, the region of this replica: inbox items written through it carry it as
     * `or` (docs/multi-region.md, D8). Undefined in one region, where items stay as they were.
     */
    readonly origin?: string,
  ) {}

  /**
   * Sends a command; a transient failure becomes 503 unavailable, anything else is thrown as is.
   * The call answers within its limit whatever the network does: past it the SDK is aborted and
   * the caller gets unavailable (the request may still have reached DynamoDB: see fences).
   */
  async send<Output>(command: { readonly input: object }, options: CallOptions = {}): Promise<Output> {
    const limitMs = this.limitOf(options);
    if (limitMs <= 0) throw unavailable(); // the request has no time left for this call
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new CallTimedOut());
      }, limitMs);
    });
    try {
      return (await Promise.race([this.client.send(command as never, { abortSignal: abort.signal }), timedOut])) as Output;
    } catch (error) {
      if (error instanceof CallTimedOut || TRANSIENT.has(errorName(error))) throw unavailable();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The call's own limit, cut to what the request has left (less a fence's time, unless it is one). */
  private limitOf(options: CallOptions): number {
    const own = options.withinMs ?? (options.fence ? FENCE_MS : worstCaseMs(this.callLimits));
    return Math.min(own, this.timeLeft() - (options.fence ? 0 : FENCE_MS));
  }

  /** Every item a Query matches, up to `max`, following LastEvaluatedKey past DynamoDB's 1 MB pages. */
  async query(input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>, max = Infinity): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const remaining = max - items.length;
      const page = await this.send<{ Items?: Item[]; LastEvaluatedKey?: Record<string, unknown> }>(
        new QueryCommand({
          ...input,
          TableName: this.name,
          ...(Number.isFinite(remaining) ? { Limit: remaining } : {}),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start && items.length < max);
    return items;
  }

  /**
   * The items at `keys` that exist (strongly consistent), in no particular order: batches of 100
   * keys, a few at once (they do not depend on each other).
   */
  async getMany(keys: readonly Key[], projection?: string, options: CallOptions = {}): Promise<Item[]> {
    const found: Item[] = [];
    await inBatches(keys, GET_BATCH, async (batch) => {
      let pending: readonly Key[] = batch;
      for (let round = 0; pending.length > 0; round++) {
        if (round > BATCH_ROUNDS) throw unavailable();
        if (round > 0) await backoff(round);
        const answer = await this.send<{ Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, { Keys?: Key[] }> }>(
          new BatchGetCommand({
            RequestItems: {
              [this.name]: {
                Keys: [...pending],
                ConsistentRead: true,
                ...(projection ? { ProjectionExpression: projection } : {}),
              },
            },
          }),
          options,
        );
        found.push(...(answer.Responses?.[this.name] ?? []));
        pending = answer.UnprocessedKeys?.[this.name]?.Keys ?? [];
      }
    });
    return found;
  }

  /**
   * Writes (puts or deletes) in batches of 25, a few at a time. Answers the requests DynamoDB
   * still left unprocessed after one attempt each; the caller decides how to retry them.
   */
  private async writeOnce(requests: readonly WriteRequest[]): Promise<WriteRequest[]> {
    const unprocessed: WriteRequest[] = [];
    await inBatches(requests, WRITE_BATCH, async (batch) => {
      const answer = await this.send<{ UnprocessedItems?: Record<string, WriteRequest[]> }>(
        new BatchWriteCommand({ RequestItems: { [this.name]: batch } }),
      );
      unprocessed.push(...(answer.UnprocessedItems?.[this.name] ?? []));
    });
    return unprocessed;
  }

  /** Writes every request, retrying the unprocessed ones with backoff; 503 if some never go through. */
  async writeAll(requests: readonly WriteRequest[]): Promise<void> {
    let pending: readonly WriteRequest[] = requests;
    for (let round = 0; pending.length > 0; round++) {
      if (round > BATCH_ROUNDS) throw unavailable();
      if (round > 0) await backoff(round);
      pending = await this.writeOnce(pending);
    }
  }
}

/**
 * Calls `call` on `items` in batches of `size`, PARALLEL_BATCHES at a time. Settled, not raced:
 * after a failure no further batch starts, and the failure is thrown only once every call already
 * started has ended, so a caller that retries, fences or hands over the work knows nothing of this
 * is still in flight.
 */
export async function inBatches<T>(items: readonly T[], size: number, call: (batch: T[]) => Promise<void>): Promise<void> {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < batches.length && !failed) {
      try {
        await call(batches[next++]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(PARALLEL_BATCHES, batches.length) }, worker));
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}

export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };

/** Exponential backoff with full jitter: 50 ms, 100 ms, 200 ms... (AWS's advice for batch retries). */
export function backoff(round: number): Promise<void> {
  return delay(Math.random() * 50 * 2 ** (round - 1));
}
