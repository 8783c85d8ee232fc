import { DomainError } from '../DomainError.js';
import {
  INBOX_START,
  advanceCursor,
  decodeCursor,
  encodeCursor,
  positionOf,
  type InboxCursor,
} from '../InboxCursor.js';
import { Limits } from '../Limits.js';
import type { Message } from '../Message.js';
import type { Clock } from '../../ports/Clock.js';
import type { MessageRepository } from '../../ports/MessageRepository.js';

export interface CheckMessagesInput {
  userId: string;
  /** Absent for the newest page. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface InboxPage {
  /** Oldest first. */
  messages: Message[];
  nextCursor: string;
  /** More messages are already waiting after this page. */
  hasMore: boolean;
}

export class CheckMessages {
  constructor(
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: CheckMessagesInput): Promise<InboxPage> {
    const limit = input.limit ?? Limits.inboxDefaultLimit;
    if (!Number.isInteger(limit) || limit < 1 || limit > Limits.inboxMaxLimit) {
      throw DomainError.validation('limit', `The limit must be an integer from 1 to ${Limits.inboxMaxLimit}.`);
    }
    const settledAt = this.clock.now() - Limits.lateWriteWindowMs;
    return input.cursor === undefined
      ? this.newest(input.userId, limit, settledAt)
      : this.following(input.userId, decodeCursor(input.cursor), limit, settledAt);
  }

  private async newest(userId: string, limit: number, settledAt: number): Promise<InboxPage> {
    const page = await this.messages.latest(userId, limit);
    // A full page skips older history on purpose: the chain starts at its first message.
    // A shorter page is the whole inbox: the chain starts at the beginning.
    const [first] = page;
    const full = first !== undefined && page.length >= limit;
    const from: InboxCursor = { after: full ? positionOf(first) : INBOX_START, seen: [] };
    const rest = full ? page.slice(1) : page;
    const next = advanceCursor(from, rest, new Set(rest.map((m) => m.id)), settledAt);
    return { messages: page, nextCursor: encodeCursor(next), hasMore: false };
  }

  private async following(userId: string, cursor: InboxCursor, limit: number, settledAt: number): Promise<InboxPage> {
    const seen = new Set(cursor.seen);
    // Enough to find `limit` unseen messages and one more, whatever was seen before.
    const fetched = await this.messages.after(userId, cursor.after, limit + seen.size + 1);
    const unseen = fetched.filter((m) => !seen.has(m.id));
    const page = unseen.slice(0, limit);
    const delivered = new Set([...seen, ...page.map((m) => m.id)]);
    const next = advanceCursor(cursor, fetched, delivered, settledAt);
    return { messages: page, nextCursor: encodeCursor(next), hasMore: unseen.length > limit };
  }
}
