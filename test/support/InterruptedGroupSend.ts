// A message repository whose first group send with a client id stops part-way, as a fan-out to
// DynamoDB can: the claim is taken, the first `reach` recipients have the message, the send fails
// with 503. Everything else, the retry's completion included, is the in-memory repository's own.
import type { InMemoryStore } from '../../src/adapters/memory/InMemoryStore.js';
import type { IdempotencyClaim } from '../../src/core/ClientMessageId.js';
import { DomainError } from '../../src/core/DomainError.js';
import type { Message } from '../../src/core/Message.js';
import type { GroupDeliveryOutcome, MessageRepository } from '../../src/ports/MessageRepository.js';

export function interruptFirstGroupSend(reach: number) {
  return (inner: MessageRepository, store: InMemoryStore): MessageRepository => {
    let interrupted = false;
    return {
      deliverDirect: (...args) => inner.deliverDirect(...args),
      async deliverToGroup(message: Message, recipientIds: readonly string[], claim?: IdempotencyClaim): Promise<GroupDeliveryOutcome> {
        if (interrupted || !claim) return inner.deliverToGroup(message, recipientIds, claim);
        interrupted = true;
        const reached = new Set(recipientIds.slice(0, reach));
        store.rememberSent(claim, message.id, message.sentAt, reached);
        for (const id of reached) store.inbox(id).insert(message);
        throw new DomainError('unavailable', 'Storage is busy or unreachable; try again shortly.', undefined, 1);
      },
      completeGroupDelivery: (...args) => inner.completeGroupDelivery(...args),
      findSent: (...args) => inner.findSent(...args),
      latest: (...args) => inner.latest(...args),
      after: (...args) => inner.after(...args),
    };
  };
}
