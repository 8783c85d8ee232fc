// The claim of a group send's client_message_id (`USER#<sender>`, `SENT#<id>`) and the lease on
// it: who may write that message's inbox items. A group message to 1,023 inboxes is not one
// atomic step, so the first send may stop part-way; the client's retry finishes it, and this
// protocol keeps every writer from adding a copy another writer also adds, or one that lands
// behind a cursor. The claim is small (no recipients, no text: a retry brings its own, judged
// again, and the fingerprint proves the text is the same), so every change to it costs 1 WRU.
//
// Invariants (each has a test in test/dynamodb/groupSendLease.test.ts):
// 1. One writer at a time. A lease is taken only by a conditional write, when none is held (`le`
//    has passed) and the claim is not done; every later change a holder makes to the claim is
//    conditioned on its ownership (`lo`), so a holder that lost its lease changes nothing.
// 2. Writes end inside the lease. A holder starts no inbox write later than its lease's end less
//    a write's time limit, a fence's and a margin (mayStartWrite), so when a lease ends every write
//    of its holder has answered, been fenced, or been given up on unfenced.
// 3. Positions are recorded before use. The claim's `at`, then each position appended to `xp`
//    before any inbox write at it, so a later holder knows every key a copy can be at.
// 4. Clean means nothing in flight. `cl` is set only by a holder whose every given-up write was
//    fenced; taking the lease clears it. A holder that takes an unclean claim fences the free keys
//    of its missing recipients at the recorded positions before it writes fresh copies.
// 5. Done is final. `d` is set once every recipient a holder was given has a copy; a done claim is
//    never leased again, and a retry learns it from the claim alone (the item a failed conditional
//    put returns), without reading a single inbox.
// 6. A completion writes at a fresh position, recorded as it takes the lease, no earlier than the
//    retry's own stamp (taken after it read the group and the blocks): a copy is never shown with
//    a time before a block or a leave the retry was judged against.
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { randomBytes } from 'node:crypto';
import type { IdempotencyClaim, SentRecord } from '../../core/ClientMessageId.js';
import type { Message } from '../../core/Message.js';
import type { Clock } from '../../ports/Clock.js';
import { FENCE_MS } from './createDynamoDbTable.js';
import { errorName, unavailable, type DynamoDbTable, type Item } from './DynamoDbTable.js';
import { keys, ttlSeconds } from './keys.js';
import { FAN_OUT_CALL_MS, MARGIN_MS } from './lateWriteBudget.js';

/**
 * How long a lease lasts: a 1,023-inbox fan-out under throttling, with room; longer than any
 * request’s budget (8.5 s), so a holder’s own request always ends before its lease.
 */
export const LEASE_MS = 20_000;
/** A holder stops starting writes this long before its lease ends (invariant 2). */
export const WRITE_STOP_MS = FAN_OUT_CALL_MS + FENCE_MS + MARGIN_MS;
/** Positions a claim may record: each costs a completion one more read per recipient. */
export const MAX_POSITIONS = 32;

export interface Lease {
  readonly senderId: string;
  readonly clientMessageId: string;
  readonly owner: string;
  /** Epoch ms when the lease ends. */
  readonly until: number;
}

export type ClaimOutcome =
  | { readonly status: 'claimed'; readonly lease: Lease }
  | { readonly status: 'duplicate'; readonly original: SentRecord };

export type TakeOutcome =
  | {
      readonly status: 'taken';
      readonly lease: Lease;
      readonly messageId: string;
      /** Every position a copy can be at, before the one this holder recorded. */
      readonly positions: readonly number[];
      /** The previous holder fenced everything it gave up on (invariant 4). */
      readonly clean: boolean;
    }
  /** Complete already, or no such group claim (expired, never made): nothing to write. */
  | { readonly status: 'nothing' }
  | { readonly status: 'busy'; readonly retryAfterSeconds: number };

export class GroupSendLeases {
  constructor(
    private readonly table: DynamoDbTable,
    private readonly clock: Clock,
  ) {}

  /**
   * The first send: claims the client id, holding the lease, with the message's first position;
   * or answers the claim that is there (a duplicate), done or not.
   */
  async claim(claim: IdempotencyClaim, message: Message): Promise<ClaimOutcome> {
    const now = this.clock.now();
    const lease: Lease = { senderId: claim.senderId, clientMessageId: claim.clientMessageId, owner: newOwner(), until: now + LEASE_MS };
    try {
      await this.table.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            ...keys.sent(claim.senderId, claim.clientMessageId),
            kind: 'group',
            mid: message.id,
            fp: claim.fingerprint,
            at: message.sentAt,
            xp: [],
            lo: lease.owner,
            le: lease.until,
            exp: claim.expiresAt,
            ttl: ttlSeconds(claim.expiresAt),
          },
          // A claim may be taken if there is none, or the last one has expired (TTL deletes lazily).
          ConditionExpression: 'attribute_not_exists(PK) OR #exp <= :now',
          ExpressionAttributeNames: { '#exp': 'exp' },
          ExpressionAttributeValues: { ':now': message.sentAt },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { status: 'claimed', lease };
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
      const existing = (error as { Item?: Record<string, unknown> }).Item;
      if (!existing) throw unavailable();
      return { status: 'duplicate', original: sentRecordOf(unmarshall(existing as never) as Item) };
    }
  }

  /**
   * A retry's turn to write: takes the lease of an unfinished, unexpired claim whose lease has
   * passed, recording `position` (invariants 1, 3, 6) and clearing `cl` (invariant 4).
   */
  async take(senderId: string, clientMessageId: string, position: number): Promise<TakeOutcome> {
    const now = this.clock.now();
    const lease: Lease = { senderId, clientMessageId, owner: newOwner(), until: now + LEASE_MS };
    try {
      const { Attributes: before } = await this.table.send<{ Attributes: Item }>(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.sent(senderId, clientMessageId),
          UpdateExpression: 'SET lo = :owner, le = :until, xp = list_append(xp, :position) REMOVE cl',
          ConditionExpression:
            'kind = :group AND attribute_not_exists(d) AND le < :now AND #exp > :now AND size(xp) < :maxPositions',
          ExpressionAttributeNames: { '#exp': 'exp' },
          ExpressionAttributeValues: {
            ':owner': lease.owner,
            ':until': lease.until,
            ':position': [position],
            ':group': 'group',
            ':now': now,
            ':maxPositions': MAX_POSITIONS - 1,
          },
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return {
        status: 'taken',
        lease,
        messageId: before.mid as string,
        positions: [before.at as number, ...((before.xp as number[] | undefined) ?? [])],
        clean: before.cl === true,
      };
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
      const raw = (error as { Item?: Record<string, unknown> }).Item;
      const item = raw && (unmarshall(raw as never) as Item);
      if (!item || item.kind !== 'group' || item.d === true || (item.exp as number) <= now) return { status: 'nothing' };
      // Held by the first send or another retry (or out of positions: it waits out its expiry).
      const until = (item.xp as unknown[]).length >= MAX_POSITIONS - 1 ? (item.exp as number) : (item.le as number);
      return { status: 'busy', retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
    }
  }

  /** Invariant 2: whether a holder may still start an inbox write. */
  mayStartWrite(lease: Lease, now: number): boolean {
    return now <= lease.until - WRITE_STOP_MS;
  }

  /** Invariant 3: appends a position before any write uses it; unavailable if the lease is lost. */
  async recordPosition(lease: Lease, position: number): Promise<void> {
    await this.ownerUpdate(lease, 'SET xp = list_append(xp, :position)', { ':position': [position] });
  }

  /** Invariant 5: every recipient has a copy. Best effort: a claim left open costs a retry one read more. */
  async finish(lease: Lease): Promise<void> {
    await this.ownerUpdate(lease, 'SET d = :done REMOVE lo, le, cl', { ':done': true }).catch(() => undefined);
  }

  /**
   * A failed holder lets go at once, so the client's retry need not wait out the lease; `clean`
   * when every write it gave up on is fenced (invariant 4). Best effort: unreleased, the lease
   * ends by itself and the claim counts as unclean.
   */
  async release(lease: Lease, clean: boolean): Promise<void> {
    const update = clean ? 'SET le = :now, cl = :clean' : 'SET le = :now';
    await this.ownerUpdate(lease, update, { ':now': this.clock.now(), ...(clean ? { ':clean': true } : {}) }).catch(() => undefined);
  }

  private async ownerUpdate(lease: Lease, update: string, values: Record<string, unknown>): Promise<void> {
    try {
      await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.sent(lease.senderId, lease.clientMessageId),
          UpdateExpression: update,
          ConditionExpression: 'lo = :owner',
          ExpressionAttributeValues: { ...values, ':owner': lease.owner },
        }),
      );
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') throw unavailable();
      throw error;
    }
  }
}

/** What a claim item says of its send (a direct claim is complete with its one transaction). */
export function sentRecordOf(item: Item): SentRecord {
  return { messageId: item.mid as string, fingerprint: item.fp as string, complete: item.kind !== 'group' || item.d === true };
}

function newOwner(): string {
  return randomBytes(9).toString('base64url');
}
