// A complete HTTP/1.1 response as bytes, for the moments node:http has no response object to write
// through: a request it could not parse, one that timed out, a CONNECT.
import http from 'node:http';

export interface RawResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Framing is the server's job, as it is API Gateway's: a value from a handler (or from the API's
 * refusals) would only corrupt it, so these headers are dropped and the server sets its own.
 */
export const FRAMING_HEADERS: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding', 'connection']);

/** Status line, the given headers, framing for a body of known length and `Connection: close`. */
export function rawHttpResponse(response: RawResponse): Buffer {
  const body = Buffer.from(response.body, 'utf8');
  const lines = [`HTTP/1.1 ${response.statusCode} ${http.STATUS_CODES[response.statusCode] ?? ''}`];
  for (const [name, value] of Object.entries(response.headers)) {
    if (FRAMING_HEADERS.has(name.toLowerCase())) continue;
    // What node:http checks before writing a header, so a CR or LF can never split this response.
    http.validateHeaderName(name);
    http.validateHeaderValue(name, value);
    lines.push(`${name}: ${value}`);
  }
  lines.push(`Date: ${new Date().toUTCString()}`, `Content-Length: ${body.length}`, 'Connection: close');
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}
