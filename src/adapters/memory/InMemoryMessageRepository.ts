import type { IdempotencyClaim, SentRecord } from '../../core/ClientMessageId.js';
import type { InboxPosition } from '../../core/InboxCursor.js';
import type { Message } from '../../core/Message.js';
import type {
  DirectDeliveryOutcome,
  GroupCompletion,
  GroupDeliveryOutcome,
  MessageRepository,
} from '../../ports/MessageRepository.js';
import type { InMemoryStore } from './InMemoryStore.js';

/**
 * Every method checks and writes synchronously, so even a group send is one atomic step here and
 * is complete when claimed; the DynamoDB adapter is where a fan-out can be interrupted. A claim
 * records whom its send reached, so a completion (after an interruption a test stages) writes
 * only to those it missed, as the DynamoDB adapter does.
 */
export class InMemoryMessageRepository implements MessageRepository {
  constructor(private readonly store: InMemoryStore) {}

  async deliverDirect(message: Message, receiverId: string, claim?: IdempotencyClaim): Promise<DirectDeliveryOutcome> {
    const original = claim && this.store.findSent(claim.senderId, claim.clientMessageId, message.sentAt);
    if (original) return { status: 'duplicate', original };
    if (!this.store.users.has(receiverId)) return { status: 'no_receiver' };
    if (this.store.blockersAmong(message.senderId, [receiverId]).length > 0) return { status: 'blocked' };
    if (claim) this.store.rememberSent(claim, message.id, message.sentAt);
    this.store.inbox(receiverId).insert(message);
    return { status: 'delivered' };
  }

  async deliverToGroup(message: Message, recipientIds: readonly string[], claim?: IdempotencyClaim): Promise<GroupDeliveryOutcome> {
    const original = claim && this.store.findSent(claim.senderId, claim.clientMessageId, message.sentAt);
    if (original) return { status: 'duplicate', original };
    const recipients = new Set(recipientIds);
    if (claim) this.store.rememberSent(claim, message.id, message.sentAt);
    // Every inbox shares the one message object.
    for (const id of recipients) this.store.inbox(id).insert(message);
    return { status: 'delivered' };
  }

  async completeGroupDelivery(claim: IdempotencyClaim, message: Message, recipientIds: readonly string[]): Promise<GroupCompletion> {
    const record = this.store.sentProgress(claim.senderId, claim.clientMessageId, message.sentAt);
    if (!record || record.complete) return { message, recipientIds: [] };
    const missing = [...new Set(recipientIds)].filter((id) => !record.reached.has(id));
    for (const id of missing) {
      this.store.inbox(id).insert(message);
      record.reached.add(id);
    }
    record.complete = true;
    return { message, recipientIds: missing };
  }

  async findSent(senderId: string, clientMessageId: string, now: number): Promise<SentRecord | undefined> {
    return this.store.findSent(senderId, clientMessageId, now);
  }

  async latest(userId: string, limit: number): Promise<Message[]> {
    return this.store.inboxes.get(userId)?.latest(limit) ?? [];
  }

  async after(userId: string, position: InboxPosition, limit: number): Promise<Message[]> {
    return this.store.inboxes.get(userId)?.after(position, limit) ?? [];
  }
}
