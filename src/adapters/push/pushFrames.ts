// The frames the server sends on a push connection (the push section of docs/SPEC.md).
import type { Message } from '../../core/Message.js';
import { messageView } from '../lambda/messageView.js';

/** One message the user's inbox now has: the same fields as a check_messages item. */
export function messageFrame(message: Message): string {
  return JSON.stringify({ type: 'message', ...messageView(message) });
}

export const PONG_FRAME = JSON.stringify({ type: 'pong' });
