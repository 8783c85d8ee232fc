import { DomainError } from '../DomainError.js';
import { checkMessageText, type Message } from '../Message.js';
import type { Clock } from '../../ports/Clock.js';
import type { IdGenerator } from '../../ports/IdGenerator.js';
import type { MessageRepository } from '../../ports/MessageRepository.js';
import type { UserRepository } from '../../ports/UserRepository.js';
import { requireUsers } from '../requireUsers.js';

export interface SendMessageInput {
  senderId: string;
  receiverId: string;
  text: string;
}

export class SendMessage {
  constructor(
    private readonly users: UserRepository,
    private readonly messages: MessageRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: SendMessageInput): Promise<{ messageId: string }> {
    checkMessageText(input.text);
    await requireUsers(this.users, 'receiver_id', [input.receiverId]);
    const sentAt = this.clock.now();
    const message: Message = { id: this.ids.newMessageId(sentAt), senderId: input.senderId, text: input.text, sentAt };
    // Delivered unless the receiver has blocked the sender, decided in the same atomic write.
    const outcome = await this.messages.deliver(message, [input.receiverId], {
      userId: input.senderId,
      blockerIds: [input.receiverId],
    });
    if (outcome.status === 'blocked') {
      throw new DomainError('blocked', `You are unable to send messages to ${input.receiverId}.`);
    }
    return { messageId: message.id };
  }
}

