// The push connections' three routes, as API Gateway's WebSocket API (or the local server) calls
// them: $connect opens a connection for the user of a login token, $disconnect forgets it,
// $default answers a ping and ignores anything else.
import { DomainError } from '../../core/DomainError.js';
import type { CloseConnection } from '../../core/use-cases/CloseConnection.js';
import type { OpenConnection } from '../../core/use-cases/OpenConnection.js';
import type { ConnectionGateway } from '../../ports/ConnectionGateway.js';
import type { InvocationContext, RequestLog } from './RequestLog.js';
import { METRIC, type ServiceMetrics } from './ServiceMetrics.js';

/** What is read of an API Gateway WebSocket event (APIGatewayProxyWebsocketEventV2 fits it). */
export interface WebSocketEvent {
  readonly requestContext: { readonly connectionId: string; readonly routeKey: string; readonly requestId?: string };
  readonly queryStringParameters?: Readonly<Record<string, string | undefined>> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
}

export interface WebSocketResult {
  readonly statusCode: number;
  readonly body?: string;
}

export type WebSocketLambda = (event: WebSocketEvent, context?: InvocationContext) => Promise<WebSocketResult>;

/** A client frame worth reading is a ping; anything longer than this is not one. */
const MAX_CLIENT_FRAME_CHARS = 256;

const OK: WebSocketResult = Object.freeze({ statusCode: 200 });

export interface WebSocketHandlerDependencies {
  readonly openConnection: OpenConnection;
  readonly closeConnection: CloseConnection;
  readonly gateway: ConnectionGateway;
  readonly log: RequestLog;
  readonly metrics: ServiceMetrics;
}

export class WebSocketHandler {
  constructor(private readonly deps: WebSocketHandlerDependencies) {}

  /** `?token=` is the only credential (browsers cannot set headers on a WebSocket); nothing else in the request counts. */
  readonly connect: WebSocketLambda = (event, context) =>
    this.logged(event, context, async () => {
      const token = event.queryStringParameters?.token;
      if (!token) return { statusCode: 401, body: 'A login token is required: ?token=<token>' };
      try {
        await this.deps.openConnection.execute({ connectionId: event.requestContext.connectionId, token });
        return OK;
      } catch (error) {
        if (error instanceof DomainError && error.code === 'unauthorized') return { statusCode: 401, body: error.message };
        // Ten newer connections of the user opened at the same moment: API Gateway refuses the handshake.
        if (error instanceof DomainError && error.code === 'conflict') return { statusCode: 409, body: error.message };
        if (error instanceof DomainError && error.code === 'unavailable') return { statusCode: 503 };
        throw error;
      }
    });

  readonly disconnect: WebSocketLambda = (event, context) =>
    this.logged(event, context, async () => {
      await this.deps.closeConnection.execute({ connectionId: event.requestContext.connectionId });
      return OK;
    });

  readonly message: WebSocketLambda = (event, context) =>
    this.logged(event, context, async () => {
      if (isPing(event.body)) await this.deps.gateway.pong(event.requestContext.connectionId);
      return OK;
    });

  private async logged(
    event: WebSocketEvent,
    context: InvocationContext | undefined,
    work: () => Promise<WebSocketResult>,
  ): Promise<WebSocketResult> {
    const started = performance.now();
    this.deps.log.invocation(context);
    let result: WebSocketResult;
    let cause: string | undefined;
    try {
      result = await work();
    } catch (error) {
      // The message and stack stay here; the client (and the log) get nothing of them.
      cause = error instanceof Error ? error.constructor.name : typeof error;
      result = { statusCode: 500 };
    }
    this.deps.log.record({
      requestId: event.requestContext.requestId ?? event.requestContext.connectionId,
      method: 'WS',
      path: event.requestContext.routeKey,
      status: result.statusCode,
      durationMs: Math.round(performance.now() - started),
      cause,
    });
    if (result.statusCode === 503) this.deps.metrics.add(METRIC.storageUnavailable);
    this.deps.metrics.publish();
    return result;
  }
}

function isPing(body: string | null | undefined): boolean {
  if (!body || body.length > MAX_CLIENT_FRAME_CHARS) return false;
  try {
    const frame = JSON.parse(body) as unknown;
    return typeof frame === 'object' && frame !== null && (frame as { type?: unknown }).type === 'ping';
  } catch {
    return false;
  }
}
