// A user's connections are one item, `CONNS` in their partition: a map from connection id to when
// it opened and expires, and a version. Every connect reads it and writes it back at the version it
// read, so concurrent connects of one user are serialised by DynamoDB itself: at most ten stay,
// whatever races, and each connect costs a bounded number of calls. Each connection also has an
// item under its own id, for $disconnect, which knows only the id: written before the map, and
// deleted again if the connect fails. All items expire by TTL.
// With several regions (docs/multi-region.md, D6 and D7) each region keeps its own map item,
// `CONNS#<region>`, with the region's callback URL: no item is written by two regions, so
// replication's last-writer-wins never drops a connection. A connect counts every region's maps
// (as replicated) against the limit; a remote connection it replaces is named in its own map's
// `ev` (evicted) and closed through its region's URL, and the other regions leave it out from
// then on. A region's push reads its own map only.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { byAge, droppedOnOpen, type Connection } from '../../core/Connection.js';
import type { ConnectionRepository } from '../../ports/ConnectionRepository.js';
import { backoff, errorName, unavailable, type DynamoDbTable, type Item } from './DynamoDbTable.js';
import { keys, ttlSeconds, type Key } from './keys.js';

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

/** Where this process's connections are held, with several regions. */
export interface ConnectionPlacement {
  /** This region. */
  readonly region: string;
  /** This region's Management API URL (its WEBSOCKET_CALLBACK_URL). */
  readonly callbackUrl: string;
  /** Every region of the deployment. */
  readonly regions: readonly string[];
}

export class DynamoDbConnectionRepository implements ConnectionRepository {
  constructor(
    private readonly table: DynamoDbTable,
    /** Several regions: this region's place; absent, one map per user as in one region. */
    private readonly placement?: ConnectionPlacement,
  ) {}

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
    // Another region's connection keeps its item: that region's $disconnect reads it when the close arrives.
    await Promise.allSettled(dropped.filter((old) => this.isHeldHere(old)).map((old) => this.deleteItemOf(old.id)));
    return dropped;
  }

  private isHeldHere(connection: Connection): boolean {
    return connection.region === undefined || connection.region === this.placement?.region;
  }

  /** Writes `connection` into its user's map at the version read; answers what it dropped (itself, if ten are newer). */
  private async record(connection: Connection, maxPerUser: number): Promise<Connection[]> {
    for (let round = 1; ; round++) {
      const { own, remote, evictedElsewhere } = await this.readMaps(connection.userId);
      const { item } = own;
      const ownEntries = connectionsOf(connection.userId, item, this.placement);
      // Evicted by any region (this one included): closed already, whatever a map still says.
      const evictedBefore = evictionsOf(item, connection.connectedAt);
      const gone = (c: Connection) => evictedElsewhere.has(c.id) || (c.id in evictedBefore && c.region !== this.placement?.region);
      const dropped = droppedOnOpen(connection, [...ownEntries, ...remote], maxPerUser, gone);
      // Ten newer ones already: this one is not recorded, and nothing else changes.
      if (dropped.includes(connection)) return [connection];
      const kept = [...ownEntries, connection].filter((c) => !dropped.includes(c));
      // Remote connections replaced now: named here, so that their region and every other leave them out.
      const evicted = { ...evictedBefore };
      for (const old of dropped) if (old.region !== undefined && old.region !== this.placement?.region) evicted[old.id] = old.expiresAt;
      const version = item?.v as number | undefined;
      try {
        await this.table.send(
          new PutCommand({
            TableName: this.table.name,
            Item: {
              ...own.key,
              conns: Object.fromEntries(kept.map((c) => [c.id, { at: c.connectedAt, exp: c.expiresAt } satisfies Entry])),
              v: (version ?? 0) + 1,
              ttl: ttlSeconds(Math.max(...kept.map((c) => c.expiresAt), ...Object.values(evicted))),
              ...(this.placement ? { rg: this.placement.region, cb: this.placement.callbackUrl, ...(Object.keys(evicted).length > 0 ? { ev: evicted } : {}) } : {}),
            },
            ...(version === undefined
              ? { ConditionExpression: 'attribute_not_exists(PK)' }
              : { ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': version } }),
          }),
        );
        // A remote connection named evicted before was closed then: not again.
        return dropped.filter((c) => this.isHeldHere(c) || !(evictedElsewhere.has(c.id) || c.id in evictedBefore));
      } catch (error) {
        if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
      }
      // Another connect (or a disconnect) of this user wrote in between: read again.
      if (round >= ADD_ROUNDS) throw unavailable();
      await backoff(round);
    }
  }

  /**
   * This region's map of the user (the only one written here), and with several regions the
   * other regions' connections and evictions as this replica has them: one strongly consistent
   * GetItem per region, all at once.
   */
  private async readMaps(userId: string): Promise<{ own: { key: Key; item: Item | undefined }; remote: Connection[]; evictedElsewhere: Set<string> }> {
    const ownKey = this.mapKey(userId);
    const read = (key: Key) =>
      this.table
        .send<{ Item?: Item }>(new GetCommand({ TableName: this.table.name, Key: key, ConsistentRead: true }))
        .then(({ Item }) => Item);
    if (!this.placement) return { own: { key: ownKey, item: await read(ownKey) }, remote: [], evictedElsewhere: new Set() };
    const others = this.placement.regions.filter((region) => region !== this.placement!.region);
    const [item, ...otherItems] = await Promise.all([read(ownKey), ...others.map((region) => read(keys.regionConnections(userId, region)))]);
    const remote = otherItems.flatMap((other) => connectionsOf(userId, other, undefined));
    const evictedElsewhere = new Set(otherItems.flatMap((other) => Object.keys((other?.ev ?? {}) as Record<string, number>)));
    return { own: { key: ownKey, item }, remote, evictedElsewhere };
  }

  /** The map item this process writes: the user's, or (several regions) the user's in this region. */
  private mapKey(userId: string): Key {
    return this.placement ? keys.regionConnections(userId, this.placement.region) : keys.connections(userId);
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
          Key: this.mapKey(item.userId as string),
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

  /**
   * Eventually consistent, at half the price: a push is a hint (SPEC 8). With several regions,
   * this region's connections only (D6: each region pushes to the sockets it holds).
   */
  async forUser(userId: string): Promise<Connection[]> {
    const { Item: item } = await this.table.send<{ Item?: Item }>(
      new GetCommand({ TableName: this.table.name, Key: this.mapKey(userId) }),
    );
    return connectionsOf(userId, item, this.placement).sort(byAge);
  }
}

/**
 * The connections a map item lists. Several regions: each says where it is held (`rg`, `cb`),
 * which `placement` fills in for this region's own map when it is new.
 */
function connectionsOf(userId: string, item: Item | undefined, placement: ConnectionPlacement | undefined): Connection[] {
  const entries = (item?.conns ?? {}) as Record<string, Entry>;
  const region = (item?.rg as string | undefined) ?? placement?.region;
  const callbackUrl = (item?.cb as string | undefined) ?? placement?.callbackUrl;
  return Object.entries(entries).map(([id, entry]) => ({
    id,
    userId,
    connectedAt: entry.at,
    expiresAt: entry.exp,
    ...(region === undefined ? {} : { region }),
    ...(callbackUrl === undefined ? {} : { callbackUrl }),
  }));
}

/** The evictions a map item still needs to name: those of remote connections not yet expired. */
function evictionsOf(item: Item | undefined, now: number): Record<string, number> {
  const evicted = (item?.ev ?? {}) as Record<string, number>;
  return Object.fromEntries(Object.entries(evicted).filter(([, exp]) => exp > now));
}
