// What node:http reports as a client error, as the API's refusal: malformed framing is the SPEC's
// `400 invalid_json` (the body could not be read), a slow request `408`, big headers `431`.
import type { RefusedRequestCode } from '../lambda/refusedRequest.js';

/** The refusal a node:http client error calls for, or undefined when the connection itself failed. */
export function refusalFor(error: NodeJS.ErrnoException): RefusedRequestCode | undefined {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      // node's name for both its headers timeout and its request timeout.
      return 'request_timeout';
    case 'HPE_HEADER_OVERFLOW':
      return 'headers_too_large';
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      // Chunk extensions are part of the body, which is too large; node answers 413 here too.
      return 'payload_too_large';
  }
  // A system error (ECONNRESET, EPIPE, ...) leaves nobody to answer.
  if (error.syscall !== undefined || error.code === 'ECONNRESET') return undefined;
  // Bad or duplicate Content-Length, Content-Length with Transfer-Encoding, bad chunking, an
  // invalid method...: the body could not be read.
  return 'invalid_json';
}
