import { DomainError } from '../DomainError.js';
import {
  endOf,
  newestPage,
  pageAfter,
  readSizeFor,
  skipVisible,
  type InboxCursor,
  type InboxPage,
} from '../InboxCursor.js';
import { Limits } from '../Limits.js';
import type { Clock } from '../../ports/Clock.js';
import type { MessageRepository } from '../../ports/MessageRepository.js';
import type { SettlePolicy } from '../../ports/SettlePolicy.js';
import { ONE_REGION_SETTLE } from '../SettleWindow.js';

const NONE: ReadonlySet<string> = new Set();

export interface CheckMessagesInput {
  userId: string;
  /** Absent for the newest page. */
  cursor?: InboxCursor | undefined;
  limit?: number | undefined;
}

/**
 * One read of the inbox per call (two for a full newest page right after new messages), sized by
 * the page and the cursor, never by the history.
 */
export class CheckMessages {
  constructor(
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
    private readonly settle: SettlePolicy = ONE_REGION_SETTLE,
  ) {}

  async execute(input: CheckMessagesInput): Promise<InboxPage> {
    const limit = input.limit ?? Limits.inboxDefaultLimit;
    if (!Number.isInteger(limit) || limit < 1 || limit > Limits.inboxMaxLimit) {
      throw DomainError.validation('limit', `The limit must be an integer from 1 to ${Limits.inboxMaxLimit}.`);
    }
    const { userId, cursor } = input;
    // Taken before the read: whatever is stamped at or before it was visible by the time of the
    // read, so the read saw it. Taken after, a late write could land between the two unseen.
    const settledAt = this.settle.settledAt(this.clock.now());
    if (cursor === undefined) {
      const page = newestPage(await this.messages.latest(userId, limit, { maxBytes: Limits.pageMaxBytes, uncounted: NONE }), limit, settledAt);
      if (page.roomToSkip === 0) return page;
      // Only after recent traffic into a full page: a second, bounded read of the messages
      // between the settled point and the page, so the chain skips them like older history.
      return skipVisible(page, await this.messages.after(userId, endOf(settledAt), page.roomToSkip));
    }
    // A read never goes further than the page can reach: past a page's bytes of messages not yet
    // delivered, it stops (a poll of 500 texts of 4,096 characters once read 10 MB for 62).
    const budget = { maxBytes: Limits.pageMaxBytes, uncounted: new Set(cursor.seen) };
    const fetched = await this.messages.after(userId, cursor.after, readSizeFor(cursor, limit), budget);
    return pageAfter(cursor, fetched, limit, settledAt);
  }
}
