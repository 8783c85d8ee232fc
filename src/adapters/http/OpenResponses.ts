// The responses owed on each connection and not yet done. While one is owed or being sent, an
// answer written straight onto the socket (a refusal of malformed bytes that follow) would land
// inside or ahead of it and corrupt the stream, so a failing connection is then only cut.
import type http from 'node:http';
import type { Socket } from 'node:net';

export class OpenResponses {
  private readonly open = new WeakMap<Socket, Set<http.ServerResponse>>();

  track(socket: Socket, res: http.ServerResponse): void {
    let responses = this.open.get(socket);
    if (!responses) this.open.set(socket, (responses = new Set()));
    responses.add(res);
    const forget = (): void => {
      responses.delete(res);
    };
    res.once('finish', forget);
    res.once('close', forget);
  }

  /**
   * True when an answer written onto the socket now cannot land inside or ahead of another
   * response: the only one open, if any, is that of the request still arriving, and it has not
   * started. (A complete request's response is still owed, and must come first.)
   */
  nothingWrittenFor(socket: Socket): boolean {
    for (const res of this.open.get(socket) ?? []) if (res.headersSent || res.req.complete) return false;
    return true;
  }
}
