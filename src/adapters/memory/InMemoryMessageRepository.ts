import type { InboxPosition } from '../../core/InboxCursor.js';
import type { Message } from '../../core/Message.js';
import type {
  DeliveryOptions,
  DeliveryOutcome,
  MessageRepository,
  SentRecord,
} from '../../ports/MessageRepository.js';
import type { InMemoryStore } from './InMemoryStore.js';

export class InMemoryMessageRepository implements MessageRepository {
  constructor(private readonly store: InMemoryStore) {}

  async deliver(message: Message, recipientIds: readonly string[], options: DeliveryOptions = {}): Promise<DeliveryOutcome> {
    const { guard, idempotency } = options;
    if (idempotency) {
      const original = this.store.findSent(idempotency.senderId, idempotency.clientMessageId, message.sentAt);
      if (original) return { status: 'duplicate', original };
    }
    if (guard) {
      const blockedBy = this.store.blockersAmong(guard.userId, guard.blockerIds);
      if (blockedBy.length > 0) return { status: 'blocked', blockedBy };
    }
    if (idempotency) this.store.rememberSent(idempotency, message.id, message.sentAt);
    // Every inbox shares the one message object.
    for (const id of new Set(recipientIds)) this.store.inbox(id).insert(message);
    return { status: 'delivered' };
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
