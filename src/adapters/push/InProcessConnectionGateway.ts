// The local server's push connections, by id: it registers each WebSocket it accepts, and the use
// cases push through here, in the same process.
import type { Message } from '../../core/Message.js';
import type { ConnectionGateway } from '../../ports/ConnectionGateway.js';
import { messageFrame, PONG_FRAME } from './pushFrames.js';

export interface LocalSocket {
  /** Answers false when the socket is no longer open. */
  send(frame: string): boolean;
  close(): void;
}

export class InProcessConnectionGateway implements ConnectionGateway {
  private readonly sockets = new Map<string, LocalSocket>();

  /** Sockets registered now: each one open connection of this process. */
  get size(): number {
    return this.sockets.size;
  }

  register(connectionId: string, socket: LocalSocket): void {
    this.sockets.set(connectionId, socket);
  }

  unregister(connectionId: string): void {
    this.sockets.delete(connectionId);
  }

  async push(connectionId: string, message: Message): Promise<boolean> {
    return this.sockets.get(connectionId)?.send(messageFrame(message)) ?? false;
  }

  async pong(connectionId: string): Promise<void> {
    this.sockets.get(connectionId)?.send(PONG_FRAME);
  }

  async close(connectionId: string): Promise<void> {
    this.sockets.get(connectionId)?.close();
    this.sockets.delete(connectionId);
  }
}
