// The request pipeline every route shares: route, read and validate the body, authenticate the
// acting user, run the use case, map any failure through the error table, log one line and
// publish what the request counted (ServiceMetrics).
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../core/DomainError.js';
import type { GroupPolicy } from '../../core/GroupPolicy.js';
import { toApiRequest, type ApiGatewayEvent, type ApiRequest } from './ApiRequest.js';
import { ERROR_STATUS, TransportError, type ErrorCode } from './errorStatus.js';
import { quoted } from './quoted.js';
import { refusedRequest, type RefusedRequestCode } from './refusedRequest.js';
import { readJsonObject, toDto } from './requestBody.js';
import { RequestAuthenticator } from './RequestAuthenticator.js';
import { withinRequestBudget } from './requestDeadline.js';
import type { InvocationContext, RequestLog } from './RequestLog.js';
import type { ResponseShaper } from './ResponseShaper.js';
import { jsonResult, type HttpResult } from './responses.js';
import type { Route } from './Route.js';
import { FAILURE_METRICS, type ServiceMetrics } from './ServiceMetrics.js';
import type { UseCases } from './useCases.js';

/** Lambda's handler signature: the event, and the invocation's context (Lambda's, or the local server's stand-in). */
export type LambdaHandler = (event: ApiGatewayEvent, context?: InvocationContext) => Promise<HttpResult>;

export interface ApiHandlerDependencies {
  readonly routes: readonly Route[];
  readonly useCases: UseCases;
  readonly policy: GroupPolicy;
  readonly shaper: ResponseShaper;
  readonly log: RequestLog;
  readonly metrics: ServiceMetrics;
}

export class ApiHandler {
  private readonly routes: readonly Route[];
  private readonly useCases: UseCases;
  private readonly authenticator: RequestAuthenticator;
  private readonly shaper: ResponseShaper;
  private readonly log: RequestLog;
  private readonly metrics: ServiceMetrics;

  constructor(dependencies: ApiHandlerDependencies) {
    this.routes = dependencies.routes;
    this.useCases = dependencies.useCases;
    this.authenticator = new RequestAuthenticator(
      this.useCases.authenticateUser,
      this.useCases.authenticateToken,
      dependencies.policy,
    );
    this.shaper = dependencies.shaper;
    this.log = dependencies.log;
    this.metrics = dependencies.metrics;
  }

  /** Serves any path: unknown paths get 404, known paths with the wrong method 405. */
  readonly router: LambdaHandler = (event, context) => withinRequestBudget(() => this.handle(event, undefined, context));

  /** Serves one route, as API Gateway does when it routes by method and path. */
  forRoute(route: Route): LambdaHandler {
    return (event, context) => withinRequestBudget(() => this.handle(event, route, context));
  }

  /** The answer to a request the local server refuses (too large, unreadable, too slow), shaped like any error. */
  transportError(code: RefusedRequestCode, requestId: string): HttpResult {
    return this.errorResult(refusedRequest(code), requestId);
  }

  private async handle(event: ApiGatewayEvent, fixed: Route | undefined, context: InvocationContext | undefined): Promise<HttpResult> {
    const started = performance.now();
    this.log.invocation(context);
    let request: ApiRequest | undefined;
    let route: Route | undefined;
    let actorId = '';
    let result: HttpResult;
    let failure: unknown;
    try {
      // Inside the try: a malformed event is the SPEC's 500, not a Lambda runtime error (502).
      request = toApiRequest(event);
      route = fixed ?? findRoute(this.routes, request);
      if (request.method !== route.method) throw methodNotAllowed(route);
      const json = route.method === 'POST' ? readJsonObject(request) : {};
      const body = route.body ? toDto(route.body, json) : {};
      actorId = await this.authenticator.actorOf(route, request, json);
      const answer = await route.run({
        body,
        actorId,
        headers: request.headers,
        clientAddress: request.sourceIp,
        useCases: this.useCases,
      });
      result = jsonResult(200, this.shaper.success(route.name, answer), request.requestId);
    } catch (error) {
      failure = error;
      result = this.errorResult(error, request?.requestId ?? randomUUID());
    }
    this.log.record({
      requestId: result.headers['X-Request-Id']!,
      method: request?.method ?? '',
      path: request?.path ?? '',
      route: route?.name,
      status: result.statusCode,
      durationMs: Math.round(performance.now() - started),
      error: failure === undefined ? undefined : errorCode(failure),
      cause: failure === undefined || errorCode(failure) !== 'internal_error' ? undefined : errorName(failure),
      userId: actorId || undefined,
    });
    const counted = failure === undefined ? undefined : FAILURE_METRICS[errorCode(failure)];
    if (counted) this.metrics.add(counted);
    this.metrics.publish();
    return result;
  }

  private errorResult(error: unknown, requestId: string): HttpResult {
    const code = errorCode(error);
    const headers: Record<string, string> = { ...(error instanceof TransportError ? error.headers : {}) };
    if (error instanceof DomainError && error.retryAfterSeconds !== undefined) {
      headers['Retry-After'] = String(error.retryAfterSeconds);
    }
    const message =
      code === 'internal_error'
        ? `Something went wrong on our side. Quote request id ${requestId} if you report it.`
        : (error as DomainError | TransportError).message;
    const details = error instanceof DomainError ? error.details : undefined;
    return jsonResult(ERROR_STATUS[code], this.shaper.error(code, message, details, requestId), requestId, headers);
  }
}

function findRoute(routes: readonly Route[], request: ApiRequest): Route {
  const candidates = routes.filter((r) => r.path === request.path);
  const match = candidates.find((r) => r.method === request.method);
  if (match) return match;
  const [first] = candidates;
  if (first) throw methodNotAllowed(first);
  throw new TransportError('not_found', `There is no endpoint ${quoted(request.path)}.`);
}

function methodNotAllowed(route: Route): TransportError {
  return new TransportError('method_not_allowed', `${route.path} accepts ${route.method} only.`, {
    Allow: route.method,
  });
}

function errorCode(error: unknown): ErrorCode {
  if (error instanceof DomainError || error instanceof TransportError) return error.code;
  return 'internal_error';
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.constructor.name : typeof error;
}
