// The group aggregate: membership rules live here, once, as pure functions of the current state.
// A rule answers the change to make (add, remove, delete); a repository applies that one change
// if the group is still at the version the rule saw (compare-and-set).
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

/** A group a user belongs to, as list_groups shows it. */
export interface GroupMembership {
  readonly groupId: string;
  readonly name: string | null;
  readonly role: GroupRole;
}

/** One change to a group's members, made from the version a rule saw. */
export type GroupChange =
  | { readonly kind: 'add'; readonly member: GroupMember }
  /** `promote` becomes admin because the last admin is leaving. */
  | { readonly kind: 'remove'; readonly userId: string; readonly promote?: string }
  /** The last member leaves: the group is gone. */
  | { readonly kind: 'delete'; readonly userId: string };

/** A rule that leaves the group as it was answers `changed: false` instead of a change. */
export type MembershipChange = { readonly changed: true; readonly change: GroupChange } | { readonly changed: false };

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
    return { changed: true, change: { kind: 'add', member: { userId, role: 'member', joinedAt: now } } };
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
    const [eldest] = remaining;
    if (!eldest) return { changed: true, change: { kind: 'delete', userId } };
    const promote = remaining.some((m) => m.role === 'admin') ? undefined : eldest.userId;
    return { changed: true, change: { kind: 'remove', userId, ...(promote === undefined ? {} : { promote }) } };
  }

  /** The group after `change` (null when it deletes the group), one version on. */
  apply(change: GroupChange): Group | null {
    switch (change.kind) {
      case 'add':
        return this.next([...this.members, change.member]);
      case 'remove':
        return this.next(
          this.members
            .filter((m) => m.userId !== change.userId)
            .map((m) => (m.userId === change.promote ? { ...m, role: 'admin' as const } : m)),
        );
      case 'delete':
        return null;
    }
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
