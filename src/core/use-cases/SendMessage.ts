import { claimFor, replayOf } from '../ClientMessageId.js';
import { DomainError } from '../DomainError.js';
import { checkMessageText, type Message } from '../Message.js';
import type { Clock } from '../../ports/Clock.js';
import type { DeliveryNotifier } from '../../ports/DeliveryNotifier.js';
import type { IdGenerator } from '../../ports/IdGenerator.js';
import type { MessageRepository } from '../../ports/MessageRepository.js';

export interface SendMessageInput {
  senderId: string;
  receiverId: string;
  text: string;
  clientMessageId?: string | undefined;
}

export class SendMessage {
  constructor(
    private readonly messages: MessageRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly notifier: DeliveryNotifier,
  ) {}

  /**
   * One atomic step decides everything: the receiver exists, has not blocked the sender, and the
   * client id is new (else the original answer is replayed), so concurrent retries store one message.
   */
  async execute(input: SendMessageInput): Promise<{ messageId: string }> {
    checkMessageText(input.text);
    // Stamped right before the write: it lands inside the late-write window, or (given up on) is
    // fenced by the repository and never lands.
    const sentAt = this.clock.now();
    const claim = await claimFor(input.senderId, input.clientMessageId, ['direct', input.receiverId, input.text], sentAt);
    const message: Message = { id: this.ids.newMessageId(sentAt), senderId: input.senderId, text: input.text, sentAt };
    const outcome = await this.messages.deliverDirect(message, input.receiverId, claim);
    switch (outcome.status) {
      case 'delivered':
        this.notifier.delivered(message, [input.receiverId]);
        return { messageId: message.id };
      case 'duplicate':
        return replayOf(outcome.original, claim!);
      case 'blocked':
        throw new DomainError('blocked', `You are unable to send messages to ${input.receiverId}.`);
      case 'no_receiver':
        throw new DomainError('user_not_found', `User ${input.receiverId} does not exist.`, [
          { field: 'receiver_id', message: `User ${input.receiverId} does not exist.` },
        ]);
    }
  }
}
