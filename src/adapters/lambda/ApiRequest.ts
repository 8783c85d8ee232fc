// API Gateway proxy events of both payload formats (REST API 1.0, HTTP API 2.0) reduced to the
// few things the handlers need.
import { randomUUID } from 'node:crypto';

type EventHeaders = Readonly<Record<string, string | undefined>> | null;

/** What is read of a REST API (payload 1.0) proxy event; aws-lambda's APIGatewayProxyEvent fits it. */
interface PayloadV1 {
  readonly httpMethod: string;
  readonly path: string;
  readonly headers: EventHeaders;
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
  readonly requestContext: {
    readonly stage: string;
    readonly requestId: string;
    readonly identity?: { readonly sourceIp?: string | null };
  };
}

/** What is read of an HTTP API (payload 2.0) event; APIGatewayProxyEventV2 and the local server's event fit it. */
interface PayloadV2 {
  readonly version: string;
  readonly rawPath: string;
  readonly headers: EventHeaders;
  readonly body?: string;
  readonly isBase64Encoded: boolean;
  readonly requestContext: {
    readonly stage: string;
    readonly requestId: string;
    readonly http: { readonly method: string; readonly sourceIp: string };
  };
}

export type ApiGatewayEvent = PayloadV1 | PayloadV2;

export interface ApiRequest {
  readonly method: string;
  /** Without the stage prefix. */
  readonly path: string;
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body bytes, base64 already decoded. */
  readonly body: Buffer;
  readonly requestId: string;
  /** The client's address as API Gateway saw it; '' when the event has none. */
  readonly sourceIp: string;
}

export function toApiRequest(event: ApiGatewayEvent): ApiRequest {
  const v2 = 'version' in event && event.version === '2.0';
  const method = v2 ? (event as PayloadV2).requestContext.http.method : (event as PayloadV1).httpMethod;
  const rawPath = v2 ? (event as PayloadV2).rawPath : (event as PayloadV1).path;
  const sourceIp = v2
    ? (event as PayloadV2).requestContext.http.sourceIp
    : (event as PayloadV1).requestContext?.identity?.sourceIp;
  const stage = event.requestContext?.stage;
  return {
    method: (method ?? 'GET').toUpperCase(),
    path: stripStage(rawPath ?? '/', stage),
    headers: lowerCaseHeaders(event.headers),
    body: event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0),
    requestId: event.requestContext?.requestId || randomUUID(),
    sourceIp: typeof sourceIp === 'string' ? sourceIp : '',
  };
}

/** A named stage (not `$default`) may prefix the path, as in `/prod/send_message`. */
function stripStage(path: string, stage: string | undefined): string {
  if (stage && stage !== '$default' && path.startsWith(`/${stage}/`)) return path.slice(stage.length + 1);
  return path;
}

function lowerCaseHeaders(headers: Record<string, string | undefined> | null | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) result[name.toLowerCase()] = value;
  }
  return result;
}
