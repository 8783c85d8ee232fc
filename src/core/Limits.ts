// The product's numeric rules (SPEC sections 1, 2 and 4), in one place, each with where it comes from.
export const Limits = {
  passwordMinChars: 8,
  passwordMaxChars: 128,
  messageMaxChars: 4096,
  groupNameMaxChars: 100,
  groupMaxMembers: 1024,
  /** Longest id a client may send in any id field (SPEC 1); the ids this API makes are about 30. */
  idMaxChars: 64,
  inboxDefaultLimit: 100,
  inboxMaxLimit: 500,
  /** A message may become visible this long after its timestamp and must still be delivered. */
  lateWriteWindowMs: 5_000,
  /**
   * Most not-yet-settled messages one cursor remembers as delivered. 128 ids of at most 64
   * characters keep an encoded cursor under 12 KB, below SPEC's 16 KiB, whatever the traffic:
   * past it, unsettled messages wait (at most the late-write window) instead of growing the cursor.
   */
  cursorMaxUnsettled: 128,
  /**
   * Budget of one page's messages in the response body: SPEC's 1 MiB less room for the cursor and
   * the envelope. Lambda answers at most 6 MB, and 500 messages of 4,096 escaped characters are 12 MB.
   */
  pageMaxBytes: 1024 * 1024 - 32 * 1024,
  /** Failed password attempts for one user allowed in any window; further attempts are locked out. */
  passwordFailuresAllowed: 10,
  passwordAttemptWindowMs: 15 * 60_000,
  /**
   * A reserved password attempt frees its slot when the check ends; if the process dies first,
   * the slot frees itself after this long (far longer than a queued scrypt takes).
   */
  passwordAttemptReservationMs: 60_000,
  /** How long a password check waits for other checks of the same user to finish before 503. */
  passwordAttemptWaitMs: 10_000,
  /** How long a client_message_id (or Idempotency-Key) protects against duplicates. */
  idempotencyWindowMs: 24 * 60 * 60_000,
  /** Open push connections per user (SPEC push section): a new one past this closes the oldest. */
  connectionsPerUser: 10,
  /** API Gateway closes a WebSocket after 2 hours; a record of one is worthless after that. */
  connectionMaxAgeMs: 2 * 60 * 60_000,
} as const;

/** Length in Unicode code points, which is what a user calls characters. */
export function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
