// The product's numeric rules (SPEC section 2 and 4), in one place.
export const Limits = {
  passwordMinChars: 8,
  passwordMaxChars: 128,
  messageMaxChars: 4096,
  groupNameMaxChars: 100,
  groupMaxMembers: 1024,
  inboxDefaultLimit: 100,
  inboxMaxLimit: 500,
  /** A message may become visible this long after its timestamp and must still be delivered. */
  lateWriteWindowMs: 5_000,
  /** Failed password attempts for one user allowed per window; further attempts are locked out. */
  passwordFailuresAllowed: 10,
  passwordAttemptWindowMs: 15 * 60_000,
  /** How long a client_message_id (or Idempotency-Key) protects against duplicates. */
  idempotencyWindowMs: 24 * 60 * 60_000,
} as const;

/** Length in Unicode code points, which is what a user calls characters. */
export function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
