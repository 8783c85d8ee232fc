// How much of what the server pushed a client has not read yet, counting the kernel's buffers: the
// bytes node still holds (ws.bufferedAmount) are only the start, since the kernel's send buffer
// on this side and its receive buffer on the client's take megabytes before node holds any (about
// 2.8 MB a socket was seen on Linux; node has no way to set SO_SNDBUF on a TCP socket). So every
// so often a ping goes after the pushed bytes, carrying a random payload: its pong, which must
// echo that payload, proves the client read every byte before it. What is sent past the last
// proven point is unread, wherever it waits.
import { randomBytes } from 'node:crypto';

interface Mark {
  readonly payload: Buffer;
  /** Bytes sent before the ping that carries `payload`. */
  readonly at: number;
}

export class UnreadBytes {
  private sent = 0;
  private read = 0;
  private lastMarkAt = 0;
  /** Pings in flight, oldest first: at most maxUnread / markEvery + the heartbeat's, since past maxUnread the socket ends. */
  private readonly marks: Mark[] = [];

  constructor(
    /** Pushed bytes a client may leave unread, anywhere between this process and its reader. */
    readonly maxUnread: number,
    /** A ping goes after every this many pushed bytes. */
    private readonly markEvery: number = Math.max(1, Math.floor(maxUnread / 4)),
  ) {}

  /** Bytes sent and not known to be read. */
  get unread(): number {
    return this.sent - this.read;
  }

  /** Counts `bytes` about to be sent; answers the payload of a ping to send right after them, when one is due. */
  sending(bytes: number): Buffer | undefined {
    this.sent += bytes;
    return this.sent - this.lastMarkAt >= this.markEvery ? this.mark() : undefined;
  }

  /** A ping payload that marks everything sent so far (the heartbeat's pings carry one too). */
  mark(): Buffer {
    const payload = randomBytes(8);
    this.marks.push({ payload, at: this.sent });
    this.lastMarkAt = this.sent;
    return payload;
  }

  /** A pong arrived: if it echoes a mark, everything before that mark was read. */
  ponged(payload: Buffer): void {
    const index = this.marks.findIndex((mark) => mark.payload.equals(payload));
    if (index === -1) return;
    this.read = Math.max(this.read, this.marks[index]!.at);
    this.marks.splice(0, index + 1);
  }
}
