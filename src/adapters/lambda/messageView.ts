import { formatTimestamp, type Message } from '../../core/Message.js';

/** A message as check_messages lists it, and as a push frame carries it (SPEC 4). */
export function messageView(message: Message): Record<string, unknown> {
  return {
    message_id: message.id,
    timestamp: formatTimestamp(message.sentAt),
    sender_id: message.senderId,
    message: message.text,
    ...(message.groupId === undefined ? {} : { group_id: message.groupId }),
  };
}
