export interface BlockRepository {
  /** Idempotent. */
  block(blockerId: string, blockedId: string): Promise<void>;
  /** Idempotent. */
  unblock(blockerId: string, blockedId: string): Promise<void>;
  /** Those of `candidateIds` who have blocked `userId`. */
  blockersAmong(userId: string, candidateIds: readonly string[]): Promise<Set<string>>;
}

/**
 * "None of `blockerIds` has blocked `userId`", checked by a repository in the same atomic step
 * as the write it guards, so that no block can slip in between a check and a write.
 */
export interface NotBlockedGuard {
  readonly userId: string;
  readonly blockerIds: readonly string[];
}

/** How a guarded write ends when the guard does not hold. */
export interface BlockedOutcome {
  readonly status: 'blocked';
  /** The ids of the guard's blockers that have blocked its user. */
  readonly blockedBy: readonly string[];
}
