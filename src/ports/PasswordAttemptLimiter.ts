export type AttemptReservation =
  | { readonly status: 'reserved'; readonly reservationId: string }
  | { readonly status: 'locked'; readonly retryAfterSeconds: number }
  /** Every attempt the window still allows is taken by checks in progress: wait for them. */
  | { readonly status: 'busy' };

/**
 * Brute-force lockout (rules in core/Lockout.ts), shared by every process that serves the API.
 * Reading the lock state is part of UserRepository.findForSignIn, so a check costs one read; a
 * password that needs hashing first reserves an attempt, atomically, so concurrent wrong guesses
 * cannot pass the limit; then the attempt either fails (one atomic update) or is released.
 */
export interface PasswordAttemptLimiter {
  /** Reserves one of the attempts the window still allows for `userId`. */
  reserve(userId: string, now: number): Promise<AttemptReservation>;
  /** The reserved attempt had a wrong password: it counts as a failure at `now`. */
  fail(userId: string, reservationId: string, now: number): Promise<void>;
  /** The reserved attempt succeeded or never ran: its slot is free again, nothing is counted. */
  release(userId: string, reservationId: string): Promise<void>;
}
