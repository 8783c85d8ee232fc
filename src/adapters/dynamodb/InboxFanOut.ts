// Writes one message into many inboxes (a group send, or a retry completing one): conditional
// inserts in waves of 100, each wave issued while its position is fresh (lateWriteBudget.ts), each
// call bounded; what DynamoDB declines is retried with backoff; a call with no answer in time is
// given up on and its keys fenced, so nothing of it can land later behind a cursor. Under a lease
// (GroupSendLease.ts) it records each new position first, stops starting writes before the lease
// ends, and finishes or releases the claim.
import type { Message } from '../../core/Message.js';
import type { Clock } from '../../ports/Clock.js';
import { backoff, isUnavailable, unavailable, type DynamoDbTable, type Item } from './DynamoDbTable.js';
import type { GroupSendLeases, Lease } from './GroupSendLease.js';
import { inboxItem, inboxOfKey } from './inboxItems.js';
import { fenceKeys, insertItems } from './inboxWrites.js';
import { keyOf, type Key } from './keys.js';
import { FAN_OUT_CALL_MS, FRESH_MS } from './lateWriteBudget.js';

/** Rounds of retrying the inserts DynamoDB declined, before answering 503. */
const ROUNDS = 8;
/** Inboxes written at once: four calls of 25 (inboxWrites.ts). */
const WAVE = 100;

export class InboxFanOut {
  constructor(
    private readonly table: DynamoDbTable,
    private readonly clock: Clock,
    private readonly leases: GroupSendLeases,
  ) {}

  /**
   * Writes `message` to each of `recipientIds` once, from `message.sentAt` on (a later position for
   * a wave that would start late). Resolves once every inbox has it (and the claim, under a lease,
   * is done); otherwise fails with 503 after fencing every write it gave up on and releasing the
   * lease.
   */
  async write(message: Message, recipientIds: readonly string[], lease?: Lease): Promise<void> {
    let position = message.sentAt;
    let pending: readonly string[] = recipientIds;
    const givenUp: Key[] = [];
    try {
      for (let round = 0; pending.length > 0 && givenUp.length === 0; round++) {
        if (round >= ROUNDS) throw unavailable();
        if (round > 0) await backoff(round);
        const left: string[] = [];
        for (let i = 0; i < pending.length && givenUp.length === 0; i += WAVE) {
          const now = this.clock.now();
          if (lease && !this.leases.mayStartWrite(lease, now)) throw unavailable();
          if (now - position > FRESH_MS) {
            // Too late for this position: a fresh one, recorded first (under the lease) so that a
            // later holder knows where to look for these copies.
            position = now;
            if (lease) await this.leases.recordPosition(lease, position);
          }
          const copy = { ...message, sentAt: position };
          const outcome = await insertItems(
            this.table,
            pending.slice(i, i + WAVE).map((id) => inboxItem(id, copy, this.table.origin)),
            { withinMs: FAN_OUT_CALL_MS },
          );
          // `taken` is an earlier attempt of this very insert that landed: delivered.
          left.push(...outcome.retry.map(ownerOf));
          givenUp.push(...outcome.givenUp.map(keyOf));
        }
        pending = left;
      }
      if (givenUp.length > 0) throw unavailable();
    } catch (error) {
      const { unknown } = givenUp.length > 0 ? await fenceKeys(this.table, givenUp, this.clock.now()) : { unknown: [] };
      // Clean only when every write is accounted for: a failure other than our own 503 may have
      // landed, or left other calls of its wave in flight, none of them fenced.
      if (lease) await this.leases.release(lease, isUnavailable(error) && unknown.length === 0);
      throw error;
    }
    if (lease) await this.leases.finish(lease);
  }
}

function ownerOf(item: Item): string {
  return inboxOfKey(keyOf(item));
}
