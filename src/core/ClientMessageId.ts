// client_message_id (alias: the Idempotency-Key header): a retried send returns the original
// response and stores nothing new; reusing the id for another target or text is a conflict.
import { DomainError } from './DomainError.js';
import { Limits } from './Limits.js';

/** A sender's promise that a message with this client id is sent once. */
export interface IdempotencyClaim {
  readonly senderId: string;
  readonly clientMessageId: string;
  /** Digest of what is sent (kind, target, text): a reuse with anything else is a conflict. */
  readonly fingerprint: string;
  /** Epoch milliseconds after which the client id may be used again. */
  readonly expiresAt: number;
}

/** What a claimed client id was first used for. */
export interface SentRecord {
  readonly messageId: string;
  readonly fingerprint: string;
  /**
   * Every recipient has the message. A group send that stopped part-way is not complete: its
   * retry is judged again and delivers the rest (SendGroupMessage).
   */
  readonly complete: boolean;
}

const FORMAT = /^[A-Za-z0-9_-]{1,64}$/;

/** The claim for a send, or undefined when the client gave no id. */
export async function claimFor(
  senderId: string,
  clientMessageId: string | undefined,
  what: readonly string[],
  now: number,
): Promise<IdempotencyClaim | undefined> {
  if (clientMessageId === undefined) return undefined;
  if (!FORMAT.test(clientMessageId)) {
    throw DomainError.validation('client_message_id', 'client_message_id must be 1 to 64 letters, digits, - or _.');
  }
  return { senderId, clientMessageId, fingerprint: await sha256(JSON.stringify(what)), expiresAt: now + Limits.idempotencyWindowMs };
}

/** The original message id for a retry, or conflict when the id was used for something else. */
export function replayOf(original: SentRecord, claim: IdempotencyClaim): { messageId: string } {
  if (original.fingerprint !== claim.fingerprint) {
    throw new DomainError(
      'conflict',
      `client_message_id ${claim.clientMessageId} was already used for a different message.`,
    );
  }
  return { messageId: original.messageId };
}

/** SHA-256, base64url, with the platform's Web Crypto (Node, browsers and Lambda alike). */
async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
