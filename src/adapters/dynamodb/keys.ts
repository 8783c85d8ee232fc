// The single table's key design: every entity, where it lives. The one-page explanation, with the
// calls each API operation makes, is docs/dynamodb.md.
import type { InboxPosition } from '../../core/InboxCursor.js';

export interface Key {
  readonly PK: string;
  readonly SK: string;
}

/** A user's own items sort first in their partition (`#`), so one Query reads exactly them. */
export const OWN_ITEMS_PREFIX = '#';

export const keys = {
  /** The user: stored password hash and creation time. */
  profile: (userId: string): Key => ({ PK: `USER#${userId}`, SK: '#PROFILE' }),
  /** Password failures and checks in progress for an id, known or not (the lockout). */
  lockout: (userId: string): Key => ({ PK: `USER#${userId}`, SK: '#LOCK' }),
  /** `blockerId` has blocked `userId`: kept in the blocked user's partition, read when they send. */
  blockedBy: (userId: string, blockerId: string): Key => ({ PK: `USER#${userId}`, SK: `BLOCKEDBY#${blockerId}` }),
  /** `userId` is in `groupId`, with their role: the user's side of a membership, for list_groups. */
  membership: (userId: string, groupId: string): Key => ({ PK: `USER#${userId}`, SK: `GROUP#${groupId}` }),
  /** A sender's claim of a client_message_id. */
  sent: (senderId: string, clientMessageId: string): Key => ({ PK: `USER#${senderId}`, SK: `SENT#${clientMessageId}` }),
  /** A group: name, creation time and the version every member change moves on. */
  group: (groupId: string): Key => ({ PK: `GROUP#${groupId}`, SK: '#META' }),
  /** `userId` in `groupId`: the group's side of a membership, read with the group. */
  member: (groupId: string, userId: string): Key => ({ PK: `GROUP#${groupId}`, SK: `MEMBER#${userId}` }),
  /** One message in one inbox, sorted by position. */
  inbox: (userId: string, position: InboxPosition): Key => ({ PK: inboxPartition(userId), SK: inboxSortKey(position) }),
  /**
   * A user's open push connections, all in one item (a map by connection id), so that one
   * conditional write keeps them at most ten however many connects race, and a push reads one item.
   * Not `#`-prefixed: it is not among the items a sign-in reads.
   */
  connections: (userId: string): Key => ({ PK: `USER#${userId}`, SK: 'CONNS' }),
  /** Several regions: the user's connections held in one region (docs/multi-region.md, D7). */
  regionConnections: (userId: string, region: string): Key => ({ PK: `USER#${userId}`, SK: `CONNS#${region}` }),
  /** The same connection by its id alone, as $disconnect and API Gateway know it. */
  connection: (connectionId: string): Key => ({ PK: `CONN#${connectionId}`, SK: '#CONN' }),
  /** One client address's uses of something in one minute. */
  rate: (key: string, windowStart: number): Key => ({ PK: `RATE#${key}`, SK: String(windowStart) }),
} as const;

/** The key of an item read back (a table item, or one this adapter built). */
export function keyOf(item: { readonly PK?: unknown; readonly SK?: unknown }): Key {
  return { PK: item.PK as string, SK: item.SK as string };
}

export function userPartition(userId: string): string {
  return `USER#${userId}`;
}

export function groupPartition(groupId: string): string {
  return `GROUP#${groupId}`;
}

export function inboxPartition(userId: string): string {
  return `INBOX#${userId}`;
}

/**
 * The inbox order (sentAt, id) as a string DynamoDB sorts the same way: the time zero-padded to 15
 * digits (epoch milliseconds have 13 until the year 33658), then the id.
 */
export function inboxSortKey(position: InboxPosition): string {
  return `${String(position.sentAt).padStart(15, '0')}#${position.id}`;
}

/** Epoch seconds, for the TTL attribute. */
export function ttlSeconds(epochMs: number): number {
  return Math.ceil(epochMs / 1000);
}
