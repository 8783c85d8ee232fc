// Per-client-address limits on what unauthenticated callers can make the server hash (SPEC 2).
import { DomainError } from './DomainError.js';
import type { RateLimiter } from '../ports/RateLimiter.js';

export interface AbuseLimits {
  readonly registerPerMinute: number;
  readonly unknownUserChecksPerMinute: number;
}

export const DEFAULT_ABUSE_LIMITS: AbuseLimits = Object.freeze({ registerPerMinute: 30, unknownUserChecksPerMinute: 30 });

/** Counts one use of `what` by `clientAddress`, or fails with rate_limited past `perMinute`. */
export async function requireWithinRate(
  limiter: RateLimiter,
  what: string,
  clientAddress: string,
  perMinute: number,
  now: number,
): Promise<void> {
  const decision = await limiter.take(`${what}:${clientAddress}`, perMinute, now);
  if (!decision.allowed) {
    throw new DomainError(
      'rate_limited',
      'Too many requests of this kind from your address; try again later.',
      undefined,
      decision.retryAfterSeconds,
    );
  }
}
