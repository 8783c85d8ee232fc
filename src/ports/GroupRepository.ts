import type { Group, GroupRole } from '../core/Group.js';
import type { BlockedOutcome, NotBlockedGuard } from './BlockRepository.js';

export interface GroupMembership {
  readonly groupId: string;
  readonly name: string | null;
  readonly role: GroupRole;
}

export type GroupWriteOutcome =
  | { readonly status: 'written' }
  /** create: the id is taken; replace: the group is no longer at the expected version. */
  | { readonly status: 'conflict' }
  | BlockedOutcome;

export interface GroupRepository {
  /** Stores a new group unless its id is taken or the guard, when given, does not hold. */
  create(group: Group, guard?: NotBlockedGuard): Promise<GroupWriteOutcome>;
  findById(id: string): Promise<Group | undefined>;
  /**
   * Replaces `current` by `next` (or deletes the group when `next` is null) if the stored group is
   * still at `current.version` and the guard, when given, holds: one compare-and-set.
   */
  replace(current: Group, next: Group | null, guard?: NotBlockedGuard): Promise<GroupWriteOutcome>;
  /** The groups `userId` belongs to, oldest first. */
  listForUser(userId: string): Promise<GroupMembership[]>;
}
