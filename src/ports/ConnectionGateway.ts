import type { Message } from '../core/Message.js';

/** The channel to open push connections: the local WebSocket server, or API Gateway's WebSocket API. */
export interface ConnectionGateway {
  /** Pushes one message frame; answers false when the connection is gone. */
  push(connectionId: string, message: Message): Promise<boolean>;
  /** Answers a client's ping. */
  pong(connectionId: string): Promise<void>;
  /** Closes a connection (the oldest of a user with too many); a gone one is fine. */
  close(connectionId: string): Promise<void>;
}
