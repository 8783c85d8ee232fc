// The state behind the in-memory repositories. Every repository method does its checks and
// writes synchronously, without an await in between, so each is atomic like one DynamoDB
// conditional write or transaction.
import type { Group } from '../../core/Group.js';
import type { User } from '../../core/User.js';
import type { IdempotencyClaim, SentRecord } from '../../core/ClientMessageId.js';
import { AttemptRecords } from './AttemptRecords.js';
import { SortedInbox } from './SortedInbox.js';

export class InMemoryStore {
  readonly users = new Map<string, User>();
  /** blocker id -> ids they have blocked */
  readonly blocks = new Map<string, Set<string>>();
  readonly groups = new Map<string, Group>();
  /** user id -> ids of the groups they belong to */
  readonly groupsByUser = new Map<string, Set<string>>();
  readonly inboxes = new Map<string, SortedInbox>();
  /** Password failures and running checks per user id (the lockout). */
  readonly attempts = new AttemptRecords();
  /** sender id + client message id -> what it was used for; insertion order is expiry order. */
  private readonly sent = new Map<string, SentProgress>();

  blockersAmong(userId: string, candidateIds: readonly string[]): string[] {
    return candidateIds.filter((id) => this.blocks.get(id)?.has(userId) ?? false);
  }

  findSent(senderId: string, clientMessageId: string, now: number): SentRecord | undefined {
    const record = this.sentProgress(senderId, clientMessageId, now);
    return record && { messageId: record.messageId, fingerprint: record.fingerprint, complete: record.complete };
  }

  /** The live record of a claimed client id, which a group send's completion updates in place. */
  sentProgress(senderId: string, clientMessageId: string, now: number): SentProgress | undefined {
    const record = this.sent.get(sentKey(senderId, clientMessageId));
    return record && record.expiresAt > now ? record : undefined;
  }

  /** Claims the client id: complete unless a group send says which recipients it reached so far. */
  rememberSent(claim: IdempotencyClaim, messageId: string, now: number, reached?: Set<string>): void {
    const key = sentKey(claim.senderId, claim.clientMessageId);
    this.sent.delete(key);
    this.sent.set(key, {
      messageId,
      fingerprint: claim.fingerprint,
      expiresAt: claim.expiresAt,
      complete: reached === undefined,
      reached: reached ?? new Set(),
    });
    for (const [oldKey, record] of this.sent) {
      if (record.expiresAt > now) break;
      this.sent.delete(oldKey);
    }
  }

  inbox(userId: string): SortedInbox {
    let inbox = this.inboxes.get(userId);
    if (!inbox) {
      inbox = new SortedInbox();
      this.inboxes.set(userId, inbox);
    }
    return inbox;
  }
}

/** A claimed client id: what it was used for and, for a group send, whom it reached. */
export interface SentProgress {
  readonly messageId: string;
  readonly fingerprint: string;
  readonly expiresAt: number;
  complete: boolean;
  readonly reached: Set<string>;
}

function sentKey(senderId: string, clientMessageId: string): string {
  return `${senderId}\u0000${clientMessageId}`;
}
