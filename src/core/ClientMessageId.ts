// client_message_id (alias: the Idempotency-Key header): a retried send returns the original
// response and stores nothing new; reusing the id for another target or text is a conflict.
import { createHash } from 'node:crypto';
import { DomainError } from './DomainError.js';
import { Limits } from './Limits.js';
import type { IdempotencyClaim, MessageRepository, SentRecord } from '../ports/MessageRepository.js';

const FORMAT = /^[A-Za-z0-9_-]{1,64}$/;

/** The claim for a send, or undefined when the client gave no id. */
export function claimFor(
  senderId: string,
  clientMessageId: string | undefined,
  what: readonly string[],
  now: number,
): IdempotencyClaim | undefined {
  if (clientMessageId === undefined) return undefined;
  if (!FORMAT.test(clientMessageId)) {
    throw DomainError.validation('client_message_id', 'client_message_id must be 1 to 64 letters, digits, - or _.');
  }
  const fingerprint = createHash('sha256').update(JSON.stringify(what)).digest('base64url');
  return { senderId, clientMessageId, fingerprint, expiresAt: now + Limits.idempotencyWindowMs };
}

/** The answer to a retry of an earlier send with the claim's client id, if there was one. */
export async function replayOfEarlier(
  messages: MessageRepository,
  claim: IdempotencyClaim | undefined,
  now: number,
): Promise<{ messageId: string } | undefined> {
  const earlier = claim && (await messages.findSent(claim.senderId, claim.clientMessageId, now));
  return earlier && replayOf(earlier, claim);
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
