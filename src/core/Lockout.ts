// Brute-force lockout as a sliding window (SPEC 2): never more than Limits.passwordFailuresAllowed
// failed password attempts for one user id in any Limits.passwordAttemptWindowMs. Only failures
// count. Storage keeps the failure times and the attempts still being checked; these pure rules
// decide what they mean, the same way for every adapter.
import { Limits } from './Limits.js';

export type Lockout =
  | { readonly locked: false }
  | { readonly locked: true; readonly retryAfterSeconds: number };

export const NOT_LOCKED: Lockout = Object.freeze({ locked: false });

/** The failure times (epoch ms) still inside the window at `now`, oldest first. */
export function failuresInWindow(failures: readonly number[], now: number): number[] {
  return failures.filter((at) => at > now - Limits.passwordAttemptWindowMs).sort((a, b) => a - b);
}

/** Locked while the window holds the allowed number of failures, until enough of them leave it. */
export function lockoutOf(failures: readonly number[], now: number): Lockout {
  const recent = failuresInWindow(failures, now);
  const excess = recent.length - Limits.passwordFailuresAllowed;
  if (excess < 0) return NOT_LOCKED;
  // The window must drop `excess + 1` failures, so the lock lifts when that many oldest ones leave.
  const liftsAt = recent[excess]! + Limits.passwordAttemptWindowMs;
  return { locked: true, retryAfterSeconds: Math.max(1, Math.ceil((liftsAt - now) / 1000)) };
}

/**
 * Attempts that may start now: each running check may still turn out a failure, so running
 * checks take slots too. This is what keeps concurrent wrong guesses at the limit.
 */
export function freeAttempts(failures: readonly number[], running: number, now: number): number {
  return Math.max(0, Limits.passwordFailuresAllowed - failuresInWindow(failures, now).length - running);
}
