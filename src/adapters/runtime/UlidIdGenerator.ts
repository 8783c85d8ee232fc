// ULIDs: 48 bits of time and 80 random bits in Crockford base32 (digits and capital letters).
// Message ids use the monotonic variant so ids made in the same millisecond keep their order.
import { monotonicFactory, ulid } from 'ulid';
import type { IdGenerator } from '../../ports/IdGenerator.js';

export class UlidIdGenerator implements IdGenerator {
  private readonly nextMonotonic = monotonicFactory();

  newUserId(): string {
    return `user-${ulid()}`;
  }

  newGroupId(): string {
    return `group-${ulid()}`;
  }

  newMessageId(sentAt: number): string {
    return `msg-${this.nextMonotonic(sentAt)}`;
  }
}
