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
} as const;

/** Length in Unicode code points, which is what a user calls characters. */
export function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
