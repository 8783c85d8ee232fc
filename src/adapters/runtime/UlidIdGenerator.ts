// ULIDs: 48 bits of time and 80 random bits in Crockford base32 (digits and capital letters).
// Message ids use the monotonic variant so ids made in the same millisecond keep their order.
import { monotonicFactory, ulid } from 'ulid';
import type { IdGenerator } from '../../ports/IdGenerator.js';

// With several regions, user and group ids end with the creating region's tag (`euwest1`,
// lower-case after the upper-case ULID): where they are decided (docs/multi-region.md, D2).
export class UlidIdGenerator implements IdGenerator {
  private readonly nextMonotonic = monotonicFactory();

  /** `regionTag`: letters and digits, only with several regions. */
  constructor(private readonly regionTag = '') {
    if (!/^[a-z0-9]*$/.test(regionTag)) throw new Error('A region tag is lower-case letters and digits');
  }

  newUserId(): string {
    return `user-${ulid()}${this.regionTag}`;
  }

  newGroupId(): string {
    return `group-${ulid()}${this.regionTag}`;
  }

  newMessageId(sentAt: number): string {
    return `msg-${this.nextMonotonic(sentAt)}`;
  }
}
