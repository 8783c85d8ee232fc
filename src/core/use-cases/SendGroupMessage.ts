import { groupNotFound } from '../Group.js';
import { checkMessageText, type Message } from '../Message.js';
import type { BlockRepository } from '../../ports/BlockRepository.js';
import type { Clock } from '../../ports/Clock.js';
import type { GroupRepository } from '../../ports/GroupRepository.js';
import type { IdGenerator } from '../../ports/IdGenerator.js';
import type { MessageRepository } from '../../ports/MessageRepository.js';

export interface SendGroupMessageInput {
  senderId: string;
  groupId: string;
  text: string;
}

export class SendGroupMessage {
  constructor(
    private readonly groups: GroupRepository,
    private readonly blocks: BlockRepository,
    private readonly messages: MessageRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  /**
   * Goes to the members at send time but the sender and those who have blocked the sender.
   * A membership or block that changes while this runs takes effect from the next message.
   */
  async execute(input: SendGroupMessageInput): Promise<{ messageId: string }> {
    checkMessageText(input.text);
    const sentAt = this.clock.now();
    const group = await this.groups.findById(input.groupId);
    if (!group) throw groupNotFound(input.groupId);
    group.requireMember(input.senderId);

    const others = group.members.map((m) => m.userId).filter((id) => id !== input.senderId);
    const blockers = await this.blocks.blockersAmong(input.senderId, others);
    const message: Message = {
      id: this.ids.newMessageId(sentAt),
      senderId: input.senderId,
      text: input.text,
      sentAt,
      groupId: group.id,
    };
    await this.messages.deliver(
      message,
      others.filter((id) => !blockers.has(id)),
    );
    return { messageId: message.id };
  }
}
