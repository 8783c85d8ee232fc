/** A push connection (a WebSocket) a user has open. */
export interface Connection {
  readonly id: string;
  readonly userId: string;
  /** Epoch ms: connections are ordered by it, the oldest closed first. */
  readonly connectedAt: number;
  /** Epoch ms after which the connection cannot be open any more (Limits.connectionMaxAgeMs). */
  readonly expiresAt: number;
}
