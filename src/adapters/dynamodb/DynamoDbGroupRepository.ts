// A group is a META item (name, creation time, version) and one item per member in the group's
// partition, read together by one Query; each member also has a membership item in their own
// partition for list_groups. Every member change is one transaction conditioned on the version.
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NotBlockedGuard } from '../../core/Blocking.js';
import { Group, type GroupMember, type GroupMembership, type GroupRole } from '../../core/Group.js';
import type { Clock } from '../../ports/Clock.js';
import type { GroupRepository, GroupWriteOutcome } from '../../ports/GroupRepository.js';
import { errorName, type DynamoDbTable, type Item, type WriteRequest } from './DynamoDbTable.js';
import { groupPartition, keyOf, keys, ttlSeconds, userPartition, type Key } from './keys.js';
import { MAX_TRANSACTION_ITEMS, transact, type TransactItem } from './transactions.js';

const MEMBER = 'MEMBER#';
const MEMBERSHIP = 'GROUP#';
const WRITTEN: GroupWriteOutcome = Object.freeze({ status: 'written' });
const CONFLICT: GroupWriteOutcome = Object.freeze({ status: 'conflict' });
/**
 * A big group’s creation is one request (at most 8.5 s); a META still marked `creating` this long
 * after is a creation that failed: it expires (TTL), and what it left is never shown.
 */
export const CREATION_EXPIRY_MS = 60 * 60_000;

export class DynamoDbGroupRepository implements GroupRepository {
  constructor(
    private readonly table: DynamoDbTable,
    private readonly clock: Clock,
    /**
     * Whether list_groups deletes memberships whose group it does not find. Not with several
     * regions: a replica may hold a membership whose META has not replicated yet, and deleting it
     * there would replicate the deletion to the group's home (docs/multi-region.md §7).
     */
    private readonly cleanOrphans = true,
  ) {}

  /**
   * Up to 49 members (1 + 2 × 49 items) in one transaction. A bigger group is written in three
   * steps behind a META item marked `creating`, which every read treats as no group: the META
   * first (which also takes the id, and expires unless the creation finishes), then the members
   * in batches, then the mark and the expiry are removed. If the batches fail, what they wrote is
   * deleted again (best effort; list_groups removes what is left, see listForUser).
   * Creating 1,024 members is one transaction's worth of calls per 12 batches, not per 49 members.
   */
  async create(group: Group): Promise<GroupWriteOutcome> {
    const members = group.members.flatMap((member, index) => [
      memberItem(group.id, member, group.version, index),
      membershipItem(group.id, member),
    ]);
    const meta = { ...keys.group(group.id), name: group.name, createdAt: group.createdAt, v: group.version };
    const claimId = { ConditionExpression: 'attribute_not_exists(PK)' };
    if (members.length + 1 <= MAX_TRANSACTION_ITEMS) {
      const outcome = await transact(this.table, [
        { Put: { TableName: this.table.name, Item: meta, ...claimId } },
        ...members.map((Item): TransactItem => ({ Put: { TableName: this.table.name, Item } })),
      ]);
      return outcome.committed ? WRITTEN : CONFLICT;
    }
    const expiring = { creating: true, ttl: ttlSeconds(group.createdAt + CREATION_EXPIRY_MS) };
    try {
      await this.table.send(new PutCommand({ TableName: this.table.name, Item: { ...meta, ...expiring }, ...claimId }));
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return CONFLICT;
      throw error;
    }
    try {
      await this.table.writeAll(members.map((Item): WriteRequest => ({ PutRequest: { Item } })));
    } catch (error) {
      const written = [...members.map(keyOf), keys.group(group.id)];
      await this.table.writeAll(written.map((Key): WriteRequest => ({ DeleteRequest: { Key } }))).catch(() => undefined);
      throw error;
    }
    await this.table.send(
      new UpdateCommand({ TableName: this.table.name, Key: keys.group(group.id), UpdateExpression: 'REMOVE creating, #ttl', ExpressionAttributeNames: { '#ttl': 'ttl' } }),
    );
    return WRITTEN;
  }

  async findById(id: string): Promise<Group | undefined> {
    const items = await this.table.query({
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': groupPartition(id) },
      ConsistentRead: true,
    });
    const meta = items.find((item) => item.SK === keys.group(id).SK);
    if (!meta || meta.creating) return undefined;
    const members = items
      .filter((item) => (item.SK as string).startsWith(MEMBER))
      .sort((a, b) => (a.jv as number) - (b.jv as number) || (a.ix as number) - (b.ix as number))
      .map((item): GroupMember => ({ userId: item.userId as string, role: item.role as GroupRole, joinedAt: item.joinedAt as number }));
    return Group.restore({
      id,
      name: (meta.name as string | null | undefined) ?? null,
      createdAt: meta.createdAt as number,
      members,
      version: meta.v as number,
    });
  }

  async addMember(groupId: string, version: number, member: GroupMember, guard?: NotBlockedGuard): Promise<GroupWriteOutcome> {
    const blockers = guard?.blockerIds ?? [];
    const outcome = await transact(this.table, [
      this.nextVersion(groupId, version),
      { Put: { TableName: this.table.name, Item: memberItem(groupId, member, version + 1, 0) } },
      { Put: { TableName: this.table.name, Item: membershipItem(groupId, member) } },
      ...blockers.map(
        (blockerId): TransactItem => ({
          ConditionCheck: {
            TableName: this.table.name,
            Key: keys.blockedBy(guard!.userId, blockerId),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        }),
      ),
    ]);
    if (outcome.committed) return WRITTEN;
    const blockedBy = blockers.filter((_, i) => outcome.failed[3 + i]);
    if (!outcome.failed[0] && blockedBy.length > 0) return { status: 'blocked', blockedBy };
    return CONFLICT;
  }

  async removeMember(groupId: string, version: number, userId: string, promote?: string): Promise<GroupWriteOutcome> {
    const promotion = (key: { PK: string; SK: string }): TransactItem => ({
      Update: {
        TableName: this.table.name,
        Key: key,
        UpdateExpression: 'SET #role = :admin',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: { ':admin': 'admin' },
      },
    });
    const outcome = await transact(this.table, [
      this.nextVersion(groupId, version),
      { Delete: { TableName: this.table.name, Key: keys.member(groupId, userId) } },
      { Delete: { TableName: this.table.name, Key: keys.membership(userId, groupId) } },
      ...(promote === undefined ? [] : [promotion(keys.member(groupId, promote)), promotion(keys.membership(promote, groupId))]),
    ]);
    return outcome.committed ? WRITTEN : CONFLICT;
  }

  async delete(groupId: string, version: number, lastMemberId: string): Promise<GroupWriteOutcome> {
    const outcome = await transact(this.table, [
      {
        Delete: {
          TableName: this.table.name,
          Key: keys.group(groupId),
          ConditionExpression: 'v = :version AND attribute_not_exists(creating)',
          ExpressionAttributeValues: { ':version': version },
        },
      },
      { Delete: { TableName: this.table.name, Key: keys.member(groupId, lastMemberId) } },
      { Delete: { TableName: this.table.name, Key: keys.membership(lastMemberId, groupId) } },
    ]);
    return outcome.committed ? WRITTEN : CONFLICT;
  }

  /**
   * The user's membership items, then the groups' META items in one batch read: the names live
   * there once, and a group still being created is not listed. A membership whose group is gone,
   * or whose creation failed (`creating` past CREATION_EXPIRY_MS), is not listed either, and is
   * deleted with its group-side twin, so no later list reads it again.
   */
  async listForUser(userId: string): Promise<GroupMembership[]> {
    const memberships = await this.table.query({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': userPartition(userId), ':prefix': MEMBERSHIP },
      ConsistentRead: true,
    });
    if (memberships.length === 0) return [];
    const metas = await this.table.getMany(memberships.map((m) => keys.group(m.groupId as string)));
    const metaOf = new Map(metas.map((meta) => [(meta.PK as string).slice('GROUP#'.length), meta]));
    const failedBefore = this.clock.now() - CREATION_EXPIRY_MS;
    const orphans = memberships.filter((m) => {
      const meta = metaOf.get(m.groupId as string);
      return !meta || (meta.creating === true && (meta.createdAt as number) < failedBefore);
    });
    if (this.cleanOrphans && orphans.length > 0) {
      const keysLeft = orphans.flatMap((m): Key[] => [keys.membership(userId, m.groupId as string), keys.member(m.groupId as string, userId)]);
      await this.table.writeAll(keysLeft.map((Key): WriteRequest => ({ DeleteRequest: { Key } }))).catch(() => undefined);
    }
    return memberships
      .flatMap((m) => {
        const meta = metaOf.get(m.groupId as string);
        return meta && !meta.creating ? [{ meta, membership: { groupId: m.groupId as string, name: (meta.name as string | null) ?? null, role: m.role as GroupRole } }] : [];
      })
      .sort((a, b) => (a.meta.createdAt as number) - (b.meta.createdAt as number) || (a.membership.groupId < b.membership.groupId ? -1 : 1))
      .map(({ membership }) => membership);
  }

  /** The compare-and-set every member change starts with. */
  private nextVersion(groupId: string, version: number): TransactItem {
    return {
      Update: {
        TableName: this.table.name,
        Key: keys.group(groupId),
        UpdateExpression: 'SET v = :next',
        ConditionExpression: 'v = :version AND attribute_not_exists(creating)',
        ExpressionAttributeValues: { ':version': version, ':next': version + 1 },
      },
    };
  }
}

/** Join order is the version the member joined at, then the place in the creation list. */
function memberItem(groupId: string, member: GroupMember, joinedAtVersion: number, index: number): Item {
  return {
    ...keys.member(groupId, member.userId),
    userId: member.userId,
    role: member.role,
    joinedAt: member.joinedAt,
    jv: joinedAtVersion,
    ix: index,
  };
}

function membershipItem(groupId: string, member: GroupMember): Item {
  return { ...keys.membership(member.userId, groupId), groupId, role: member.role };
}
