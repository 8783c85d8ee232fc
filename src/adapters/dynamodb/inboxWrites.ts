// Inbox writes that a fence can stop. A PartiQL INSERT fails with DuplicateItem when its key is
// taken, so it is a conditional put, and BatchExecuteStatement sends 25 of them in one call at the
// write units of BatchWriteItem (whose puts carry no condition and would overwrite a fence).
// When a write is given up on (no answer in time), a tombstone is inserted at its key: if the
// tombstone goes in, the late write fails whenever it arrives; if the key is already taken, the
// write landed, before the fence's answer.
import { BatchExecuteStatementCommand } from '@aws-sdk/lib-dynamodb';
import { inBatches, isUnavailable, type CallOptions, type DynamoDbTable, type Item } from './DynamoDbTable.js';
import { isTombstone, TOMBSTONE, tombstoneItem } from './inboxItems.js';
import { keyOf, type Key } from './keys.js';

/** BatchExecuteStatement takes at most 25 statements (DynamoDB limit); four calls run at once (inBatches). */
const STATEMENTS_PER_CALL = 25;
/** Statement errors that mean "not done, try again": throttling, a transient fault, a conflict. */
const RETRYABLE = new Set([
  'ProvisionedThroughputExceeded',
  'ThrottlingError',
  'RequestLimitExceeded',
  'InternalServerError',
  'TransactionConflict',
]);

export interface InsertOutcome {
  /** Written now. */
  readonly written: Item[];
  /** The key was taken already: by an earlier attempt of this very write, or by a fence. */
  readonly taken: Item[];
  /** DynamoDB declined these (throttling and the like): not written, safe to send again. */
  readonly retry: Item[];
  /** The call carrying these had no answer in time: they may still land, until fenced. */
  readonly givenUp: Item[];
}

/**
 * Inserts `items` (each only if its key is free), 25 per call, a few calls at once. A call that
 * has no answer in time puts its items in givenUp; the others still run to their end, so when this
 * resolves nothing it sent is in flight but what givenUp lists. Any other failure is thrown once
 * every call started has ended (DynamoDbTable's inBatches).
 */
export async function insertItems(table: DynamoDbTable, items: readonly Item[], options: CallOptions = {}): Promise<InsertOutcome> {
  const outcome: InsertOutcome = { written: [], taken: [], retry: [], givenUp: [] };
  await inBatches(items, STATEMENTS_PER_CALL, async (batch) => {
    let responses: { Error?: { Code?: string } }[];
    try {
      responses = (
        await table.send<{ Responses?: { Error?: { Code?: string } }[] }>(
          new BatchExecuteStatementCommand({ Statements: batch.map((item) => insertStatement(table.name, item)) }),
          options,
        )
      ).Responses ?? [];
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      outcome.givenUp.push(...batch);
      return;
    }
    batch.forEach((item, i) => {
      const code = responses[i]?.Error?.Code;
      if (code === undefined) outcome.written.push(item);
      else if (code === 'DuplicateItem') outcome.taken.push(item);
      else if (RETRYABLE.has(code)) outcome.retry.push(item);
      else throw new Error(`INSERT of an inbox item failed: ${code}`);
    });
  });
  return outcome;
}

export interface FenceOutcome {
  /** A tombstone holds the key: a late write there fails. */
  readonly fenced: Key[];
  /** A real item was there before the fence: the write landed. */
  readonly landed: Key[];
  /** The fence itself had no answer: a late write may still land there. */
  readonly unknown: Key[];
}

/** Puts a tombstone at each free key of `keys`, and tells which keys already hold a real item. */
export async function fenceKeys(table: DynamoDbTable, keys: readonly Key[], now: number): Promise<FenceOutcome> {
  const fenced: Key[] = [];
  const landed: Key[] = [];
  const unknown: Key[] = [];
  let pending: Item[] = keys.map((key) => tombstoneItem(key, now));
  for (let round = 0; pending.length > 0 && round < 3; round++) {
    const outcome = await insertItems(table, pending, { fence: true });
    fenced.push(...outcome.written.map(keyOf));
    unknown.push(...outcome.givenUp.map(keyOf));
    if (outcome.taken.length > 0) {
      // Taken by the write itself, or by an earlier fence: one read tells them apart (rare).
      const taken = outcome.taken.map(keyOf);
      try {
        const found = await table.getMany(taken, `PK, SK, ${TOMBSTONE}`, { fence: true });
        const real = new Set(found.filter((item) => !isTombstone(item)).map((item) => `${item.PK}\u0000${item.SK}`));
        for (const key of taken) (real.has(`${key.PK}\u0000${key.SK}`) ? landed : fenced).push(key);
      } catch {
        unknown.push(...taken);
      }
    }
    pending = outcome.retry;
  }
  unknown.push(...pending.map(keyOf));
  return { fenced, landed, unknown };
}

/** `INSERT INTO "table" VALUE {'a': ?, ...}` with the item's values as parameters. */
function insertStatement(tableName: string, item: Item): { Statement: string; Parameters: unknown[] } {
  const names = Object.keys(item).filter((name) => item[name] !== undefined);
  return {
    // Attribute names are this adapter's own constants and table names allow no quotes.
    Statement: `INSERT INTO "${tableName}" VALUE {${names.map((name) => `'${name}': ?`).join(', ')}}`,
    Parameters: names.map((name) => item[name]),
  };
}
