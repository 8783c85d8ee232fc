import { claimFor, replayOf, replayOfEarlier } from '../ClientMessageId.js';
import { DomainError } from '../DomainError.js';
import { checkMessageText, type Message } from '../Message.js';
import { requireUsers } from '../requireUsers.js';
import type { Clock } from '../../ports/Clock.js';
import type { IdGenerator } from '../../ports/IdGenerator.js';
import type { MessageRepository } from '../../ports/MessageRepository.js';
import type { UserRepository } from '../../ports/UserRepository.js';

export interface SendMessageInput {
  senderId: string;
  receiverId: string;
  text: string;
  clientMessageId?: string | undefined;
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
    const sentAt = this.clock.now();
    const claim = claimFor(input.senderId, input.clientMessageId, ['direct', input.receiverId, input.text], sentAt);
    const replay = await replayOfEarlier(this.messages, claim, sentAt);
    if (replay) return replay;

    await requireUsers(this.users, 'receiver_id', [input.receiverId]);
    const message: Message = { id: this.ids.newMessageId(sentAt), senderId: input.senderId, text: input.text, sentAt };
    // Delivered unless the receiver has blocked the sender, decided in the same atomic write
    // that claims the client id, so concurrent duplicates store one message.
    const outcome = await this.messages.deliver(message, [input.receiverId], {
      guard: { userId: input.senderId, blockerIds: [input.receiverId] },
      idempotency: claim,
    });
    if (outcome.status === 'blocked') {
      throw new DomainError('blocked', `You are unable to send messages to ${input.receiverId}.`);
    }
    if (outcome.status === 'duplicate') return replayOf(outcome.original, claim!);
    return { messageId: message.id };
  }
}
