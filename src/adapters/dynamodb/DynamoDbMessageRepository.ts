// Inboxes are partitions (`INBOX#<user>`) of items sorted by position, so a poll is one Query
// from the cursor's position, whatever the history. A direct message is one transaction; a group
// message is a claim (when the client gave an id) and then a fan-out in batches, which a retry
// with the same client id completes if it was interrupted (docs/dynamodb.md).
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { randomBytes } from 'node:crypto';
import type { IdempotencyClaim, SentRecord } from '../../core/ClientMessageId.js';
import type { InboxPosition } from '../../core/InboxCursor.js';
import { Limits } from '../../core/Limits.js';
import type { Message } from '../../core/Message.js';
import type { Clock } from '../../ports/Clock.js';
import type { DirectDeliveryOutcome, GroupDeliveryOutcome, MessageRepository } from '../../ports/MessageRepository.js';
import { worstCaseMs } from './createDynamoDbTable.js';
import { backoff, errorName, unavailable, type DynamoDbTable, type Item, type WriteRequest } from './DynamoDbTable.js';
import { inboxItem, inboxOwnerOf, messageOf } from './inboxItems.js';
import { inboxPartition, inboxSortKey, keys, ttlSeconds } from './keys.js';
import { transact } from './transactions.js';

/**
 * An inbox write is issued at its position's time only while that time is this fresh. With the
 * limit on a call (worstCaseMs: 3.6 s on AWS) it is then visible within 1 + 3.6 s of its
 * position, inside the 5 s late-write window, so no cursor can have passed it. A write that
 * starts later gets a fresh position: the message arrives as new rather than behind a cursor.
 */
const FRESH_MS = 1_000;
/**
 * Who may write a claimed group message's inboxes: the first send, or one retry completing it.
 * Long enough for a 1,023-inbox fan-out with throttling; a writer stops starting writes a call's
 * worst case before its lease ends, so the next holder sees everything it wrote.
 */
const LEASE_MS = 20_000;
/**
 * A duplicate that finds the claim's lease held checks again this many times, this far apart,
 * before answering 503: each check is a GetItem and a BatchGetItem of the missing inboxes.
 */
const LEASE_WAITS = 3;
const LEASE_WAIT_MS = 50;
/** Rounds of retrying the inbox writes DynamoDB left unprocessed, before answering 503. */
const FAN_OUT_ROUNDS = 8;
/** Inboxes written at once: four BatchWriteItem calls of 25 in parallel (DynamoDbTable.writeOnce). */
const WAVE = 100;

interface Lease {
  readonly senderId: string;
  readonly clientMessageId: string;
  readonly owner: string;
  readonly until: number;
}

export class DynamoDbMessageRepository implements MessageRepository {
  /** From stamping a write to the last moment it can land. */
  private readonly writeDeadlineMs: number;

  constructor(
    private readonly table: DynamoDbTable,
    private readonly clock: Clock,
  ) {
    this.writeDeadlineMs = FRESH_MS + worstCaseMs(table.callLimits);
    if (this.writeDeadlineMs > Limits.lateWriteWindowMs) {
      throw new Error('The DynamoDB call limits do not fit the late-write window');
    }
  }

  /**
   * One transaction: the receiver exists, has not blocked the sender, the client id is not claimed
   * (or its claim expired), and the inbox item is new. A failed claim condition returns the
   * existing claim, so a duplicate costs no second call.
   */
  async deliverDirect(message: Message, receiverId: string, claim?: IdempotencyClaim): Promise<DirectDeliveryOutcome> {
    const t = this.table.name;
    const outcome = await transact(this.table, [
      { ConditionCheck: { TableName: t, Key: keys.profile(receiverId), ConditionExpression: 'attribute_exists(PK)' } },
      {
        ConditionCheck: {
          TableName: t,
          Key: keys.blockedBy(message.senderId, receiverId),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      { Put: { TableName: t, Item: inboxItem(receiverId, message), ConditionExpression: 'attribute_not_exists(PK)' } },
      ...(claim
        ? [
            {
              Put: {
                TableName: t,
                Item: claimItem(claim, message, { kind: 'direct' }),
                ...newClaimCondition(message.sentAt),
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
              },
            },
          ]
        : []),
    ]);
    if (outcome.committed) return { status: 'delivered' };
    if (claim && outcome.failed[3]) {
      return { status: 'duplicate', original: await this.originalOf(outcome.items[3], claim, message.sentAt) };
    }
    if (outcome.failed[0]) return { status: 'no_receiver' };
    if (outcome.failed[1]) return { status: 'blocked' };
    throw new Error(`Inbox item ${message.id} already exists`);
  }

  async deliverToGroup(message: Message, recipientIds: readonly string[], claim?: IdempotencyClaim): Promise<GroupDeliveryOutcome> {
    const recipients = [...new Set(recipientIds)];
    let lease: Lease | undefined;
    if (claim) {
      const owner = newOwner();
      const until = this.clock.now() + LEASE_MS;
      try {
        await this.table.send(
          new PutCommand({
            TableName: this.table.name,
            // The claim carries all a retry needs to finish the job: text, group, recipients.
            Item: claimItem(claim, message, {
              kind: 'group',
              g: message.groupId,
              t: message.text,
              r: recipients,
              xp: [],
              lo: owner,
              le: until,
            }),
            ...newClaimCondition(message.sentAt),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
      } catch (error) {
        if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
        const existing = (error as { Item?: Record<string, unknown> }).Item;
        return {
          status: 'duplicate',
          original: await this.originalOf(existing && (unmarshall(existing as never) as Item), claim, message.sentAt),
        };
      }
      lease = { senderId: claim.senderId, clientMessageId: claim.clientMessageId, owner, until };
    }
    await this.fanOutHolding(lease, message, recipients);
    return { status: 'delivered' };
  }

  /**
   * Finds the claimed recipients whose inbox lacks the message (at its first position or any
   * fresh one the claim recorded) and writes it to them, holding the claim's lease so no other
   * writer adds a copy meanwhile. Nothing missing: nothing written, no lease taken.
   */
  async completeGroupDelivery(senderId: string, clientMessageId: string, now: number, waits = LEASE_WAITS): Promise<void> {
    const { Item: claim } = await this.table.send<{ Item?: Item }>(
      new GetCommand({ TableName: this.table.name, Key: keys.sent(senderId, clientMessageId), ConsistentRead: true }),
    );
    if (!claim || claim.kind !== 'group') return;
    if ((await this.missingRecipients(claim)).length === 0) return;

    const owner = newOwner();
    const until = this.clock.now() + LEASE_MS;
    let leased: Item;
    try {
      leased = (
        await this.table.send<{ Attributes: Item }>(
          new UpdateCommand({
            TableName: this.table.name,
            Key: keys.sent(senderId, clientMessageId),
            UpdateExpression: 'SET lo = :owner, le = :until',
            ConditionExpression: 'le < :now',
            ExpressionAttributeValues: { ':owner': owner, ':until': until, ':now': now },
            ReturnValues: 'ALL_NEW',
          }),
        )
      ).Attributes;
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
      // The first send (or another retry) is still writing: a duplicate racing it waits a little
      // for it to finish (a small group's fan-out takes milliseconds), then answers 503.
      if (waits > 0) {
        await this.clock.sleep(LEASE_WAIT_MS);
        return this.completeGroupDelivery(senderId, clientMessageId, this.clock.now(), waits - 1);
      }
      throw unavailable(Math.max(1, Math.ceil(((claim.le as number) - now) / 1000)));
    }
    // Read again under the lease: the previous writer may have finished meanwhile.
    const missing = await this.missingRecipients(leased);
    const message: Message = {
      id: leased.mid as string,
      senderId,
      text: leased.t as string,
      sentAt: leased.at as number,
      groupId: leased.g as string,
    };
    await this.fanOutHolding({ senderId, clientMessageId, owner, until }, message, missing);
  }

  async findSent(senderId: string, clientMessageId: string, now: number): Promise<SentRecord | undefined> {
    const { Item: claim } = await this.table.send<{ Item?: Item }>(
      new GetCommand({ TableName: this.table.name, Key: keys.sent(senderId, clientMessageId), ConsistentRead: true }),
    );
    return claim && (claim.exp as number) > now ? { messageId: claim.mid as string, fingerprint: claim.fp as string } : undefined;
  }

  async latest(userId: string, limit: number): Promise<Message[]> {
    const items = await this.table.query(
      {
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': inboxPartition(userId) },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      limit,
    );
    return items.reverse().map(messageOf);
  }

  /**
   * Strongly consistent: a write acknowledged before the read is in it. The cursor's late-write
   * window counts from a message's position; an eventually consistent read could see a write
   * later still, by a lag with no stated bound.
   */
  async after(userId: string, position: InboxPosition, limit: number): Promise<Message[]> {
    const items = await this.table.query(
      {
        KeyConditionExpression: 'PK = :pk AND SK > :after',
        ExpressionAttributeValues: { ':pk': inboxPartition(userId), ':after': inboxSortKey(position) },
        ConsistentRead: true,
      },
      limit,
    );
    return items.map(messageOf);
  }

  /** The record of a claimed client id, from the item a failed condition returned (or a read). */
  private async originalOf(item: Item | undefined, claim: IdempotencyClaim, now: number): Promise<SentRecord> {
    if (item) return { messageId: item.mid as string, fingerprint: item.fp as string };
    const found = await this.findSent(claim.senderId, claim.clientMessageId, now);
    if (!found) throw unavailable();
    return found;
  }

  /**
   * Writes `message` into each recipient's inbox, each once, every write issued while its position
   * is fresh. Waves of WAVE inboxes go out at once; before each, the position is renewed if it has
   * grown stale, and the lease (when there is one) must still have room for the wave.
   */
  private async fanOut(message: Message, recipientIds: readonly string[], lease: Lease | undefined): Promise<void> {
    let position = message.sentAt;
    let pending: readonly string[] = recipientIds;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= FAN_OUT_ROUNDS) throw unavailable();
      if (round > 0) await backoff(round);
      const left: string[] = [];
      for (let i = 0; i < pending.length; i += WAVE) {
        const now = this.clock.now();
        if (lease && now > lease.until - this.writeDeadlineMs) throw unavailable();
        if (now - position > FRESH_MS) {
          // Too late for this position: a fresh one, recorded first (under the lease) so a later
          // completion knows where to look for these copies.
          position = now;
          if (lease) await this.recordPosition(lease, position);
        }
        const copy = { ...message, sentAt: position };
        const wave = pending.slice(i, i + WAVE).map((id): WriteRequest => ({ PutRequest: { Item: inboxItem(id, copy) } }));
        for (const request of await this.table.writeOnce(wave)) {
          left.push(inboxOwnerOf((request as { PutRequest: { Item: Item } }).PutRequest.Item)!);
        }
      }
      pending = left;
    }
  }

  /**
   * A fan-out under `lease`; if it fails, the lease is cut short (best effort) to the moment its
   * last abandoned write can still land, so the client's retry can complete the delivery seconds
   * later rather than when the lease would have run out.
   */
  private async fanOutHolding(lease: Lease | undefined, message: Message, recipientIds: readonly string[]): Promise<void> {
    try {
      await this.fanOut(message, recipientIds, lease);
    } catch (error) {
      if (lease) await this.releaseLease(lease).catch(() => undefined);
      throw error;
    }
  }

  private async releaseLease(lease: Lease): Promise<void> {
    await this.table.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: keys.sent(lease.senderId, lease.clientMessageId),
        UpdateExpression: 'SET le = :settled',
        ConditionExpression: 'lo = :owner',
        // A write given up on may still be applied for about one attempt's time limit.
        ExpressionAttributeValues: { ':settled': this.clock.now() + 2 * this.table.callLimits.requestMs, ':owner': lease.owner },
      }),
    );
  }

  private async recordPosition(lease: Lease, position: number): Promise<void> {
    try {
      await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.sent(lease.senderId, lease.clientMessageId),
          UpdateExpression: 'SET xp = list_append(xp, :position)',
          ConditionExpression: 'lo = :owner AND le = :until',
          ExpressionAttributeValues: { ':position': [position], ':owner': lease.owner, ':until': lease.until },
        }),
      );
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') throw unavailable();
      throw error;
    }
  }

  /** The claimed recipients with no copy at any position the claim knows of. */
  private async missingRecipients(claim: Item): Promise<string[]> {
    const recipients = claim.r as string[];
    const positions = [claim.at as number, ...((claim.xp as number[] | undefined) ?? [])];
    const id = claim.mid as string;
    const found = await this.table.getMany(
      recipients.flatMap((r) => positions.map((sentAt) => keys.inbox(r, { sentAt, id }))),
      'PK',
    );
    const reached = new Set(found.map((item) => inboxOwnerOf(item)));
    return recipients.filter((r) => !reached.has(r));
  }
}

function newOwner(): string {
  return randomBytes(9).toString('base64url');
}

/** A claim may be taken if there is none, or the last one has expired (TTL deletes lazily). */
function newClaimCondition(now: number) {
  return {
    ConditionExpression: 'attribute_not_exists(PK) OR #exp <= :now',
    ExpressionAttributeNames: { '#exp': 'exp' },
    ExpressionAttributeValues: { ':now': now },
  };
}

function claimItem(claim: IdempotencyClaim, message: Message, extra: Item): Item {
  return {
    ...keys.sent(claim.senderId, claim.clientMessageId),
    mid: message.id,
    fp: claim.fingerprint,
    at: message.sentAt,
    exp: claim.expiresAt,
    ttl: ttlSeconds(claim.expiresAt),
    ...extra,
  };
}
