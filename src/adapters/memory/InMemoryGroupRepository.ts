import type { NotBlockedGuard } from '../../core/Blocking.js';
import type { Group, GroupChange, GroupMember, GroupMembership } from '../../core/Group.js';
import type { GroupRepository, GroupWriteOutcome } from '../../ports/GroupRepository.js';
import type { InMemoryStore } from './InMemoryStore.js';

export class InMemoryGroupRepository implements GroupRepository {
  constructor(private readonly store: InMemoryStore) {}

  async create(group: Group): Promise<GroupWriteOutcome> {
    if (this.store.groups.has(group.id)) return { status: 'conflict' };
    this.write(undefined, group);
    return { status: 'written' };
  }

  async findById(id: string): Promise<Group | undefined> {
    return this.store.groups.get(id);
  }

  addMember(groupId: string, version: number, member: GroupMember, guard?: NotBlockedGuard): Promise<GroupWriteOutcome> {
    return this.change(groupId, version, { kind: 'add', member }, guard);
  }

  removeMember(groupId: string, version: number, userId: string, promote?: string): Promise<GroupWriteOutcome> {
    return this.change(groupId, version, { kind: 'remove', userId, ...(promote === undefined ? {} : { promote }) });
  }

  delete(groupId: string, version: number, lastMemberId: string): Promise<GroupWriteOutcome> {
    return this.change(groupId, version, { kind: 'delete', userId: lastMemberId });
  }

  async listForUser(userId: string): Promise<GroupMembership[]> {
    const groups = [...(this.store.groupsByUser.get(userId) ?? [])].flatMap((id) => this.store.groups.get(id) ?? []);
    groups.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    return groups.flatMap((group) => {
      const member = group.memberOf(userId);
      return member ? [{ groupId: group.id, name: group.name, role: member.role }] : [];
    });
  }

  /** Checks and writes synchronously: one compare-and-set, like a DynamoDB transaction. */
  private async change(groupId: string, version: number, change: GroupChange, guard?: NotBlockedGuard): Promise<GroupWriteOutcome> {
    const stored = this.store.groups.get(groupId);
    if (!stored || stored.version !== version) return { status: 'conflict' };
    const blockedBy = guard ? this.store.blockersAmong(guard.userId, guard.blockerIds) : [];
    if (blockedBy.length > 0) return { status: 'blocked', blockedBy };
    this.write(stored, stored.apply(change));
    return { status: 'written' };
  }

  /** Stores `next` in place of `previous` (either may be absent) and keeps the user index in step. */
  private write(previous: Group | undefined, next: Group | null): void {
    const id = (next ?? previous)!.id;
    for (const member of previous?.members ?? []) this.store.groupsByUser.get(member.userId)?.delete(id);
    if (!next) {
      this.store.groups.delete(id);
      return;
    }
    this.store.groups.set(id, next);
    for (const member of next.members) {
      let ids = this.store.groupsByUser.get(member.userId);
      if (!ids) {
        ids = new Set();
        this.store.groupsByUser.set(member.userId, ids);
      }
      ids.add(id);
    }
  }
}
