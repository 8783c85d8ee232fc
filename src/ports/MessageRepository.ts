import type { IdempotencyClaim, SentRecord } from '../core/ClientMessageId.js';
import type { InboxPosition, ReadBudget } from '../core/InboxCursor.js';
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

/** What a completion wrote: `message` (at the position it was written) to `recipientIds`. */
export interface GroupCompletion {
  readonly message: Message;
  readonly recipientIds: readonly string[];
}

/** Inboxes, ordered by (sentAt, id). Reads cost the same whatever the size of an inbox's history. */
export interface MessageRepository {
  /**
   * A direct message, in one atomic step: delivered if the receiver exists, has not blocked the
   * sender and the client id (when given) is not claimed yet, which it claims.
   */
  deliverDirect(message: Message, receiverId: string, claim?: IdempotencyClaim): Promise<DirectDeliveryOutcome>;
  /**
   * A group message to up to 1,023 inboxes: too many for one atomic step. The client id, when
   * given, is claimed first, and then the inboxes are written; if that is interrupted (the call
   * fails), the claim stays incomplete and a later completeGroupDelivery finishes it, without
   * writing any inbox twice. Resolves only once every inbox has the message.
   */
  deliverToGroup(message: Message, recipientIds: readonly string[], claim?: IdempotencyClaim): Promise<GroupDeliveryOutcome>;
  /**
   * Finishes the incomplete group send `claim` names: `message` (its original id, the retry's
   * text, group and time) goes to each of `recipientIds` (whoever may receive it now, judged by the
   * caller) that has no copy yet, at a position no earlier than `message.sentAt`, and the claim
   * becomes complete. Answers what it wrote (nothing when the claim is complete or gone).
   */
  completeGroupDelivery(claim: IdempotencyClaim, message: Message, recipientIds: readonly string[]): Promise<GroupCompletion>;
  /** The unexpired claim of a sender's client id, if any. */
  findSent(senderId: string, clientMessageId: string, now: number): Promise<SentRecord | undefined>;
  /**
   * The newest `limit` messages of an inbox, oldest first; with a budget, possibly fewer, but never
   * before the messages read exceed its bytes (the older ones could not be on the page).
   */
  latest(userId: string, limit: number, budget?: ReadBudget): Promise<Message[]>;
  /**
   * Up to `limit` messages of an inbox strictly after `position`, oldest first; with a budget,
   * possibly fewer, but never before the counted messages read exceed its bytes.
   */
  after(userId: string, position: InboxPosition, limit: number, budget?: ReadBudget): Promise<Message[]>;
}
