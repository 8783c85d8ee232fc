import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { BlockRepository } from '../../ports/BlockRepository.js';
import type { DynamoDbTable, Item } from './DynamoDbTable.js';
import { keys, userPartition } from './keys.js';

const BLOCKED_BY = 'BLOCKEDBY#';
/**
 * A block item is about 80 bytes: one strongly consistent read unit (4 KB) covers 50 of them in a
 * Query, where a BatchGetItem pays a unit per key. So the sender's blocks are read by one Query
 * while there are at most this many per candidate (a Query of 10 × 1,023 items is under 1 MB and
 * about 200 units); past that, a sender blocked by many is asked only about the candidates' keys.
 */
const QUERIED_PER_CANDIDATE = 10;
const QUERIED_AT_LEAST = 100;

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

  /**
   * Costs at most about 1.2 read units per candidate, however many users blocked `userId`: one
   * Query of a bounded number of their block items, and, when there are more, one read of exactly
   * the candidates' keys instead (a spammer blocked by 100,000 users was a 6 MB read per send).
   */
  async blockersAmong(userId: string, candidateIds: readonly string[]): Promise<Set<string>> {
    const candidates = [...new Set(candidateIds)];
    if (candidates.length === 0) return new Set();
    const page = await this.table.send<{ Items?: Item[]; LastEvaluatedKey?: unknown }>(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': userPartition(userId), ':prefix': BLOCKED_BY },
        ProjectionExpression: 'SK',
        ConsistentRead: true,
        Limit: Math.max(QUERIED_AT_LEAST, candidates.length * QUERIED_PER_CANDIDATE),
      }),
    );
    const found = page.LastEvaluatedKey
      ? await this.table.getMany(candidates.map((id) => keys.blockedBy(userId, id)), 'SK')
      : (page.Items ?? []);
    const blockers = new Set(found.map((item) => (item.SK as string).slice(BLOCKED_BY.length)));
    return new Set(candidates.filter((id) => blockers.has(id)));
  }
}
