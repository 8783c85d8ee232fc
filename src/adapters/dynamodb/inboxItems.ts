// A message in an inbox, as an item: written by the message repository, read back by it, and read
// from the table's stream by the push consumer.
import type { Message } from '../../core/Message.js';
import type { Item } from './DynamoDbTable.js';
import { keys } from './keys.js';

const INBOX = 'INBOX#';

export function inboxItem(userId: string, message: Message): Item {
  return {
    ...keys.inbox(userId, { sentAt: message.sentAt, id: message.id }),
    mid: message.id,
    s: message.senderId,
    t: message.text,
    at: message.sentAt,
    ...(message.groupId === undefined ? {} : { g: message.groupId }),
  };
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

/** The user whose inbox an item is in, or undefined for an item that is not an inbox message. */
export function inboxOwnerOf(item: Item): string | undefined {
  const pk = item.PK;
  return typeof pk === 'string' && pk.startsWith(INBOX) ? pk.slice(INBOX.length) : undefined;
}
