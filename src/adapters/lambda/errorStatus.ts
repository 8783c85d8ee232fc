// The one table from error code to HTTP status (SPEC section 6). Anything not in it is a 500.
import type { DomainErrorCode } from '../../core/DomainError.js';

/** Failures of the HTTP exchange itself, found before any use case runs. */
export type TransportErrorCode =
  | 'invalid_json'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'request_timeout'
  | 'headers_too_large'
  | 'unsupported_media_type'
  | 'internal_error';

export type ErrorCode = DomainErrorCode | TransportErrorCode;

export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = Object.freeze({
  invalid_json: 400,
  validation_failed: 400,
  invalid_action: 400,
  unauthorized: 401,
  blocked: 403,
  not_a_member: 403,
  not_an_admin: 403,
  user_not_found: 404,
  group_not_found: 404,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  group_full: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_attempts: 429,
  rate_limited: 429,
  headers_too_large: 431,
  internal_error: 500,
  unavailable: 503,
});

export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'TransportError';
  }
}
