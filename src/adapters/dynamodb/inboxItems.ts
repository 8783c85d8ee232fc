// A message in an inbox, as an item: written by the message repository, read back by it, and read
// from the table's stream by the push consumer. A tombstone sits at the key of an inbox write the
// API gave up on, so that write, arriving late, finds the key taken and fails (inboxWrites.ts):
// it is never a message, never read, never pushed, and expires.
import type { Message } from '../../core/Message.js';
import type { Item } from './DynamoDbTable.js';
import { keys, ttlSeconds, type Key } from './keys.js';

const INBOX = 'INBOX#';
/** The attribute that marks a tombstone: when it was set. */
export const TOMBSTONE = 'tb';
/**
 * How long a tombstone stands. A request signed with SigV4 is refused by AWS once its timestamp is
 * about 5 minutes old ("in most cases", IAM's words), so no write given up on lands after that;
 * an hour is far past it. TTL deletes lazily, later still, which only keeps the fence longer.
 */
export const TOMBSTONE_MS = 60 * 60_000;

/** The attribute naming the region an inbox item was written in (several regions only, D8). */
export const ORIGIN = 'or';

/** `origin`: the region written in, with several regions (DynamoDbTable.origin). */
export function inboxItem(userId: string, message: Message, origin?: string): Item {
  return {
    ...keys.inbox(userId, { sentAt: message.sentAt, id: message.id }),
    mid: message.id,
    s: message.senderId,
    t: message.text,
    at: message.sentAt,
    ...(message.groupId === undefined ? {} : { g: message.groupId }),
    ...(origin === undefined ? {} : { [ORIGIN]: origin }),
  };
}

/** The region an inbox item was written in, when it says. */
export function originOf(item: Item): string | undefined {
  return typeof item[ORIGIN] === 'string' ? (item[ORIGIN] as string) : undefined;
}

export function tombstoneItem(key: Key, now: number): Item {
  return { PK: key.PK, SK: key.SK, [TOMBSTONE]: now, ttl: ttlSeconds(now + TOMBSTONE_MS) };
}

export function isTombstone(item: Item): boolean {
  return item[TOMBSTONE] !== undefined;
}

export function messageOf(item: Item): Message {
  return {
    id: item.mid as string,
    senderId: item.s as string,
    text: item.t as string,
    sentAt: item.at as number,
    ...(item.g === undefined ? {} : { groupId: item.g as string }),
  };
}

/**
 * The user whose inbox an item is in, or undefined for an item that is not an inbox message
 * (another entity, or a tombstone).
 */
export function inboxOwnerOf(item: Item): string | undefined {
  const pk = item.PK;
  return typeof pk === 'string' && pk.startsWith(INBOX) && !isTombstone(item) ? pk.slice(INBOX.length) : undefined;
}

/** Whose inbox a key is in (tombstone or message alike). */
export function inboxOfKey(key: Key): string {
  return key.PK.slice(INBOX.length);
}
