// SPEC section 1: the server gives up on a response nobody reads. The SPEC names no figure, so it
// gets the request's: a client that cannot take an answer in 10 s is not reading it.
import type http from 'node:http';
import type { Socket } from 'node:net';

export const RESPONSE_TIMEOUT_MS = 10_000;

/**
 * A client that does not take a response keeps its bytes in this process: cut it off after
 * `timeoutMs`. A response the kernel took whole holds nothing here (and node's keep-alive timeout
 * closes the idle connection), so it needs no timer: most responses, on every request.
 */
export function limitSendingTime(socket: Socket, res: http.ServerResponse, timeoutMs: number): void {
  if (res.writableFinished || res.writableLength === 0) return;
  const deadline = setTimeout(() => socket.destroy(), timeoutMs);
  deadline.unref();
  const clear = (): void => clearTimeout(deadline);
  res.once('finish', clear);
  res.once('close', clear);
}
