export interface BlockRepository {
  /** Idempotent. */
  block(blockerId: string, blockedId: string): Promise<void>;
  /** Idempotent. */
  unblock(blockerId: string, blockedId: string): Promise<void>;
  /** Those of `candidateIds` who have blocked `userId` (one read of `userId`'s blockers). */
  blockersAmong(userId: string, candidateIds: readonly string[]): Promise<Set<string>>;
}
