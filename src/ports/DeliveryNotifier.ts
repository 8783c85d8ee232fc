import type { Message } from '../core/Message.js';

/**
 * Told of every message once its inboxes have it, to push it to the recipients' open connections.
 * A hint only: the inbox and its cursor stay the source of truth, so a lost push loses nothing. It
 * must not hold up the send (implementations start the work and return).
 */
export interface DeliveryNotifier {
  delivered(message: Message, recipientIds: readonly string[]): void;
}
