// Groups with several regions (D3): every change is a version-conditioned transaction at the
// group's home, and get_group and a group send's membership read there too, so the size limit,
// the last admin and concurrent changes from two regions decide in one place. While the home is
// out a group change answers 503 (D9: two admins leaving in two regions would leave none, and
// nothing could repair it); reads fall back to the local replica. list_groups reads locally.
import type { NotBlockedGuard } from '../../../core/Blocking.js';
import type { Group, GroupMember, GroupMembership } from '../../../core/Group.js';
import type { BlockRepository } from '../../../ports/BlockRepository.js';
import type { Clock } from '../../../ports/Clock.js';
import type { GroupRepository, GroupWriteOutcome } from '../../../ports/GroupRepository.js';
import { DynamoDbGroupRepository } from '../DynamoDbGroupRepository.js';
import type { HomeRouter } from './HomeRouter.js';
import { PerTable } from './PerTable.js';

export class RegionalGroupRepository implements GroupRepository {
  private readonly repos: PerTable<DynamoDbGroupRepository>;

  constructor(
    private readonly router: HomeRouter,
    clock: Clock,
    /** Reads a guard's blocks at their home (RegionalBlockRepository). */
    private readonly blocks: BlockRepository,
  ) {
    this.repos = new PerTable((table) => new DynamoDbGroupRepository(table, clock, false));
  }

  create(group: Group): Promise<GroupWriteOutcome> {
    return this.atGroupsHome(group.id, 'create_group', 'refuse', (repo) => repo.create(group));
  }

  findById(id: string): Promise<Group | undefined> {
    return this.atGroupsHome(id, 'get_group', 'fallback', (repo) => repo.findById(id));
  }

  /**
   * The guard's blocks live at the requester's home; the transaction at the group's home checks
   * them on its replica, which may lag. So they are read at their home first: a block made before
   * this request is seen wherever it was made; one landing in between counts as made just after.
   */
  async addMember(groupId: string, version: number, member: GroupMember, guard?: NotBlockedGuard): Promise<GroupWriteOutcome> {
    const homes = this.router.homes;
    if (guard && homes.ofId(guard.userId) !== homes.ofId(groupId)) {
      const blockers = await this.blocks.blockersAmong(guard.userId, guard.blockerIds);
      if (blockers.size > 0) return { status: 'blocked', blockedBy: guard.blockerIds.filter((id) => blockers.has(id)) };
    }
    return this.atGroupsHome(groupId, 'add_remove_users', 'refuse', (repo) => repo.addMember(groupId, version, member, guard));
  }

  removeMember(groupId: string, version: number, userId: string, promote?: string): Promise<GroupWriteOutcome> {
    return this.atGroupsHome(groupId, 'add_remove_users', 'refuse', (repo) => repo.removeMember(groupId, version, userId, promote));
  }

  delete(groupId: string, version: number, lastMemberId: string): Promise<GroupWriteOutcome> {
    return this.atGroupsHome(groupId, 'add_remove_users', 'refuse', (repo) => repo.delete(groupId, version, lastMemberId));
  }

  /** The local replica: a membership made less than the replication lag ago elsewhere may be missing. */
  listForUser(userId: string): Promise<GroupMembership[]> {
    return this.repos.of(this.router.local).listForUser(userId);
  }

  private atGroupsHome<T>(
    groupId: string,
    operation: string,
    whenOut: 'fallback' | 'refuse',
    work: (repo: DynamoDbGroupRepository) => Promise<T>,
  ): Promise<T> {
    return this.router.atHome(this.router.homes.ofId(groupId), operation, whenOut, (table) => work(this.repos.of(table)));
  }
}
