// The history measurement on DynamoDB Local: each inbox in an emulator of its own (DynamoDB Local
// stalled, at full CPU, filling a fourth table in one process on this machine), filled with
// BatchWriteItem (the fill is not what is measured), polled through the DynamoDB adapter.
import { startDynamoDbLocal } from '../scripts/dynamoDbLocal.mjs';
import { createDynamoDbTable } from '../src/adapters/dynamodb/createDynamoDbTable.js';
import { DynamoDbMessageRepository } from '../src/adapters/dynamodb/DynamoDbMessageRepository.js';
import type { DynamoDbTable, WriteRequest } from '../src/adapters/dynamodb/DynamoDbTable.js';
import { ensureTable } from '../src/adapters/dynamodb/ensureTable.js';
import { inboxItem } from '../src/adapters/dynamodb/inboxItems.js';
import { SystemClock } from '../src/adapters/runtime/SystemClock.js';
import type { MessageRepository } from '../src/ports/MessageRepository.js';
import type { HistoryStore } from './historyCost.js';

interface Opened {
  readonly table: DynamoDbTable;
  readonly stop: () => Promise<void>;
}

export function dynamoDbHistoryStore(): HistoryStore {
  const opened = new Map<MessageRepository, Opened>();
  return {
    name: 'DynamoDB Local',
    async open() {
      const local = await startDynamoDbLocal();
      try {
        const settings = { tableName: 'history', region: 'local', endpoint: local.endpoint };
        await ensureTable(settings);
        const table = createDynamoDbTable(settings);
        const messages = new DynamoDbMessageRepository(table, new SystemClock());
        opened.set(messages, { table, stop: () => local.stop() });
        return messages;
      } catch (error) {
        await local.stop();
        throw error;
      }
    },
    async close(messages) {
      await opened.get(messages)?.stop();
      opened.delete(messages);
    },
    async fill(messages, userId, history) {
      const { table } = opened.get(messages)!;
      const requests = history.map((message): WriteRequest => ({ PutRequest: { Item: inboxItem(userId, message) } }));
      for (let i = 0; i < requests.length; i += 1000) await table.writeAll(requests.slice(i, i + 1000));
    },
  };
}
