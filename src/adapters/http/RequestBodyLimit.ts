// SPEC section 1: a body over 64 KiB is refused (413) as soon as it is known to be too big: from
// its declared length, or once the bytes received pass the limit (chunked), never buffered whole.
import type http from 'node:http';

export interface BodyOutcome {
  /** The whole body, within the limit. */
  received(body: Buffer): void;
  /** The body is over the limit: what came is dropped, the rest is not kept. */
  tooLarge(): void;
}

/** Reads `req`'s body into one buffer of at most `maxBytes`, or reports it too large. */
export function receiveBody(req: http.IncomingMessage, maxBytes: number, outcome: BodyOutcome): void {
  if (declaredLength(req) > maxBytes) {
    outcome.tooLarge();
    return;
  }
  let chunks: Buffer[] = [];
  let received = 0;
  let rejected = false;
  req.on('data', (chunk: Buffer) => {
    if (rejected) return;
    received += chunk.length;
    if (received > maxBytes) {
      rejected = true;
      chunks = [];
      outcome.tooLarge();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (rejected) return;
    const body = Buffer.concat(chunks, received);
    chunks = [];
    outcome.received(body);
  });
}

/** The Content-Length a request declares; 0 without one (node has refused a malformed one already). */
export function declaredLength(req: http.IncomingMessage): number {
  const header = req.headers['content-length'];
  return header === undefined ? 0 : Number(header);
}
