import type { InboxPosition } from '../../core/InboxCursor.js';
import type { Message } from '../../core/Message.js';
import type { NotBlockedGuard } from '../../ports/BlockRepository.js';
import type { DeliveryOutcome, MessageRepository } from '../../ports/MessageRepository.js';
import type { InMemoryStore } from './InMemoryStore.js';

export class InMemoryMessageRepository implements MessageRepository {
  constructor(private readonly store: InMemoryStore) {}

  async deliver(message: Message, recipientIds: readonly string[], guard?: NotBlockedGuard): Promise<DeliveryOutcome> {
    if (guard) {
      const blockedBy = this.store.blockersAmong(guard.userId, guard.blockerIds);
      if (blockedBy.length > 0) return { status: 'blocked', blockedBy };
    }
    // Every inbox shares the one message object.
    for (const id of new Set(recipientIds)) this.store.inbox(id).insert(message);
    return { status: 'delivered' };
  }

  async latest(userId: string, limit: number): Promise<Message[]> {
    return this.store.inboxes.get(userId)?.latest(limit) ?? [];
  }

  async after(userId: string, position: InboxPosition, limit: number): Promise<Message[]> {
    return this.store.inboxes.get(userId)?.after(position, limit) ?? [];
  }
}
