// The cursor chain of check_messages. A cursor is a settled position plus the ids already
// delivered after it: everything up to the position was delivered (or deliberately skipped as
// older history) and can no longer change, being older than the late-write window; nothing after
// it is delivered twice. So a client that always passes back `next_cursor` gets every message
// once, including one whose write became visible up to Limits.lateWriteWindowMs after its
// timestamp. The wire form of a cursor belongs to the adapter that speaks the wire.
import { Limits } from './Limits.js';
import { wireSizeOf, type Message } from './Message.js';

/** A place in an inbox ordered by (sentAt, id). */
export interface InboxPosition {
  readonly sentAt: number;
  readonly id: string;
}

export interface InboxCursor {
  /** Exclusive lower bound of what remains to be read. */
  readonly after: InboxPosition;
  /** Messages after `after` already delivered along this chain: at most Limits.cursorMaxUnsettled. */
  readonly seen: readonly string[];
}

export interface InboxPage {
  /** Oldest first. */
  readonly messages: Message[];
  readonly nextCursor: InboxCursor;
  /** More messages can be delivered at once: the page ended at its limit or its byte budget. */
  readonly hasMore: boolean;
}

export const INBOX_START: InboxPosition = Object.freeze({ sentAt: 0, id: '' });

/**
 * How much of an inbox a read must cover: a page holds at most Limits.pageMaxBytes of messages
 * (wireSizeOf), so once the messages read, other than `uncounted` (those a cursor has already
 * delivered, which the page skips), exceed `maxBytes`, the rest cannot be on this page.
 */
export interface ReadBudget {
  readonly maxBytes: number;
  readonly uncounted: ReadonlySet<string>;
}

/** Sorts after every message id (`msg-` then letters and digits), so it stands for "the end of `sentAt`". */
const END_OF_MILLISECOND = '~';

export function positionOf(message: Message): InboxPosition {
  return { sentAt: message.sentAt, id: message.id };
}

/** The position after every message stamped at or before `sentAt`. */
export function endOf(sentAt: number): InboxPosition {
  return { sentAt, id: END_OF_MILLISECOND };
}

export function comparePositions(a: InboxPosition, b: InboxPosition): number {
  if (a.sentAt !== b.sentAt) return a.sentAt < b.sentAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** How many messages to read after a cursor: enough for `limit` unseen ones and one more. */
export function readSizeFor(cursor: InboxCursor, limit: number): number {
  return limit + cursor.seen.length + 1;
}

/**
 * The next page along a chain. `fetched` is every message after `cursor.after`, in order, as far
 * as the read went (readSizeFor). Messages not seen yet are delivered in order until the page
 * reaches `limit` or its byte budget; a not-yet-settled one that the cursor has no room to
 * remember is held back, with everything after it, until it settles (never longer than the
 * late-write window). The position moves over the leading delivered messages that are settled.
 */
export function pageAfter(cursor: InboxCursor, fetched: readonly Message[], limit: number, settledAt: number): InboxPage {
  const seen = new Set(cursor.seen);
  const page: Message[] = [];
  const passed = new Set<string>();
  let after = cursor.after;
  let passing = true;
  let remembered = seen.size;
  let budget = Limits.pageMaxBytes;
  let hasMore = false;
  for (const message of fetched) {
    const passes = passing && message.sentAt <= settledAt;
    if (!seen.has(message.id)) {
      const size = wireSizeOf(message);
      if (page.length >= limit || size > budget) {
        hasMore = true;
        break;
      }
      if (!passes && remembered >= Limits.cursorMaxUnsettled) break;
      page.push(message);
      budget -= size;
      if (!passes) remembered++;
    }
    if (passes) {
      after = positionOf(message);
      passed.add(message.id);
    } else {
      passing = false;
    }
  }
  const delivered = [...cursor.seen, ...page.map((m) => m.id)];
  return { messages: page, nextCursor: { after, seen: delivered.filter((id) => !passed.has(id)) }, hasMore };
}

/** A newest page whose chain starts at the settled point, before its oldest message. */
export interface NewestPage extends InboxPage {
  /**
   * How many messages older than the page, but after the settled point, the cursor can still
   * remember as skipped. They were there when the page was read, so they are older history the
   * client chose to skip, not late writes; 0 when the chain does not start at the settled point.
   */
  readonly roomToSkip: number;
}

/**
 * The newest page, from `latest` (the newest messages of the inbox, oldest first, at most
 * `limit`). It keeps the newest that fit the byte budget, and no more unsettled ones than a
 * cursor can remember. The chain starts after the page when older history was left out,
 * otherwise at the start of the inbox; never before the settled point, so a write landing late
 * just before the page is still delivered along the chain (see skipVisible).
 */
export function newestPage(latest: readonly Message[], limit: number, settledAt: number): NewestPage {
  let first = latest.length;
  let budget = Limits.pageMaxBytes;
  while (first > 0) {
    const size = wireSizeOf(latest[first - 1]!);
    if (size > budget) break;
    budget -= size;
    first--;
  }
  const olderLeftOut = first > 0 || latest.length >= limit;
  let page = latest.slice(first);
  const firstUnsettled = page.findIndex((m) => m.sentAt > settledAt);
  if (firstUnsettled >= 0) page = page.slice(0, firstUnsettled + Limits.cursorMaxUnsettled);

  const [oldest] = page;
  let start: InboxCursor = { after: INBOX_START, seen: [] };
  let rest = page;
  let fromSettledPoint = false;
  if (olderLeftOut && oldest) {
    fromSettledPoint = oldest.sentAt > settledAt;
    start = { after: fromSettledPoint ? endOf(settledAt) : positionOf(oldest), seen: [] };
    if (!fromSettledPoint) rest = page.slice(1);
  }
  // Every message of `rest` follows `start` without a gap, or none of them is settled, so the
  // chain can move over exactly the settled ones.
  const { nextCursor } = pageAfter(start, rest, rest.length, settledAt);
  const roomToSkip = fromSettledPoint ? Limits.cursorMaxUnsettled - nextCursor.seen.length : 0;
  return { messages: page, nextCursor, hasMore: false, roomToSkip };
}

/**
 * The newest page with `visible` remembered as skipped: messages read after the settled point
 * (oldest first, at most roomToSkip), of which those older than the page are left out on purpose.
 */
export function skipVisible(page: NewestPage, visible: readonly Message[]): InboxPage {
  const [oldest] = page.messages;
  const skipped = oldest
    ? visible.filter((m) => comparePositions(positionOf(m), positionOf(oldest)) < 0).slice(0, page.roomToSkip)
    : [];
  const { after, seen } = page.nextCursor;
  return { messages: page.messages, nextCursor: { after, seen: [...skipped.map((m) => m.id), ...seen] }, hasMore: false };
}
