import { byAge, droppedOnOpen, type Connection } from '../../core/Connection.js';
import type { ConnectionRepository } from '../../ports/ConnectionRepository.js';

/**
 * Per process, like the local WebSocket server whose connections it records. Each method does its
 * work synchronously (no await between reading and writing), so concurrent adds are atomic.
 */
export class InMemoryConnectionRepository implements ConnectionRepository {
  private readonly byId = new Map<string, Connection>();
  private readonly byUser = new Map<string, Set<string>>();

  async add(connection: Connection, maxPerUser: number): Promise<Connection[]> {
    const dropped = droppedOnOpen(connection, this.ofUser(connection.userId), maxPerUser);
    for (const old of dropped) this.forget(old.id);
    if (!dropped.includes(connection)) {
      this.byId.set(connection.id, connection);
      let ids = this.byUser.get(connection.userId);
      if (!ids) this.byUser.set(connection.userId, (ids = new Set()));
      ids.add(connection.id);
    }
    return dropped;
  }

  async remove(connectionId: string): Promise<void> {
    this.forget(connectionId);
  }

  async forUser(userId: string): Promise<Connection[]> {
    return this.ofUser(userId).sort(byAge);
  }

  private ofUser(userId: string): Connection[] {
    return [...(this.byUser.get(userId) ?? [])].map((id) => this.byId.get(id)!);
  }

  private forget(connectionId: string): void {
    const connection = this.byId.get(connectionId);
    if (!connection) return;
    this.byId.delete(connectionId);
    const ids = this.byUser.get(connection.userId);
    ids?.delete(connectionId);
    if (ids?.size === 0) this.byUser.delete(connection.userId);
  }
}
