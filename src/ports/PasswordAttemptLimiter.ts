export type AttemptPermit =
  /** `window` identifies the counting window the attempt was counted in. */
  | { readonly allowed: true; readonly window: number }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * Brute-force lockout: counts password attempts per user id in a fixed window. Every attempt is
 * counted before the password is checked (atomically, so concurrent guesses cannot slip past the
 * limit) and a right password takes its attempt back, so what remains counted are the failures.
 */
export interface PasswordAttemptLimiter {
  /** Counts an attempt, unless `maxFailures` are already counted in the current window. */
  acquire(userId: string, now: number): Promise<AttemptPermit>;
  /** Takes back an attempt that turned out to have the right password. */
  refund(userId: string, window: number): Promise<void>;
}
