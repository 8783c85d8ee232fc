// Who is acting: body credentials (the route's actor field and `password`) or a bearer token
// from `login`. A token speaks for its own user only, whatever ids the body carries.
import { DomainError } from '../../core/DomainError.js';
import type { GroupPolicy } from '../../core/GroupPolicy.js';
import { Limits } from '../../core/Limits.js';
import type { AuthenticateToken } from '../../core/use-cases/AuthenticateToken.js';
import type { AuthenticateUser } from '../../core/use-cases/AuthenticateUser.js';
import type { ApiRequest } from './ApiRequest.js';
import type { Route } from './Route.js';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i;

export class RequestAuthenticator {
  constructor(
    private readonly authenticateUser: AuthenticateUser,
    private readonly authenticateToken: AuthenticateToken,
    private readonly policy: GroupPolicy,
  ) {}

  /** The acting user's id; '' for a route without an actor, or anonymous group management where the policy allows it. */
  async actorOf(route: Route, request: ApiRequest, json: Record<string, unknown>): Promise<string> {
    if (!route.actor) return '';
    const field = route.actor.field;
    const claimed = idField(json, field);
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const token = BEARER.exec(authorization.trim())?.[1];
      if (!token) throw new DomainError('unauthorized', 'The Authorization header must be "Bearer <token>".');
      const { userId } = await this.authenticateToken.execute(token);
      if (claimed !== undefined && claimed !== userId) {
        throw new DomainError('unauthorized', `The token does not belong to ${field} ${claimed}.`);
      }
      return userId;
    }
    const password = stringField(json, 'password');
    if (password === undefined && route.actor.anonymousUnderOpenManagement && this.policy.openManagement) return '';
    if (claimed === undefined || password === undefined) {
      throw new DomainError('unauthorized', `This endpoint needs ${field} and password, or a bearer token.`);
    }
    return this.authenticateUser.execute({ userId: claimed, password, clientAddress: request.sourceIp });
  }
}

/** A credentials field: absent, or a string; anything else is a validation failure. */
function stringField(json: Record<string, unknown>, field: string): string | undefined {
  const value = json[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw DomainError.validation(field, `${field} must be a string.`);
  return value;
}

/** The acting user's id field: absent, or an id of 1 to 64 characters (SPEC 1). */
function idField(json: Record<string, unknown>, field: string): string | undefined {
  const value = stringField(json, field);
  if (value !== undefined && (value.length === 0 || value.length > Limits.idMaxChars)) {
    throw DomainError.validation(field, `${field} must be 1 to ${Limits.idMaxChars} characters.`);
  }
  return value;
}
