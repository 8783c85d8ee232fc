// A user's connections are one item, `CONNS` in their partition: a map from connection id to when
// it opened and expires, and a version. Every connect reads it and writes it back at the version it
// read, so concurrent connects of one user are serialised by DynamoDB itself: at most ten stay,
// whatever races, and each connect costs a bounded number of calls. Each connection also has an
// item under its own id, for $disconnect, which knows only the id: written before the map, and
// deleted again if the connect fails. All items expire by TTL.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { byAge, type Connection } from '../../core/Connection.js';
import type { ConnectionRepository } from '../../ports/ConnectionRepository.js';
import { backoff, errorName, unavailable, type DynamoDbTable, type Item } from './DynamoDbTable.js';
import { keys, ttlSeconds } from './keys.js';

/**
 * Rounds of read-and-write a connect gets when other connects of the same user keep winning: a
 * few, with jittered backoff (enough for a user's devices reconnecting together), then 503 with
 * Retry-After. A burst of connects costs at most this many reads and conditional writes each, and
 * the losers leave nothing behind.
 */
const ADD_ROUNDS = 3;

interface Entry {
  /** connectedAt */
  readonly at: number;
  /** expiresAt */
  readonly exp: number;
}

export class DynamoDbConnectionRepository implements ConnectionRepository {
  constructor(private readonly table: DynamoDbTable) {}

  async add(connection: Connection, maxPerUser: number): Promise<Connection[]> {
    await this.table.send(
      new PutCommand({
        TableName: this.table.name,
        Item: { ...keys.connection(connection.id), userId: connection.userId, ttl: ttlSeconds(connection.expiresAt) },
      }),
    );
    let dropped: Connection[];
    try {
      dropped = await this.record(connection, maxPerUser);
    } catch (error) {
      // Not recorded: its own item goes too (or, if this fails as well, expires by TTL; nothing reads it).
      await this.deleteItemOf(connection.id).catch(() => undefined);
      throw error;
    }
    // From here on the outcome is decided: a delete that fails leaves an item nothing reads, which
    // expires by TTL; it must not fail a connect that is recorded (or the caller would not close
    // the connections it replaced).
    if (dropped.includes(connection)) {
      await this.deleteItemOf(connection.id).catch(() => undefined);
      return [connection];
    }
    // No longer in the map, so nothing pushes to them; their own items would expire by TTL otherwise.
    await Promise.allSettled(dropped.map((old) => this.deleteItemOf(old.id)));
    return dropped;
  }

  /** Writes `connection` into its user's map at the version read; answers what it dropped (itself, if ten are newer). */
  private async record(connection: Connection, maxPerUser: number): Promise<Connection[]> {
    for (let round = 1; ; round++) {
      const { Item: item } = await this.table.send<{ Item?: Item }>(
        new GetCommand({ TableName: this.table.name, Key: keys.connections(connection.userId), ConsistentRead: true }),
      );
      const mine = [...connectionsOf(connection.userId, item), connection].sort(byAge);
      const expired = mine.filter((c) => c.expiresAt <= connection.connectedAt);
      const live = mine.filter((c) => c.expiresAt > connection.connectedAt);
      const dropped = [...expired, ...live.slice(0, Math.max(0, live.length - maxPerUser))].sort(byAge);
      // Ten newer ones already: this one is not recorded, and nothing else changes.
      if (dropped.includes(connection)) return [connection];
      const kept = live.filter((c) => !dropped.includes(c));
      const version = item?.v as number | undefined;
      try {
        await this.table.send(
          new PutCommand({
            TableName: this.table.name,
            Item: {
              ...keys.connections(connection.userId),
              conns: Object.fromEntries(kept.map((c) => [c.id, { at: c.connectedAt, exp: c.expiresAt } satisfies Entry])),
              v: (version ?? 0) + 1,
              ttl: ttlSeconds(Math.max(...kept.map((c) => c.expiresAt))),
            },
            ...(version === undefined
              ? { ConditionExpression: 'attribute_not_exists(PK)' }
              : { ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': version } }),
          }),
        );
        return dropped;
      } catch (error) {
        if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
      }
      // Another connect (or a disconnect) of this user wrote in between: read again.
      if (round >= ADD_ROUNDS) throw unavailable();
      await backoff(round);
    }
  }

  private async deleteItemOf(connectionId: string): Promise<void> {
    await this.table.send(new DeleteCommand({ TableName: this.table.name, Key: keys.connection(connectionId) }));
  }

  async remove(connectionId: string): Promise<void> {
    const { Item: item } = await this.table.send<{ Item?: Item }>(
      new GetCommand({ TableName: this.table.name, Key: keys.connection(connectionId), ConsistentRead: true }),
    );
    if (!item) return;
    try {
      // The version moves too, so a connect that read the map before this does not write it back.
      await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.connections(item.userId as string),
          UpdateExpression: 'REMOVE conns.#id SET v = v + :one',
          ConditionExpression: 'attribute_exists(conns.#id)',
          ExpressionAttributeNames: { '#id': connectionId },
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
    }
    await this.deleteItemOf(connectionId);
  }

  /** Eventually consistent, at half the price: a push is a hint (SPEC 8). */
  async forUser(userId: string): Promise<Connection[]> {
    const { Item: item } = await this.table.send<{ Item?: Item }>(
      new GetCommand({ TableName: this.table.name, Key: keys.connections(userId) }),
    );
    return connectionsOf(userId, item).sort(byAge);
  }
}

function connectionsOf(userId: string, item: Item | undefined): Connection[] {
  const entries = (item?.conns ?? {}) as Record<string, Entry>;
  return Object.entries(entries).map(([id, entry]) => ({ id, userId, connectedAt: entry.at, expiresAt: entry.exp }));
}
