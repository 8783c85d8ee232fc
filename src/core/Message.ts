import { DomainError } from './DomainError.js';
import { Limits, charCount } from './Limits.js';

export interface Message {
  readonly id: string;
  readonly senderId: string;
  readonly text: string;
  /** Epoch milliseconds. With `id` it orders an inbox: (sentAt, id). */
  readonly sentAt: number;
  /** Set for group messages. */
  readonly groupId?: string;
}

/** The seed's timestamp format, `YYYY-MM-DD HH:MM:SS` in UTC. */
export function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}

/** 1 to Limits.messageMaxChars characters, not only white space. */
export function checkMessageText(text: string): void {
  const length = charCount(text);
  if (length === 0 || length > Limits.messageMaxChars || text.trim() === '') {
    throw DomainError.validation(
      'message',
      `The message must be 1 to ${Limits.messageMaxChars} characters and not only white space.`,
    );
  }
}

/** Room for one message's field names, quotes, timestamp and punctuation in a response, generously. */
const MESSAGE_ENVELOPE_BYTES = 128;

/**
 * An upper bound of the bytes a message takes in a JSON response body (UTF-8, with JSON's
 * escapes), so a page can stop before its body grows past Limits.pageMaxBytes.
 */
export function wireSizeOf(message: Message): number {
  const ids = message.id.length + message.senderId.length + (message.groupId?.length ?? 0);
  return MESSAGE_ENVELOPE_BYTES + ids * 6 + escapedUtf8Bytes(message.text);
}

function escapedUtf8Bytes(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x20) bytes += 6; // \u00XX at worst
    else if (code === 0x22 || code === 0x5c) bytes += 2; // \" and \\
    else if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code < 0x10000) bytes += 3;
    else bytes += 4;
  }
  return bytes;
}
