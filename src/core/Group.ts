// The group aggregate: membership rules live here, once, as pure functions of the current state.
// Repositories store snapshots and replace them with compare-and-set on `version`.
import { DomainError } from './DomainError.js';
import type { GroupPolicy } from './GroupPolicy.js';
import { Limits } from './Limits.js';

export type GroupRole = 'admin' | 'member';

export interface GroupMember {
  readonly userId: string;
  readonly role: GroupRole;
  readonly joinedAt: number;
}

export interface GroupSnapshot {
  readonly id: string;
  readonly name: string | null;
  readonly createdAt: number;
  /** In join order: the first is the longest-standing member. */
  readonly members: readonly GroupMember[];
  /** Incremented on every change; the condition of every replace. */
  readonly version: number;
}

/** A change that leaves the group as it was answers this instead of a new group. */
export type MembershipChange =
  | { readonly changed: true; readonly group: Group | null }
  | { readonly changed: false };

export class Group implements GroupSnapshot {
  private constructor(
    readonly id: string,
    readonly name: string | null,
    readonly createdAt: number,
    readonly members: readonly GroupMember[],
    readonly version: number,
  ) {}

  static restore(snapshot: GroupSnapshot): Group {
    return new Group(snapshot.id, snapshot.name, snapshot.createdAt, snapshot.members, snapshot.version);
  }

  /**
   * The creator is the first admin (with no creator, as the seed allows, the first member listed);
   * duplicate ids are ignored.
   */
  static create(
    id: string,
    name: string | null,
    creatorId: string | undefined,
    memberIds: readonly string[],
    now: number,
  ): Group {
    const ids = Group.memberIds(creatorId, memberIds);
    const admin = creatorId ?? ids[0];
    const members = ids.map((userId): GroupMember => ({ userId, role: userId === admin ? 'admin' : 'member', joinedAt: now }));
    return new Group(id, name, now, members, 1);
  }

  /** The creator (when there is one) first, then each other member once; fails past the size limit. */
  static memberIds(creatorId: string | undefined, memberIds: readonly string[]): string[] {
    const ids = [...new Set(creatorId === undefined ? memberIds : [creatorId, ...memberIds])];
    if (ids.length === 0) throw DomainError.validation('members', 'A group needs at least one member.');
    if (ids.length > Limits.groupMaxMembers) {
      throw new DomainError('group_full', `A group has at most ${Limits.groupMaxMembers} members.`);
    }
    return ids;
  }

  memberOf(userId: string): GroupMember | undefined {
    return this.members.find((m) => m.userId === userId);
  }

  /** Fails unless `userId` is a member; answers the member. */
  requireMember(userId: string): GroupMember {
    const member = this.memberOf(userId);
    if (!member) throw new DomainError('not_a_member', `You are not a member of ${this.id}.`);
    return member;
  }

  /** Only an admin may add others, unless the policy lets anyone manage members. */
  add(requesterId: string | undefined, userId: string, now: number, policy: GroupPolicy): MembershipChange {
    if (!policy.openManagement) this.requireAdmin(requesterId);
    if (this.memberOf(userId)) return { changed: false };
    if (this.members.length >= Limits.groupMaxMembers) {
      throw new DomainError('group_full', `${this.id} already has ${Limits.groupMaxMembers} members.`);
    }
    return { changed: true, group: this.next([...this.members, { userId, role: 'member', joinedAt: now }]) };
  }

  /**
   * Only an admin may remove others (unless the policy lets anyone); anyone may remove themselves.
   * When the last admin goes, the longest-standing member becomes admin; when the last member
   * goes, the group is gone (null).
   */
  remove(requesterId: string | undefined, userId: string, policy: GroupPolicy): MembershipChange {
    if (!policy.openManagement && requesterId !== userId) this.requireAdmin(requesterId);
    if (!this.memberOf(userId)) return { changed: false };
    const remaining = this.members.filter((m) => m.userId !== userId);
    if (remaining.length === 0) return { changed: true, group: null };
    const [eldest, ...rest] = remaining as [GroupMember, ...GroupMember[]];
    const withAdmin = remaining.some((m) => m.role === 'admin')
      ? remaining
      : [{ ...eldest, role: 'admin' as const }, ...rest];
    return { changed: true, group: this.next(withAdmin) };
  }

  private requireAdmin(userId: string | undefined): void {
    if (userId === undefined) throw new DomainError('unauthorized', 'Managing group members needs credentials.');
    if (this.requireMember(userId).role !== 'admin') {
      throw new DomainError('not_an_admin', `Only an admin of ${this.id} may do that.`);
    }
  }

  private next(members: readonly GroupMember[]): Group {
    return new Group(this.id, this.name, this.createdAt, members, this.version + 1);
  }
}

/** Why a user could not be put into a group: they have blocked the one adding them. */
export function blockedFromGroup(userIds: readonly string[]): DomainError {
  return new DomainError('blocked', `You are unable to add ${userIds.join(', ')} to a group.`);
}

export function groupNotFound(groupId: string): DomainError {
  return new DomainError('group_not_found', `Group ${groupId} does not exist.`);
}
