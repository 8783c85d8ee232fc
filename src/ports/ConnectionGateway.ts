import type { Connection, ConnectionCloseReason } from '../core/Connection.js';
import type { Message } from '../core/Message.js';

/** Where a connection is held, with several regions. */
export type ConnectionHolder = Pick<Connection, 'region' | 'callbackUrl'>;

/** The channel to open push connections: the local WebSocket server, or API Gateway's WebSocket API. */
export interface ConnectionGateway {
  /** Pushes one message frame; answers false when the connection is gone. */
  push(connectionId: string, message: Message): Promise<boolean>;
  /** Answers a client's ping. */
  pong(connectionId: string): Promise<void>;
  /**
   * Closes a connection, saying why where the channel can; a gone one is fine. `heldBy`: where it
   * is held, when that may be another region's WebSocket API (Connection.region, callbackUrl).
   */
  close(connectionId: string, reason: ConnectionCloseReason, heldBy?: ConnectionHolder): Promise<void>;
  /**
   * Told of each connection once it is recorded, so it can close it at `connection.expiresAt`. The
   * local server keeps a timer per socket; API Gateway's Management API has no timers, so there
   * a connection is closed by the first push that finds it expired (PushMessage) or by API
   * Gateway's own limits (10 idle minutes, 2 hours).
   */
  opened(connection: Connection): void;
}
