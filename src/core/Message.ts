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
