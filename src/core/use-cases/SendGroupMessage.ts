import { claimFor, replayOf, type IdempotencyClaim, type SentRecord } from '../ClientMessageId.js';
import { groupNotFound, type Group } from '../Group.js';
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
   * A retry with the same client id answers as the first send did. A first send that stopped
   * part-way is a new request about an old intent: judged again now (the sender still a member,
   * each recipient still a member who has not blocked the sender), it delivers the rest, stamped
   * now, under the id first assigned.
   */
  async execute(input: SendGroupMessageInput): Promise<{ messageId: string }> {
    checkMessageText(input.text);
    const claim = await claimFor(input.senderId, input.clientMessageId, ['group', input.groupId, input.text], this.clock.now());
    const group = await this.groups.findById(input.groupId);
    if (!group?.memberOf(input.senderId)) {
      // Not a member (any more), or no such group: a send that was complete still replays; one
      // that was not is judged as the new send it is, and refused.
      const earlier = claim && (await this.messages.findSent(claim.senderId, claim.clientMessageId, this.clock.now()));
      if (earlier) {
        const answer = replayOf(earlier, claim!);
        if (earlier.complete) return answer;
      }
      if (!group) throw groupNotFound(input.groupId);
      group.requireMember(input.senderId);
    }

    const recipients = await this.recipientsOf(group!, input.senderId);
    const sentAt = this.clock.now();
    const message: Message = {
      id: this.ids.newMessageId(sentAt),
      senderId: input.senderId,
      text: input.text,
      sentAt,
      groupId: input.groupId,
    };
    const outcome = await this.messages.deliverToGroup(message, recipients, claim);
    if (outcome.status === 'duplicate') return this.retry(outcome.original, claim!, message, recipients);
    this.notifier.delivered(message, recipients);
    return { messageId: message.id };
  }

  /** Every member but the sender and those who have blocked the sender, as of now. */
  private async recipientsOf(group: Group, senderId: string): Promise<string[]> {
    const others = group.members.map((m) => m.userId).filter((id) => id !== senderId);
    const blockers = await this.blocks.blockersAmong(senderId, others);
    return others.filter((id) => !blockers.has(id));
  }

  /**
   * A retry of a claimed send: the original answer, after delivering what an interrupted first
   * send did not, to `recipients` as judged just now, under the original id, stamped after that
   * judgement (`message.sentAt`), so never shown before a block it was judged against.
   */
  private async retry(original: SentRecord, claim: IdempotencyClaim, message: Message, recipients: readonly string[]) {
    const answer = replayOf(original, claim);
    if (original.complete) return answer;
    const completion = await this.messages.completeGroupDelivery(claim, { ...message, id: original.messageId }, recipients);
    if (completion.recipientIds.length > 0) this.notifier.delivered(completion.message, completion.recipientIds);
    return answer;
  }
}
