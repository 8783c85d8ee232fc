import type { Group } from '../../core/Group.js';
import type { NotBlockedGuard } from '../../ports/BlockRepository.js';
import type { GroupMembership, GroupRepository, GroupWriteOutcome } from '../../ports/GroupRepository.js';
import type { InMemoryStore } from './InMemoryStore.js';

export class InMemoryGroupRepository implements GroupRepository {
  constructor(private readonly store: InMemoryStore) {}

  async create(group: Group, guard?: NotBlockedGuard): Promise<GroupWriteOutcome> {
    if (this.store.groups.has(group.id)) return { status: 'conflict' };
    const blocked = guard && this.checkGuard(guard);
    if (blocked) return blocked;
    this.write(undefined, group);
    return { status: 'written' };
  }

  async findById(id: string): Promise<Group | undefined> {
    return this.store.groups.get(id);
  }

  async replace(current: Group, next: Group | null, guard?: NotBlockedGuard): Promise<GroupWriteOutcome> {
    const stored = this.store.groups.get(current.id);
    if (!stored || stored.version !== current.version) return { status: 'conflict' };
    const blocked = guard && this.checkGuard(guard);
    if (blocked) return blocked;
    this.write(stored, next);
    return { status: 'written' };
  }

  async listForUser(userId: string): Promise<GroupMembership[]> {
    const groups = [...(this.store.groupsByUser.get(userId) ?? [])].flatMap((id) => this.store.groups.get(id) ?? []);
    groups.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    return groups.flatMap((group) => {
      const member = group.memberOf(userId);
      return member ? [{ groupId: group.id, name: group.name, role: member.role }] : [];
    });
  }

  private checkGuard(guard: NotBlockedGuard): GroupWriteOutcome | undefined {
    const blockedBy = this.store.blockersAmong(guard.userId, guard.blockerIds);
    return blockedBy.length > 0 ? { status: 'blocked', blockedBy } : undefined;
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
