import type { BlockedOutcome, NotBlockedGuard } from '../core/Blocking.js';
import type { Group, GroupMember, GroupMembership } from '../core/Group.js';

export type GroupWriteOutcome =
  | { readonly status: 'written' }
  /** create: the id is taken; the others: the group is gone or no longer at the expected version. */
  | { readonly status: 'conflict' }
  | BlockedOutcome;

/**
 * Groups and their members. Each change is one member operation, applied only if the group is
 * still at `version` (and then it is one version on): concurrent changes cannot both pass a rule
 * that only one of them may pass, such as the size limit. No operation rewrites the whole group.
 */
export interface GroupRepository {
  /** Stores a new group, at version 1, unless its id is taken. Works for up to the size limit. */
  create(group: Group): Promise<GroupWriteOutcome>;
  findById(id: string): Promise<Group | undefined>;
  /** Adds `member` if the guard, when given, holds in the same atomic step. */
  addMember(groupId: string, version: number, member: GroupMember, guard?: NotBlockedGuard): Promise<GroupWriteOutcome>;
  /** Removes `userId`; `promote`, when given, becomes admin in the same step. */
  removeMember(groupId: string, version: number, userId: string, promote?: string): Promise<GroupWriteOutcome>;
  /** Removes `lastMemberId`, the only member, and with them the group. */
  delete(groupId: string, version: number, lastMemberId: string): Promise<GroupWriteOutcome>;
  /** The groups `userId` belongs to, oldest first. */
  listForUser(userId: string): Promise<GroupMembership[]>;
}
