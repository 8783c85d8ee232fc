// How the local server describes a request to the Lambda router: the parts of an HTTP API payload
// 2.0 event that the Lambda side reads (toApiRequest), built from node:http's view of the request.
// Pure: no sockets, no server.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** What is read of node's request: its head and the address it came from. */
export type RequestHead = Pick<IncomingMessage, 'method' | 'url' | 'rawHeaders'> & {
  readonly socket: Pick<Socket, 'remoteAddress'>;
};

/**
 * The subset of API Gateway's payload 2.0 event the local server builds. Fields no code reads
 * (cookies, queryStringParameters, time, domainName, ...) are left out on purpose: each one
 * would be a second place to keep in step with API Gateway for nothing.
 */
export interface HttpApiEvent {
  version: '2.0';
  routeKey: '$default';
  rawPath: string;
  rawQueryString: string;
  /** Lower-cased names; a repeated header's values joined with ", ". No `cookie`, as on AWS. */
  headers: Record<string, string>;
  /** Absent when the request has no body. */
  body?: string;
  isBase64Encoded: boolean;
  requestContext: {
    requestId: string;
    stage: '$default';
    http: {
      method: string;
      /** The client address, for per-address rate limits; IPv4 without the `::ffff:` mapping. */
      sourceIp: string;
    };
  };
}

/** The event for `req`, whose body has already been read into `body`. */
export function toHttpApiEvent(req: RequestHead, body: Buffer, requestId: string): HttpApiEvent {
  const { path, query } = pathAndQuery(req.url ?? '/');
  const { headers, contentType } = headersOf(req.rawHeaders);
  const hasBody = body.length > 0;
  const textual = isTextualContentType(contentType);

  const event: HttpApiEvent = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers,
    isBase64Encoded: hasBody && !textual,
    requestContext: {
      requestId,
      stage: '$default',
      http: { method: req.method ?? 'GET', sourceIp: sourceIp(req.socket.remoteAddress) },
    },
  };
  if (hasBody) event.body = body.toString(textual ? 'utf8' : 'base64');
  return event;
}

/** The path part of a request target, as the event's rawPath carries it. */
export function rawPathOf(target: string): string {
  return pathAndQuery(target).path;
}

/**
 * The headers by lower-cased name, a repeated header's values joined with ", " in arrival order,
 * and the first Content-Type. API Gateway 2.0 joins repeated headers with commas and moves
 * `Cookie` out of the headers into a `cookies` array; nothing here reads cookies, so they are
 * simply not passed on, which keeps the headers what a handler sees on AWS. Built in one pass over
 * node's raw list, on every request: no intermediate lists to join.
 */
function headersOf(rawHeaders: readonly string[]): { headers: Record<string, string>; contentType: string | undefined } {
  const headers: Record<string, string> = {};
  let contentType: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (name === 'cookie') continue;
    const value = rawHeaders[i + 1]!;
    if (name === 'content-type') contentType ??= value;
    // Object.hasOwn, not a lookup: a header named `constructor` or `toString` is a header like any other.
    headers[name] = Object.hasOwn(headers, name) ? `${headers[name]}, ${value}` : value;
  }
  return { headers, contentType };
}

/** An IPv4 client reaches a dual-stack socket as `::ffff:1.2.3.4`; API Gateway reports `1.2.3.4`. */
function sourceIp(remoteAddress: string | undefined): string {
  return (remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

/** The content types API Gateway passes as text; everything else arrives base64-encoded. */
function isTextualContentType(contentType: string | undefined): boolean {
  // What nearly every request of this API sends, answered without parsing.
  if (contentType === undefined || contentType === 'application/json') return true;
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return (
    mediaType === '' ||
    mediaType === 'application/json' ||
    /^[^/]+\/[^/]+\+json$/.test(mediaType) ||
    mediaType.startsWith('text/') ||
    mediaType === 'application/x-www-form-urlencoded' ||
    mediaType === 'application/xml'
  );
}

/** A request target's path and its query (without the `?`), in origin or absolute form; never throws. */
export function pathAndQuery(target: string): { path: string; query: string } {
  let pathWithQuery = target;
  if (!target.startsWith('/')) {
    // Absolute-form, as a proxy sends it: keep only the path and query.
    try {
      const url = new URL(target);
      pathWithQuery = url.pathname + url.search;
    } catch {
      // `*` (OPTIONS) or garbage: pass it through as the path.
    }
  }
  const mark = pathWithQuery.indexOf('?');
  return mark === -1
    ? { path: pathWithQuery, query: '' }
    : { path: pathWithQuery.slice(0, mark), query: pathWithQuery.slice(mark + 1) };
}
