// What a route is: its endpoint, its acting user, its body and what it does. The route table
// (routes.ts) lists them; the pipeline (ApiHandler) and the OpenAPI description read them.
import type { UseCases } from './useCases.js';

export type ActorField = 'user_id' | 'sender_id' | 'requester_id';

export interface RouteCall<Body> {
  readonly body: Body;
  /** The authenticated acting user; '' for routes without one and anonymous group management. */
  readonly actorId: string;
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The client's address (API Gateway's sourceIp), for per-address limits. */
  readonly clientAddress: string;
  readonly useCases: UseCases;
}

export interface Actor {
  /** Body field naming the acting user (with body credentials; a bearer token may replace both). */
  readonly field: ActorField;
  /** Credentials may be left out where the group policy lets anyone manage groups (seed profile). */
  readonly anonymousUnderOpenManagement?: boolean;
}

export interface Route<Body extends object = any> {
  /** The endpoint name, as in the path. */
  readonly name: string;
  /** Name of the exported Lambda handler. */
  readonly handler: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** For routes that act for an authenticated user. */
  readonly actor?: Actor;
  /** class-validator DTO of the body, for routes that read one. */
  readonly body?: new () => Body;
  run(call: RouteCall<Body>): Promise<Record<string, unknown>>;
}
