import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BlockRepository } from '../../ports/BlockRepository.js';
import type { DynamoDbTable } from './DynamoDbTable.js';
import { keys, userPartition } from './keys.js';

const BLOCKED_BY = 'BLOCKEDBY#';

/**
 * A block is one item in the blocked user's partition, so everyone who has blocked a sender is
 * one Query of the sender's partition: what a group send and a group creation need.
 */
export class DynamoDbBlockRepository implements BlockRepository {
  constructor(private readonly table: DynamoDbTable) {}

  async block(blockerId: string, blockedId: string): Promise<void> {
    await this.table.send(new PutCommand({ TableName: this.table.name, Item: keys.blockedBy(blockedId, blockerId) }));
  }

  async unblock(blockerId: string, blockedId: string): Promise<void> {
    await this.table.send(new DeleteCommand({ TableName: this.table.name, Key: keys.blockedBy(blockedId, blockerId) }));
  }

  async blockersAmong(userId: string, candidateIds: readonly string[]): Promise<Set<string>> {
    const items = await this.table.query({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': userPartition(userId), ':prefix': BLOCKED_BY },
      ProjectionExpression: 'SK',
      ConsistentRead: true,
    });
    const blockers = new Set(items.map((item) => (item.SK as string).slice(BLOCKED_BY.length)));
    return new Set(candidateIds.filter((id) => blockers.has(id)));
  }
}
