// Expected failures of the use cases. They carry a stable code and no HTTP status:
// the lambda adapter owns the one table from code to status.

export type DomainErrorCode =
  | 'validation_failed'
  | 'invalid_action'
  | 'unauthorized'
  | 'blocked'
  | 'not_a_member'
  | 'not_an_admin'
  | 'user_not_found'
  | 'group_not_found'
  | 'group_full'
  | 'conflict'
  | 'too_many_attempts'
  | 'rate_limited'
  | 'unavailable';

/** One bad input field, named as the client sent it. */
export interface FieldProblem {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: readonly FieldProblem[],
    /** Seconds after which a retry may succeed (429 and 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(field: string, message: string): DomainError {
    return new DomainError('validation_failed', 'The request is not valid.', [{ field, message }]);
  }
}
