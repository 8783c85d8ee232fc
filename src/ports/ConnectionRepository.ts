import type { Connection } from '../core/Connection.js';

/** The push connections users have open, shared by every process that serves the API. */
export interface ConnectionRepository {
  /**
   * Records an open connection. When the user then has more than `maxPerUser`, the oldest are
   * dropped from the record and answered, oldest first, so the caller can close them.
   */
  add(connection: Connection, maxPerUser: number): Promise<Connection[]>;
  /** Forgets a connection; idempotent. */
  remove(connectionId: string): Promise<void>;
  /** The user's connections that have not expired at `now`. */
  forUser(userId: string, now: number): Promise<Connection[]>;
}
