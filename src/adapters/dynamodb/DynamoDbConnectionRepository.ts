// A connection is two items written together: one in its user's partition (so a push finds all of
// a user's connections with one Query, oldest first) and one under its own id (so $disconnect,
// which knows only the id, finds it). Both expire by TTL when API Gateway would have closed it.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Connection } from '../../core/Connection.js';
import type { ConnectionRepository } from '../../ports/ConnectionRepository.js';
import type { DynamoDbTable, Item } from './DynamoDbTable.js';
import { keys, ttlSeconds, userPartition } from './keys.js';
import { transact, type TransactItem } from './transactions.js';

const CONNECTION = 'CONN#';

export class DynamoDbConnectionRepository implements ConnectionRepository {
  constructor(private readonly table: DynamoDbTable) {}

  async add(connection: Connection, maxPerUser: number): Promise<Connection[]> {
    const ttl = ttlSeconds(connection.expiresAt);
    const userSide = keys.userConnection(connection.userId, connection.connectedAt, connection.id);
    await transact(this.table, [
      { Put: { TableName: this.table.name, Item: { ...userSide, ...fields(connection), ttl } } },
      { Put: { TableName: this.table.name, Item: { ...keys.connection(connection.id), ...fields(connection), userSk: userSide.SK, ttl } } },
    ]);
    const all = await this.ofUser(connection.userId);
    const evicted = all.slice(0, Math.max(0, all.length - maxPerUser));
    if (evicted.length > 0) await transact(this.table, evicted.flatMap((old) => this.deletions(old)));
    return evicted;
  }

  async remove(connectionId: string): Promise<void> {
    const { Item: item } = await this.table.send<{ Item?: Item }>(
      new GetCommand({ TableName: this.table.name, Key: keys.connection(connectionId), ConsistentRead: true }),
    );
    if (item) await transact(this.table, this.deletions(connectionOf(item)));
  }

  async forUser(userId: string, now: number): Promise<Connection[]> {
    return (await this.ofUser(userId)).filter((c) => c.expiresAt > now);
  }

  /** Oldest first: the sort key starts with the time it opened. */
  private async ofUser(userId: string): Promise<Connection[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': userPartition(userId), ':prefix': CONNECTION },
      ConsistentRead: true,
    });
    return items.map(connectionOf);
  }

  private deletions(connection: Connection): TransactItem[] {
    return [
      { Delete: { TableName: this.table.name, Key: keys.userConnection(connection.userId, connection.connectedAt, connection.id) } },
      { Delete: { TableName: this.table.name, Key: keys.connection(connection.id) } },
    ];
  }
}

function fields(connection: Connection): Item {
  return { connectionId: connection.id, userId: connection.userId, connectedAt: connection.connectedAt, expiresAt: connection.expiresAt };
}

function connectionOf(item: Item): Connection {
  return {
    id: item.connectionId as string,
    userId: item.userId as string,
    connectedAt: item.connectedAt as number,
    expiresAt: item.expiresAt as number,
  };
}
