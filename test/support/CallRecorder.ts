// Counts the DynamoDB requests a client sends (one per command, before the SDK's own retries)
// and the IAM actions they need, through a middleware on the client.
import type { DynamoDbTable } from '../../src/adapters/dynamodb/DynamoDbTable.js';

/** A transaction needs the item-level action of each kind of item in it. */
const TRANSACTION_ITEM_ACTIONS: Record<string, string> = {
  ConditionCheck: 'ConditionCheckItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
};

export class CallRecorder {
  calls: string[] = [];
  readonly actions = new Set<string>();

  constructor(table: DynamoDbTable) {
    table.client.middlewareStack.add(
      (next, context) => async (args) => {
        // The low-level operation's name (the document client's commands share this stack).
        const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
        this.calls.push(operation);
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
        return next(args);
      },
      { step: 'initialize', name: 'recordCalls' },
    );
  }

  /** The calls `work` made. */
  async count(work: () => Promise<unknown>): Promise<string[]> {
    const before = this.calls.length;
    await work();
    return this.calls.slice(before);
  }
}
