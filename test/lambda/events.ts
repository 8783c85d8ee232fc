// API Gateway events for handler tests, made from the real payloads in test/fixtures/apigateway
// (copied from ../shared/fixtures/apigateway so a clean clone has them):
// copy one, set the method, path and body of the case, hand it to the handler as Lambda would.
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('../fixtures/apigateway/', import.meta.url));

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(fixtures + name, 'utf8')) as T;
}

export interface EventOptions {
  method?: string;
  path: string;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  headers?: Record<string, string>;
  base64?: boolean;
}

function bodyOf(options: EventOptions): { body: string | undefined; isBase64Encoded: boolean } {
  if (options.body === undefined) return { body: undefined, isBase64Encoded: false };
  const text = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return options.base64
    ? { body: Buffer.from(text).toString('base64'), isBase64Encoded: true }
    : { body: text, isBase64Encoded: false };
}

/** HTTP API, payload format 2.0. Header names lower-cased, as API Gateway sends them. */
export function v2Event(options: EventOptions): APIGatewayProxyEventV2 {
  const event = fixture<APIGatewayProxyEventV2>('http-api-v2-request.json');
  const method = options.method ?? 'POST';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    ...event,
    rawPath: options.path,
    rawQueryString: '',
    headers,
    requestContext: {
      ...event.requestContext,
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      http: { ...event.requestContext.http, method, path: options.path },
    },
    ...bodyOf(options),
  };
}

/** REST API proxy integration, payload format 1.0. Header names keep the client's case. */
export function v1Event(options: EventOptions): APIGatewayProxyEvent {
  const event = fixture<APIGatewayProxyEvent>('rest-api-v1-request.json');
  const headers: Record<string, string> = { ...event.headers, 'Content-Type': 'application/json', ...options.headers };
  return {
    ...event,
    httpMethod: options.method ?? 'POST',
    path: options.path,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    requestContext: { ...event.requestContext, httpMethod: options.method ?? 'POST', path: options.path },
    ...bodyOf(options),
    body: bodyOf(options).body ?? null,
  };
}
