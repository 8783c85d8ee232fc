import { Limits } from './Limits.js';

/** A push connection (a WebSocket) a user has open. */
export interface Connection {
  readonly id: string;
  readonly userId: string;
  /** Epoch ms: connections are ordered by it (the oldest closed first), and a message older than it is not pushed to it. */
  readonly connectedAt: number;
  /**
   * Epoch ms from which nothing is pushed to it and it is closed: when the login token it opened
   * with expires, or at API Gateway's age limit (Limits.connectionMaxAgeMs), whichever comes first.
   */
  readonly expiresAt: number;
  /**
   * With several regions: where the connection is held, and the URL of that region's Management
   * API (its WebSocket stage's @connections), through which another region closes it.
   */
  readonly region?: string;
  readonly callbackUrl?: string;
}

/** Why the server closes a connection. */
export type ConnectionCloseReason =
  /** The user opened more than Limits.connectionsPerUser: the oldest goes. */
  | 'replaced'
  /** The token it opened with has expired (SPEC 8: closed with 1008, pushed nothing more). */
  | 'token_expired'
  /** Older than Limits.connectionMaxAgeMs, as API Gateway allows. */
  | 'too_old';

/** A connection opened now with a token that expires at `tokenExpiresAt`. */
export function openedConnection(id: string, userId: string, now: number, tokenExpiresAt: number): Connection {
  return { id, userId, connectedAt: now, expiresAt: Math.min(now + Limits.connectionMaxAgeMs, tokenExpiresAt) };
}

/** Why `connection` closes at its expiry. */
export function expiryReason(connection: Connection): ConnectionCloseReason {
  return connection.expiresAt < connection.connectedAt + Limits.connectionMaxAgeMs ? 'token_expired' : 'too_old';
}

/**
 * What a user's connections lose when `connection` opens beside `others`, so that at most
 * `maxPerUser` stay, the newest: those expired by then (or `gone` for another reason), then the
 * oldest, `connection` itself when `maxPerUser` are newer. Oldest first.
 */
export function droppedOnOpen(
  connection: Connection,
  others: readonly Connection[],
  maxPerUser: number,
  gone: (c: Connection) => boolean = () => false,
): Connection[] {
  const all = [...others, connection].sort(byAge);
  const expired = all.filter((c) => c.expiresAt <= connection.connectedAt || gone(c));
  const live = all.filter((c) => !expired.includes(c));
  return [...expired, ...live.slice(0, Math.max(0, live.length - maxPerUser))].sort(byAge);
}

/** Oldest first: by the time it opened, then by id (two in the same millisecond). */
export function byAge(a: Connection, b: Connection): number {
  return a.connectedAt - b.connectedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
