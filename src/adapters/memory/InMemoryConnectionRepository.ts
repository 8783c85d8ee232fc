import type { Connection } from '../../core/Connection.js';
import type { ConnectionRepository } from '../../ports/ConnectionRepository.js';

/** Per process, like the local WebSocket server whose connections it records. */
export class InMemoryConnectionRepository implements ConnectionRepository {
  private readonly byId = new Map<string, Connection>();
  private readonly byUser = new Map<string, Set<string>>();

  async add(connection: Connection, maxPerUser: number): Promise<Connection[]> {
    this.byId.set(connection.id, connection);
    let ids = this.byUser.get(connection.userId);
    if (!ids) {
      ids = new Set();
      this.byUser.set(connection.userId, ids);
    }
    ids.add(connection.id);
    const evicted = this.ofUser(connection.userId).slice(0, Math.max(0, ids.size - maxPerUser));
    for (const old of evicted) await this.remove(old.id);
    return evicted;
  }

  async remove(connectionId: string): Promise<void> {
    const connection = this.byId.get(connectionId);
    if (!connection) return;
    this.byId.delete(connectionId);
    const ids = this.byUser.get(connection.userId);
    ids?.delete(connectionId);
    if (ids?.size === 0) this.byUser.delete(connection.userId);
  }

  async forUser(userId: string, now: number): Promise<Connection[]> {
    return this.ofUser(userId).filter((c) => c.expiresAt > now);
  }

  /** Oldest first. */
  private ofUser(userId: string): Connection[] {
    return [...(this.byUser.get(userId) ?? [])]
      .map((id) => this.byId.get(id)!)
      .sort((a, b) => a.connectedAt - b.connectedAt || (a.id < b.id ? -1 : 1));
  }
}
