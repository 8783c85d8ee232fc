// The cursor chain of check_messages. A cursor is a settled position plus the ids already
// delivered after it: everything up to the position was delivered and can no longer change
// (older than the late-write window), and nothing after it is delivered twice. So a client
// that always passes back `next_cursor` gets every message once, including one whose write
// became visible up to Limits.lateWriteWindowMs after its timestamp.
import { DomainError } from './DomainError.js';
import type { Message } from './Message.js';

/** A place in an inbox ordered by (sentAt, id). */
export interface InboxPosition {
  readonly sentAt: number;
  readonly id: string;
}

export interface InboxCursor {
  /** Exclusive lower bound of what remains to be read. */
  readonly after: InboxPosition;
  /** Messages after `after` that were already delivered along this chain. */
  readonly seen: readonly string[];
}

export const INBOX_START: InboxPosition = Object.freeze({ sentAt: 0, id: '' });

/** The most ids a cursor may carry: a request body (64 KiB) could not hold more. */
const MAX_SEEN = 4096;
const MAX_ID_CHARS = 64;

export function positionOf(message: Message): InboxPosition {
  return { sentAt: message.sentAt, id: message.id };
}

export function comparePositions(a: InboxPosition, b: InboxPosition): number {
  if (a.sentAt !== b.sentAt) return a.sentAt < b.sentAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The cursor after a read. `fetched` is every message of the inbox after `from.after`, in order,
 * as far as the read went; `delivered` the ids delivered so far (the cursor's and this page's).
 * The position moves over delivered messages older than `settledAt`; the rest stay in `seen`.
 */
export function advanceCursor(
  from: InboxCursor,
  fetched: readonly Message[],
  delivered: ReadonlySet<string>,
  settledAt: number,
): InboxCursor {
  let after = from.after;
  let passed = 0;
  for (const message of fetched) {
    if (!delivered.has(message.id) || message.sentAt > settledAt) break;
    after = positionOf(message);
    passed++;
  }
  const behind = new Set(fetched.slice(0, passed).map((m) => m.id));
  return { after, seen: [...delivered].filter((id) => !behind.has(id)) };
}

interface WireCursor {
  v: 1;
  t: number;
  i: string;
  s: string[];
}

export function encodeCursor(cursor: InboxCursor): string {
  const wire: WireCursor = { v: 1, t: cursor.after.sentAt, i: cursor.after.id, s: [...cursor.seen] };
  return Buffer.from(JSON.stringify(wire)).toString('base64url');
}

/** Throws validation_failed for anything this module did not write. */
export function decodeCursor(text: string): InboxCursor {
  const unreadable = DomainError.validation('cursor', 'The cursor is not one this API returned.');
  let wire: unknown;
  try {
    wire = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw unreadable;
  }
  if (!isWireCursor(wire)) throw unreadable;
  return { after: { sentAt: wire.t, id: wire.i }, seen: wire.s };
}

function isWireCursor(value: unknown): value is WireCursor {
  if (typeof value !== 'object' || value === null) return false;
  const w = value as Record<string, unknown>;
  return (
    w.v === 1 &&
    Number.isSafeInteger(w.t) &&
    (w.t as number) >= 0 &&
    isId(w.i, true) &&
    Array.isArray(w.s) &&
    w.s.length <= MAX_SEEN &&
    w.s.every((id) => isId(id, false))
  );
}

function isId(value: unknown, mayBeEmpty: boolean): value is string {
  return typeof value === 'string' && value.length <= MAX_ID_CHARS && (mayBeEmpty || value.length > 0);
}
