// The local server's push connections, by id: it registers each WebSocket it accepts, and the use
// cases push through here, in the same process. The server reserves an id before it runs $connect
// and registers the socket once the upgrade is written: what happens to the connection in between
// (a close because newer ones replaced it, pushes) is kept for the socket, so that no socket opens
// that its record no longer knows.
import { expiryReason, type Connection, type ConnectionCloseReason } from '../../core/Connection.js';
import type { Message } from '../../core/Message.js';
import type { Clock } from '../../ports/Clock.js';
import type { ConnectionGateway, ConnectionHolder } from '../../ports/ConnectionGateway.js';
import { messageFrame, PONG_FRAME } from './pushFrames.js';

export interface LocalSocket {
  /** Answers false when the socket is no longer open. */
  send(frame: string): boolean;
  close(reason: ConnectionCloseReason): void;
}

/** A socket being upgraded: its connection once recorded, a close that came first, pushes. */
interface Pending {
  connection?: Connection;
  closed?: ConnectionCloseReason;
  readonly frames: string[];
}

/** Frames kept for a socket not yet registered: pushes in the moment of its upgrade. */
const PENDING_FRAMES = 64;

/**
 * The local two-region harness: closes a connection another local server holds, through that
 * server's /@connections (LocalManagementApi), as API Gateway's Management API would.
 */
export interface RemoteCloser {
  /** This server's own /@connections URL: connections held at it are closed here. */
  readonly ownCallbackUrl: string;
  close(callbackUrl: string, connectionId: string): Promise<void>;
}

export class InProcessConnectionGateway implements ConnectionGateway {
  private readonly sockets = new Map<string, LocalSocket>();
  private readonly expiries = new Map<string, NodeJS.Timeout>();
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly clock: Clock,
    private readonly remote?: RemoteCloser,
  ) {}

  /** Sockets registered now: each one open connection of this process. */
  get size(): number {
    return this.sockets.size;
  }

  /** A socket is being upgraded under this id; register or unregister it next. */
  reserve(connectionId: string): void {
    this.pending.set(connectionId, { frames: [] });
  }

  /** A socket whose upgrade is done; it is closed at once if its connection was closed meanwhile. */
  register(connectionId: string, socket: LocalSocket): void {
    const pending = this.pending.get(connectionId);
    this.pending.delete(connectionId);
    if (pending?.closed) {
      socket.close(pending.closed);
      return;
    }
    this.sockets.set(connectionId, socket);
    for (const frame of pending?.frames ?? []) socket.send(frame);
    if (pending?.connection) this.closeAtExpiry(pending.connection);
  }

  /** The socket closed, or its upgrade failed: forget everything about it. */
  unregister(connectionId: string): void {
    this.sockets.delete(connectionId);
    this.pending.delete(connectionId);
    clearTimeout(this.expiries.get(connectionId));
    this.expiries.delete(connectionId);
  }

  opened(connection: Connection): void {
    if (this.sockets.has(connection.id)) {
      this.closeAtExpiry(connection);
      return;
    }
    const pending = this.pending.get(connection.id);
    if (pending && !pending.closed) pending.connection = connection;
  }

  async push(connectionId: string, message: Message): Promise<boolean> {
    const socket = this.sockets.get(connectionId);
    if (socket) return socket.send(messageFrame(message));
    const pending = this.pending.get(connectionId);
    if (!pending || pending.closed) return false;
    // Opening right now: the socket gets it as soon as it is registered.
    if (pending.frames.length < PENDING_FRAMES) pending.frames.push(messageFrame(message));
    return true;
  }

  async pong(connectionId: string): Promise<void> {
    this.sockets.get(connectionId)?.send(PONG_FRAME);
  }

  async close(connectionId: string, reason: ConnectionCloseReason, heldBy?: ConnectionHolder): Promise<void> {
    if (this.remote && heldBy?.callbackUrl && heldBy.callbackUrl !== this.remote.ownCallbackUrl) {
      await this.remote.close(heldBy.callbackUrl, connectionId);
      return;
    }
    const socket = this.sockets.get(connectionId);
    if (socket) {
      this.unregister(connectionId);
      socket.close(reason);
      return;
    }
    // Still being upgraded: its socket is closed the moment it registers.
    const pending = this.pending.get(connectionId);
    if (!pending) return;
    pending.closed = reason;
    pending.frames.length = 0;
  }

  private closeAtExpiry(connection: Connection): void {
    clearTimeout(this.expiries.get(connection.id));
    // At most Limits.connectionMaxAgeMs (2 h) away, far below setTimeout's 24.8 days.
    const timer = setTimeout(() => void this.close(connection.id, expiryReason(connection)), Math.max(0, connection.expiresAt - this.clock.now()));
    timer.unref();
    this.expiries.set(connection.id, timer);
  }
}
