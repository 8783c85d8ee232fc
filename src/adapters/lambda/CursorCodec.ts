// The wire form of an inbox cursor: base64url of a small JSON object. Opaque to clients; anything
// this module did not write is refused before it can cost a storage read.
import { DomainError } from '../../core/DomainError.js';
import type { InboxCursor } from '../../core/InboxCursor.js';
import { Limits } from '../../core/Limits.js';

/** SPEC 4: a cursor stays under 16 KiB; the core's bounds keep real ones under 12 KB. */
export const MAX_CURSOR_CHARS = 16 * 1024;

interface WireCursor {
  v: 1;
  /** after.sentAt */
  t: number;
  /** after.id */
  i: string;
  /** seen */
  s: string[];
}

export function encodeCursor(cursor: InboxCursor): string {
  const wire: WireCursor = { v: 1, t: cursor.after.sentAt, i: cursor.after.id, s: [...cursor.seen] };
  return Buffer.from(JSON.stringify(wire)).toString('base64url');
}

/** Throws validation_failed for anything encodeCursor did not write. */
export function decodeCursor(text: string): InboxCursor {
  if (text.length > MAX_CURSOR_CHARS) throw unreadable();
  let wire: unknown;
  try {
    wire = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw unreadable();
  }
  if (!isWireCursor(wire)) throw unreadable();
  return { after: { sentAt: wire.t, id: wire.i }, seen: wire.s };
}

// Made only when thrown: an Error captures a stack trace when it is made, which cost a valid
// cursor's poll as much as the rest of its decoding.
function unreadable(): DomainError {
  return DomainError.validation('cursor', 'The cursor is not one this API returned.');
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
    w.s.length <= Limits.cursorMaxUnsettled &&
    w.s.every((id) => isId(id, false))
  );
}

function isId(value: unknown, mayBeEmpty: boolean): value is string {
  return typeof value === 'string' && value.length <= Limits.idMaxChars && (mayBeEmpty || value.length > 0);
}
