import type { Connection } from '../core/Connection.js';

/** The push connections users have open, shared by every process that serves the API. */
export interface ConnectionRepository {
  /**
   * Records an open connection, keeping at most `maxPerUser` per user: the user's newest, by
   * (connectedAt, id). Atomic, also under concurrent adds for one user: however many race, no more
   * than `maxPerUser` stay recorded, and a failed add records nothing. Answers the connections it
   * dropped, oldest first, so the caller can close them: expired ones, those past the limit, and
   * `connection` itself when the user already has `maxPerUser` newer ones (it is then not
   * recorded). Bounded work per call, whatever the user did before.
   */
  add(connection: Connection, maxPerUser: number): Promise<Connection[]>;
  /** Forgets a connection; idempotent. */
  remove(connectionId: string): Promise<void>;
  /**
   * The user's recorded connections, oldest first, expired ones included (the caller closes
   * those). For a push, which is a hint: it may miss a connection recorded a moment ago, or list
   * one removed a moment ago.
   */
  forUser(userId: string): Promise<Connection[]>;
}
