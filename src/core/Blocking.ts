// What "A has blocked B" means to writes that must respect it (SPEC 4, blocking).

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
