// One inbox, kept sorted by (sentAt, id). Appends are O(1) in the usual case (messages arrive
// roughly in order); reads find their start by binary search, so they cost O(log n + page)
// whatever the size of the history.
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

  /** Index of the first message after `position` (or at it, when `inclusive`). */
  private firstAfter(position: InboxPosition, inclusive: boolean): number {
    let low = 0;
    let high = this.messages.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const order = comparePositions(positionOf(this.messages[mid]!), position);
      if (order < 0 || (order === 0 && !inclusive)) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
