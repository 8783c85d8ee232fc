// TransactWriteItems and what its cancellation means. Conditions that failed are reported per
// item, in order; a conflict with another transaction is worth a quick retry, nothing else is.
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { backoff, errorName, unavailable, type DynamoDbTable, type Item } from './DynamoDbTable.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit on the items of one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;

export type TransactionOutcome =
  | { readonly committed: true }
  /** Per item: whether its condition failed, and the item as it stood when one was asked for. */
  | { readonly committed: false; readonly failed: readonly boolean[]; readonly items: readonly (Item | undefined)[] };

/** Rounds lost to concurrent transactions on the same items before answering 503. */
const CONFLICT_ROUNDS = 4;

interface CancellationReason {
  Code?: string;
  Item?: Record<string, unknown>;
}

export async function transact(table: DynamoDbTable, items: readonly TransactItem[]): Promise<TransactionOutcome> {
  for (let round = 0; ; round++) {
    try {
      await table.send(new TransactWriteCommand({ TransactItems: [...items] }));
      return { committed: true };
    } catch (error) {
      const name = errorName(error);
      if (name !== 'TransactionCanceledException' && name !== 'TransactionConflictException') throw error;
      const reasons = ((error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? []).map(
        (reason) => reason ?? {},
      );
      const failed = items.map((_, i) => reasons[i]?.Code === 'ConditionalCheckFailed');
      if (failed.some(Boolean)) {
        return {
          committed: false,
          failed,
          items: items.map((_, i) => {
            const item = reasons[i]?.Item;
            return item ? (unmarshall(item as never) as Item) : undefined;
          }),
        };
      }
      // Only conflicts (or throttling inside the transaction) remain: all or nothing was written, so
      // trying again is safe.
      if (round + 1 >= CONFLICT_ROUNDS) throw unavailable();
      await backoff(round + 1);
    }
  }
}
