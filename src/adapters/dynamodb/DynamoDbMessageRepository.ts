// Inboxes are partitions (`INBOX#<user>`) of items sorted by position, so a poll is one Query
// from the cursor's position, whatever the history. A direct message is one transaction; a group
// message is a claim (when the client gave an id) and then a fan-out (InboxFanOut.ts), which a
// retry with the same client id, judged again, completes if it was interrupted
// (GroupSendLease.ts). A write given up on is fenced (inboxWrites.ts): it never lands later
// behind a cursor. docs/dynamodb.md tells the whole story.
import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyClaim, SentRecord } from '../../core/ClientMessageId.js';
import type { InboxPosition, ReadBudget } from '../../core/InboxCursor.js';
import { wireSizeOf, type Message } from '../../core/Message.js';
import type { Clock } from '../../ports/Clock.js';
import type { DirectDeliveryOutcome, GroupCompletion, GroupDeliveryOutcome, MessageRepository } from '../../ports/MessageRepository.js';
import { isUnavailable, unavailable, type DynamoDbTable, type Item } from './DynamoDbTable.js';
import { GroupSendLeases, sentRecordOf, type TakeOutcome } from './GroupSendLease.js';
import { InboxFanOut } from './InboxFanOut.js';
import { inboxItem, inboxOfKey, isTombstone, messageOf, TOMBSTONE } from './inboxItems.js';
import { fenceKeys } from './inboxWrites.js';
import { inboxPartition, inboxSortKey, keyOf, keys, ttlSeconds, type Key } from './keys.js';
import { assertDirectWriteFits } from './lateWriteBudget.js';
import { transact } from './transactions.js';

/**
 * A retry that finds the claim's lease held (the first send still writing) takes this many more
 * looks, this far apart, before answering 503: a small group's fan-out takes milliseconds. Each
 * look is one conditional update of the small claim item.
 */
const LEASE_WAITS = 3;
const LEASE_WAIT_MS = 50;

export class DynamoDbMessageRepository implements MessageRepository {
  private readonly leases: GroupSendLeases;
  private readonly fanOut: InboxFanOut;

  constructor(
    private readonly table: DynamoDbTable,
    private readonly clock: Clock,
  ) {
    assertDirectWriteFits(table.callLimits);
    this.leases = new GroupSendLeases(table, clock);
    this.fanOut = new InboxFanOut(table, clock, this.leases);
  }

  /**
   * One transaction: the receiver exists, has not blocked the sender, the client id is not claimed
   * (or its claim expired), and the inbox item's key is free. A failed claim condition returns the
   * existing claim, so a duplicate costs no second call. A transaction given up on is fenced: a
   * tombstone at its inbox item's key makes it fail whenever it arrives, at no cost to the sends
   * that succeed (the key's condition is there anyway).
   */
  async deliverDirect(
    message: Message,
    receiverId: string,
    claim?: IdempotencyClaim,
    /**
     * With several regions: the receiver's profile was confirmed at its home, and this replica may
     * not have it yet (D10). The transaction then checks it no more; everything else stays.
     */
    options: { readonly receiverConfirmed?: boolean } = {},
  ): Promise<DirectDeliveryOutcome> {
    const t = this.table.name;
    const inboxKey = keys.inbox(receiverId, message);
    const receiverCheck = options.receiverConfirmed
      ? []
      : [{ ConditionCheck: { TableName: t, Key: keys.profile(receiverId), ConditionExpression: 'attribute_exists(PK)' } }];
    // Where each item of the transaction is: the receiver's check may be left out.
    const at = { receiver: 0, block: receiverCheck.length, inbox: receiverCheck.length + 1, claim: receiverCheck.length + 2 };
    let outcome: Awaited<ReturnType<typeof transact>>;
    try {
      outcome = await transact(this.table, [
        ...receiverCheck,
        { ConditionCheck: { TableName: t, Key: keys.blockedBy(message.senderId, receiverId), ConditionExpression: 'attribute_not_exists(PK)' } },
        {
          Put: {
            TableName: t,
            Item: inboxItem(receiverId, message, this.table.origin),
            ConditionExpression: 'attribute_not_exists(PK)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
          },
        },
        ...(claim
          ? [
              {
                Put: {
                  TableName: t,
                  Item: directClaimItem(claim, message),
                  ConditionExpression: 'attribute_not_exists(PK) OR #exp <= :now',
                  ExpressionAttributeNames: { '#exp': 'exp' },
                  ExpressionAttributeValues: { ':now': message.sentAt },
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
                },
              },
            ]
          : []),
      ]);
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      const { landed } = await fenceKeys(this.table, [inboxKey], this.clock.now());
      // It landed before the fence, which answered within the window: delivered, on time.
      if (landed.length > 0) return { status: 'delivered' };
      throw error;
    }
    if (outcome.committed) return { status: 'delivered' };
    if (claim && outcome.failed[at.claim]) {
      return { status: 'duplicate', original: await this.originalOf(outcome.items[at.claim], claim, message.sentAt) };
    }
    if (!options.receiverConfirmed && outcome.failed[at.receiver]) return { status: 'no_receiver' };
    if (outcome.failed[at.block]) return { status: 'blocked' };
    // The key was taken: by this transaction itself (an attempt whose answer was lost), or by a fence.
    const there = outcome.items[at.inbox];
    if (there && !isTombstone(there) && there.mid === message.id) return { status: 'delivered' };
    throw unavailable();
  }

  async deliverToGroup(message: Message, recipientIds: readonly string[], claim?: IdempotencyClaim): Promise<GroupDeliveryOutcome> {
    const recipients = [...new Set(recipientIds)];
    if (!claim) {
      await this.fanOut.write(message, recipients);
      return { status: 'delivered' };
    }
    const claimed = await this.leases.claim(claim, message);
    if (claimed.status === 'duplicate') return claimed;
    await this.fanOut.write(message, recipients, claimed.lease);
    return { status: 'delivered' };
  }

  /**
   * Takes the claim's lease (waiting a little for a first send still writing), finds which of
   * `recipientIds` have a copy at any position the claim recorded, fences the free keys of the
   * others when the last holder left writes unfenced, and writes the rest at the position the
   * lease recorded, `message.sentAt`.
   */
  async completeGroupDelivery(claim: IdempotencyClaim, message: Message, recipientIds: readonly string[]): Promise<GroupCompletion> {
    const nothing: GroupCompletion = { message, recipientIds: [] };
    let taken: TakeOutcome;
    for (let waits = 0; ; waits++) {
      taken = await this.leases.take(claim.senderId, claim.clientMessageId, message.sentAt);
      if (taken.status !== 'busy' || waits >= LEASE_WAITS) break;
      await this.clock.sleep(LEASE_WAIT_MS);
    }
    if (taken.status === 'nothing') return nothing;
    if (taken.status === 'busy') throw unavailable(taken.retryAfterSeconds);
    const { lease, positions, clean } = taken;
    const copy: Message = { ...message, id: taken.messageId };
    let missing: string[];
    try {
      const recipients = [...new Set(recipientIds)];
      const keysOf = (id: string): Key[] => positions.map((sentAt) => keys.inbox(id, { sentAt, id: copy.id }));
      const found = await this.table.getMany(recipients.flatMap(keysOf), `PK, SK, ${TOMBSTONE}`);
      const reached = new Set(found.filter((item) => !isTombstone(item)).map((item) => inboxOfKey(keyOf(item))));
      missing = recipients.filter((id) => !reached.has(id));
      if (!clean && missing.length > 0) {
        // The last holder may have writes in flight at keys still free: fence those first, or a
        // copy arriving late would be a second one, behind a cursor.
        const taken = new Set(found.map((item) => `${item.PK}\u0000${item.SK}`));
        const free = missing.flatMap(keysOf).filter((key) => !taken.has(`${key.PK}\u0000${key.SK}`));
        const fence = await fenceKeys(this.table, free, this.clock.now());
        if (fence.unknown.length > 0) throw unavailable();
        const landed = new Set(fence.landed.map(inboxOfKey));
        missing = missing.filter((id) => !landed.has(id));
      }
    } catch (error) {
      // This holder wrote nothing: the claim is as clean as the last holder left it.
      await this.leases.release(lease, clean);
      throw error;
    }
    // Finishes the claim, or fences what it gave up on and releases the lease itself.
    await this.fanOut.write(copy, missing, lease);
    return { message: copy, recipientIds: missing };
  }

  async findSent(senderId: string, clientMessageId: string, now: number): Promise<SentRecord | undefined> {
    const { Item: claim } = await this.table.send<{ Item?: Item }>(
      new GetCommand({ TableName: this.table.name, Key: keys.sent(senderId, clientMessageId), ConsistentRead: true }),
    );
    return claim && (claim.exp as number) > now ? sentRecordOf(claim) : undefined;
  }

  async latest(userId: string, limit: number, budget?: ReadBudget): Promise<Message[]> {
    const newestFirst = await this.read(
      { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': inboxPartition(userId) }, ScanIndexForward: false },
      limit,
      budget,
    );
    return newestFirst.reverse();
  }

  /**
   * Strongly consistent: a write acknowledged before the read is in it. The cursor's late-write
   * window counts from a message's position; an eventually consistent read could see a write
   * later still, by a lag with no stated bound.
   */
  async after(userId: string, position: InboxPosition, limit: number, budget?: ReadBudget): Promise<Message[]> {
    return this.read(
      {
        KeyConditionExpression: 'PK = :pk AND SK > :after',
        ExpressionAttributeValues: { ':pk': inboxPartition(userId), ':after': inboxSortKey(position) },
      },
      limit,
      budget,
    );
  }

  /**
   * Up to `limit` messages of one Query, following DynamoDB's 1 MB pages, but no further than the
   * budget: once the counted messages exceed its bytes the page is full whatever follows, and a
   * next page asks for no more items than the budget can still use at the size read so far (plus
   * the uncounted ones not met yet, which may lie in between).
   */
  private async read(
    input: Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues' | 'ScanIndexForward'>,
    limit: number,
    budget: ReadBudget | undefined,
  ): Promise<Message[]> {
    const messages: Message[] = [];
    let counted = 0;
    let countedBytes = 0;
    let pageLimit = limit;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.table.send<{ Items?: Item[]; LastEvaluatedKey?: Record<string, unknown> }>(
        new QueryCommand({
          ...input,
          ...withoutTombstones,
          TableName: this.table.name,
          ConsistentRead: true,
          Limit: pageLimit,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const message = messageOf(item);
        messages.push(message);
        if (budget && !budget.uncounted.has(message.id)) {
          counted++;
          countedBytes += wireSizeOf(message);
        }
      }
      start = page.LastEvaluatedKey;
      if (budget && countedBytes > budget.maxBytes) break;
      const remaining = limit - messages.length;
      const usable =
        budget && counted > 0
          ? Math.ceil((budget.maxBytes - countedBytes) / (countedBytes / counted)) + 1 + Math.max(0, budget.uncounted.size - (messages.length - counted))
          : remaining;
      pageLimit = Math.max(1, Math.min(remaining, usable));
    } while (start && messages.length < limit);
    return messages;
  }

  /** The record of a claimed client id, from the item a failed condition returned (or a read). */
  private async originalOf(item: Item | undefined, claim: IdempotencyClaim, now: number): Promise<SentRecord> {
    if (item) return sentRecordOf(item);
    const found = await this.findSent(claim.senderId, claim.clientMessageId, now);
    if (!found) throw unavailable();
    return found;
  }
}

/** Tombstones (fenced keys) are never messages. */
const withoutTombstones = {
  FilterExpression: 'attribute_not_exists(#tombstone)',
  ExpressionAttributeNames: { '#tombstone': TOMBSTONE },
};

function directClaimItem(claim: IdempotencyClaim, message: Message): Item {
  return {
    ...keys.sent(claim.senderId, claim.clientMessageId),
    kind: 'direct',
    mid: message.id,
    fp: claim.fingerprint,
    at: message.sentAt,
    exp: claim.expiresAt,
    ttl: ttlSeconds(claim.expiresAt),
  };
}
