// One inbox, kept sorted by (sentAt, id). Appends are O(1) in the usual case (messages arrive
// roughly in order); reads find their start by a search from the newest end, so a poll costs
// O(log d + page), d being how far back it starts, whatever the size of the history.
import { comparePositions, positionOf, type InboxPosition } from '../../core/InboxCursor.js';
import type { Message } from '../../core/Message.js';

export class SortedInbox {
  private readonly messages: Message[] = [];

  get size(): number {
    return this.messages.length;
  }

  /** Answers false, storing nothing, when the message is already in. */
  insert(message: Message): boolean {
    const position = positionOf(message);
    const last = this.messages.at(-1);
    if (!last || comparePositions(positionOf(last), position) < 0) {
      this.messages.push(message);
      return true;
    }
    const index = this.firstAfter(position, true);
    const existing = this.messages[index];
    if (existing && comparePositions(positionOf(existing), position) === 0) return false;
    this.messages.splice(index, 0, message);
    return true;
  }

  latest(limit: number): Message[] {
    return this.messages.slice(Math.max(0, this.messages.length - limit));
  }

  after(position: InboxPosition, limit: number): Message[] {
    const start = this.firstAfter(position, false);
    return this.messages.slice(start, start + limit);
  }

  /**
   * Index of the first message after `position` (or at it, when `inclusive`). A poll reads near
   * the newest end, so the search gallops back from there (1, 2, 4, ... messages) before it
   * bisects: it costs O(log d) for a position d messages from the end, whatever the length of
   * the history behind it, where a bisection of the whole inbox cost O(log n).
   */
  private firstAfter(position: InboxPosition, inclusive: boolean): number {
    const messages = this.messages;
    let high = messages.length;
    let low = high - 1;
    for (let step = 2; low > 0 && isAfter(messages[low]!, position, inclusive); step *= 2) {
      high = low;
      low = high - step;
    }
    low = Math.max(low, 0);
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (isAfter(messages[mid]!, position, inclusive)) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}

/** A message is an InboxPosition already: no position object is made per step of a search. */
function isAfter(message: Message, position: InboxPosition, inclusive: boolean): boolean {
  const order = comparePositions(message, position);
  return order > 0 || (order === 0 && inclusive);
}
