import { claimFor, replayOf, type IdempotencyClaim } from '../ClientMessageId.js';
import { groupNotFound } from '../Group.js';
import { checkMessageText, type Message } from '../Message.js';
import type { BlockRepository } from '../../ports/BlockRepository.js';
import type { Clock } from '../../ports/Clock.js';
import type { DeliveryNotifier } from '../../ports/DeliveryNotifier.js';
import type { GroupRepository } from '../../ports/GroupRepository.js';
import type { IdGenerator } from '../../ports/IdGenerator.js';
import type { MessageRepository } from '../../ports/MessageRepository.js';

export interface SendGroupMessageInput {
  senderId: string;
  groupId: string;
  text: string;
  clientMessageId?: string | undefined;
}

export class SendGroupMessage {
  constructor(
    private readonly groups: GroupRepository,
    private readonly blocks: BlockRepository,
    private readonly messages: MessageRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly notifier: DeliveryNotifier,
  ) {}

  /**
   * Goes to the members at send time but the sender and those who have blocked the sender.
   * A membership or block that changes while this runs takes effect from the next message.
   * A retry with the same client id answers as the first send did, even after leaving the group,
   * and completes a first send that was interrupted.
   */
  async execute(input: SendGroupMessageInput): Promise<{ messageId: string }> {
    checkMessageText(input.text);
    const claim = await claimFor(input.senderId, input.clientMessageId, ['group', input.groupId, input.text], this.clock.now());
    const group = await this.groups.findById(input.groupId);
    if (!group?.memberOf(input.senderId)) {
      // Not a member (any more), or no such group: a retry of an earlier send still replays.
      const earlier = claim && (await this.messages.findSent(claim.senderId, claim.clientMessageId, this.clock.now()));
      if (earlier) return this.replay(earlier, claim!);
      if (!group) throw groupNotFound(input.groupId);
      group.requireMember(input.senderId);
    }

    const others = group!.members.map((m) => m.userId).filter((id) => id !== input.senderId);
    const blockers = await this.blocks.blockersAmong(input.senderId, others);
    const sentAt = this.clock.now();
    const message: Message = {
      id: this.ids.newMessageId(sentAt),
      senderId: input.senderId,
      text: input.text,
      sentAt,
      groupId: input.groupId,
    };
    const recipients = others.filter((id) => !blockers.has(id));
    const outcome = await this.messages.deliverToGroup(message, recipients, claim);
    if (outcome.status === 'duplicate') return this.replay(outcome.original, claim!);
    this.notifier.delivered(message, recipients);
    return { messageId: message.id };
  }

  private async replay(original: { messageId: string; fingerprint: string }, claim: IdempotencyClaim) {
    const answer = replayOf(original, claim);
    await this.messages.completeGroupDelivery(claim.senderId, claim.clientMessageId, this.clock.now());
    return answer;
  }
}
