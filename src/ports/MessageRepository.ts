import type { InboxPosition } from '../core/InboxCursor.js';
import type { Message } from '../core/Message.js';
import type { BlockedOutcome, NotBlockedGuard } from './BlockRepository.js';

/** A sender's promise that a message with this client id is sent once. */
export interface IdempotencyClaim {
  readonly senderId: string;
  readonly clientMessageId: string;
  /** Digest of what is sent (kind, target, text): a reuse with anything else is a conflict. */
  readonly fingerprint: string;
  /** Epoch milliseconds after which the client id may be used again. */
  readonly expiresAt: number;
}

/** What a claimed client id was first used for. */
export interface SentRecord {
  readonly messageId: string;
  readonly fingerprint: string;
}

export interface DeliveryOptions {
  /** Deliver only if it holds, checked atomically with the write. */
  readonly guard?: NotBlockedGuard | undefined;
  /** Deliver only if the client id is not claimed yet, claiming it atomically with the write. */
  readonly idempotency?: IdempotencyClaim | undefined;
}

export type DeliveryOutcome =
  | { readonly status: 'delivered' }
  | BlockedOutcome
  /** The client id was already claimed: nothing new is stored. */
  | { readonly status: 'duplicate'; readonly original: SentRecord };

/** Inboxes, ordered by (sentAt, id). Reads cost the same whatever the size of an inbox's history. */
export interface MessageRepository {
  /**
   * Puts `message` into each recipient's inbox, if the options' conditions hold (checked in the
   * same atomic step). Delivering the same message again stores nothing twice, so a retry is safe.
   */
  deliver(message: Message, recipientIds: readonly string[], options?: DeliveryOptions): Promise<DeliveryOutcome>;
  /** The unexpired claim of a sender's client id, if any. */
  findSent(senderId: string, clientMessageId: string, now: number): Promise<SentRecord | undefined>;
  /** The newest `limit` messages of an inbox, oldest first. */
  latest(userId: string, limit: number): Promise<Message[]>;
  /** Up to `limit` messages of an inbox strictly after `position`, oldest first. */
  after(userId: string, position: InboxPosition, limit: number): Promise<Message[]>;
}
