// How bodies look in each profile. The secure profile answers what the routes produce and
// `{"error", "message", "details"?}`; the seed profile answers exactly the original system's
// shapes, nothing added, and `{"message"}` for every error.
import type { FieldProblem } from '../../core/DomainError.js';
import type { ErrorCode } from './errorStatus.js';

export type Body = Record<string, unknown>;

export interface ResponseShaper {
  success(routeName: string, body: Body): Body;
  error(code: ErrorCode, message: string, details: readonly FieldProblem[] | undefined, requestId: string): Body;
}

export class SecureResponseShaper implements ResponseShaper {
  success(_routeName: string, body: Body): Body {
    return body;
  }

  error(code: ErrorCode, message: string, details: readonly FieldProblem[] | undefined, requestId: string): Body {
    return {
      error: code,
      message,
      ...(details ? { details } : {}),
      ...(code === 'internal_error' ? { request_id: requestId } : {}),
    };
  }
}

const pick =
  (...fields: string[]) =>
  (body: Body): Body =>
    Object.fromEntries(fields.filter((f) => f in body).map((f) => [f, body[f]]));

const seedMessage = pick('timestamp', 'sender_id', 'message', 'group_id');

/** The seed's body for each route it had; routes it did not have answer as in the secure profile. */
const SEED_BODIES: Readonly<Record<string, (body: Body) => Body>> = {
  register_user: pick('user_id'),
  send_message: pick('message'),
  check_messages: (body) => ({ messages: (body.messages as Body[]).map(seedMessage) }),
  block_user: pick('message'),
  create_group: pick('group_id'),
  add_remove_users: pick('message'),
  send_group_message: pick('message'),
};

/** Where the seed had its own sentence for an error. */
const SEED_SENTENCES: Partial<Record<ErrorCode, string>> = {
  invalid_action: 'Invalid action or user already in desired state.',
};

export class SeedResponseShaper implements ResponseShaper {
  success(routeName: string, body: Body): Body {
    return SEED_BODIES[routeName]?.(body) ?? body;
  }

  error(code: ErrorCode, message: string): Body {
    return { message: SEED_SENTENCES[code] ?? message };
  }
}
