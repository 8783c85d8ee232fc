// Counts the DynamoDB requests a client sends (one per command, before the SDK's own retries),
// the IAM actions they need and the capacity they consume (ReturnConsumedCapacity on every
// request), through a middleware on the client.
import type { DynamoDbTable } from '../../src/adapters/dynamodb/DynamoDbTable.js';

/** A transaction needs the item-level action of each kind of item in it. */
const TRANSACTION_ITEM_ACTIONS: Record<string, string> = {
  ConditionCheck: 'ConditionCheckItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
};
const READS = new Set(['GetItem', 'Query', 'BatchGetItem']);

export interface Usage {
  readonly calls: string[];
  /** The units each call consumed, in the order of `calls`. */
  readonly units: number[];
  /** As DynamoDB Local reports them (0 for a read that finds nothing). */
  readonly readUnits: number;
  readonly writeUnits: number;
}

export class CallRecorder {
  calls: string[] = [];
  units: number[] = [];
  readUnits = 0;
  writeUnits = 0;
  readonly actions = new Set<string>();

  constructor(table: DynamoDbTable) {
    table.client.middlewareStack.add(
      (next, context) => async (args) => {
        // The low-level operation's name (the document client's commands share this stack).
        const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
        this.calls.push(operation);
        const index = this.units.push(0) - 1;
        if (operation === 'BatchExecuteStatement') {
          // Authorised per statement, by its kind (PartiQLInsert, PartiQLSelect...).
          for (const { Statement } of (args.input as { Statements?: { Statement: string }[] }).Statements ?? []) {
            const verb = Statement.trim().split(/\s+/)[0]!.toLowerCase();
            this.actions.add(`dynamodb:PartiQL${verb[0]!.toUpperCase()}${verb.slice(1)}`);
          }
        } else if (operation === 'TransactWriteItems') {
          const items = (args.input as { TransactItems?: Record<string, unknown>[] }).TransactItems ?? [];
          for (const item of items) {
            for (const kind of Object.keys(item)) this.actions.add(`dynamodb:${TRANSACTION_ITEM_ACTIONS[kind] ?? kind}`);
          }
        } else {
          this.actions.add(`dynamodb:${operation}`);
        }
        (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
        const units = [consumed ?? []].flat().reduce((sum: number, c) => sum + ((c as { CapacityUnits?: number }).CapacityUnits ?? 0), 0);
        this.units[index] = units;
        if (READS.has(operation)) this.readUnits += units;
        else this.writeUnits += units;
        return result;
      },
      { step: 'initialize', name: 'recordCalls' },
    );
  }

  /** The calls `work` made. */
  async count(work: () => Promise<unknown>): Promise<string[]> {
    return (await this.usage(work)).calls;
  }

  /** The calls `work` made and the units they consumed. */
  async usage(work: () => Promise<unknown>): Promise<Usage> {
    const [calls, reads, writes] = [this.calls.length, this.readUnits, this.writeUnits];
    await work();
    return { calls: this.calls.slice(calls), units: this.units.slice(calls), readUnits: this.readUnits - reads, writeUnits: this.writeUnits - writes };
  }
}
