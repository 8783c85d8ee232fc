import type { IdempotencyClaim, SentRecord } from '../core/ClientMessageId.js';
import type { InboxPosition } from '../core/InboxCursor.js';
import type { Message } from '../core/Message.js';

export type DirectDeliveryOutcome =
  | { readonly status: 'delivered' }
  | { readonly status: 'no_receiver' }
  | { readonly status: 'blocked' }
  /** The client id was already claimed: nothing new is stored. */
  | { readonly status: 'duplicate'; readonly original: SentRecord };

export type GroupDeliveryOutcome =
  | { readonly status: 'delivered' }
  /** The client id was already claimed: nothing new is stored (see completeGroupDelivery). */
  | { readonly status: 'duplicate'; readonly original: SentRecord };

/** Inboxes, ordered by (sentAt, id). Reads cost the same whatever the size of an inbox's history. */
export interface MessageRepository {
  /**
   * A direct message, in one atomic step: delivered if the receiver exists, has not blocked the
   * sender and the client id (when given) is not claimed yet, which it claims.
   */
  deliverDirect(message: Message, receiverId: string, claim?: IdempotencyClaim): Promise<DirectDeliveryOutcome>;
  /**
   * A group message to up to 1,023 inboxes: too many for one atomic step. The client id, when
   * given, is claimed first, with the recipients, and then the inboxes are written; if that is
   * interrupted (the call fails), a later completeGroupDelivery with the same client id finishes
   * it, without writing any inbox twice. Resolves only once every inbox has the message.
   */
  deliverToGroup(message: Message, recipientIds: readonly string[], claim?: IdempotencyClaim): Promise<GroupDeliveryOutcome>;
  /** Makes sure the group send claimed by this client id reached every recipient it claimed. */
  completeGroupDelivery(senderId: string, clientMessageId: string, now: number): Promise<void>;
  /** The unexpired claim of a sender's client id, if any. */
  findSent(senderId: string, clientMessageId: string, now: number): Promise<SentRecord | undefined>;
  /** The newest `limit` messages of an inbox, oldest first. */
  latest(userId: string, limit: number): Promise<Message[]>;
  /** Up to `limit` messages of an inbox strictly after `position`, oldest first. */
  after(userId: string, position: InboxPosition, limit: number): Promise<Message[]>;
}
