import type { InboxPosition } from '../core/InboxCursor.js';
import type { Message } from '../core/Message.js';
import type { BlockedOutcome, NotBlockedGuard } from './BlockRepository.js';

export type DeliveryOutcome = { readonly status: 'delivered' } | BlockedOutcome;

/** Inboxes, ordered by (sentAt, id). Reads cost the same whatever the size of an inbox's history. */
export interface MessageRepository {
  /**
   * Puts `message` into each recipient's inbox if the guard, when given, holds (checked atomically
   * with the write). Delivering the same message again stores nothing twice, so a retry is safe.
   */
  deliver(message: Message, recipientIds: readonly string[], guard?: NotBlockedGuard): Promise<DeliveryOutcome>;
  /** The newest `limit` messages of an inbox, oldest first. */
  latest(userId: string, limit: number): Promise<Message[]>;
  /** Up to `limit` messages of an inbox strictly after `position`, oldest first. */
  after(userId: string, position: InboxPosition, limit: number): Promise<Message[]>;
}
