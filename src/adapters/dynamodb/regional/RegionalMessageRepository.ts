// Messages with several regions (D3): a send runs entirely at the sender's home, where its claim,
// its fence, the sender's blocks and (for a group) its lease are, so idempotent sends racing in
// two regions decide in one place, and a fence guards the very replica its write went to. Inboxes
// are read locally; what another region wrote reaches them by replication, within the settle
// window the cursor allows for it (5 s + L). A receiver missing from the sender's home replica is
// confirmed at the receiver's home (D10) and the send made again without that check.
import type { IdempotencyClaim, SentRecord } from '../../../core/ClientMessageId.js';
import type { InboxPosition, ReadBudget } from '../../../core/InboxCursor.js';
import type { Message } from '../../../core/Message.js';
import type { Clock } from '../../../ports/Clock.js';
import type { DirectDeliveryOutcome, GroupCompletion, GroupDeliveryOutcome, MessageRepository } from '../../../ports/MessageRepository.js';
import type { UserRepository } from '../../../ports/UserRepository.js';
import { DynamoDbMessageRepository } from '../DynamoDbMessageRepository.js';
import type { HomeRouter } from './HomeRouter.js';
import { PerTable } from './PerTable.js';

export class RegionalMessageRepository implements MessageRepository {
  private readonly repos: PerTable<DynamoDbMessageRepository>;

  constructor(
    private readonly router: HomeRouter,
    clock: Clock,
    /** Confirms a receiver at its home (RegionalUserRepository). */
    private readonly users: UserRepository,
  ) {
    this.repos = new PerTable((table) => new DynamoDbMessageRepository(table, clock));
  }

  async deliverDirect(message: Message, receiverId: string, claim?: IdempotencyClaim): Promise<DirectDeliveryOutcome> {
    const outcome = await this.atSendersHome(message.senderId, 'send_message', (repo) => repo.deliverDirect(message, receiverId, claim));
    if (outcome.status !== 'no_receiver') return outcome;
    // Not in that replica (which wrote nothing): registered a moment ago elsewhere, or nobody.
    // Users are never deleted, so a profile found at its home stays found. Confirmed between
    // the two calls, not inside one: a failure of the confirmation (the local replica, the
    // receiver's home) is no failure of the sender's home, and must not count towards its breaker.
    if ((await this.users.findMissing([receiverId])).length > 0) return outcome;
    return this.atSendersHome(message.senderId, 'send_message', (repo) => repo.deliverDirect(message, receiverId, claim, { receiverConfirmed: true }));
  }

  deliverToGroup(message: Message, recipientIds: readonly string[], claim?: IdempotencyClaim): Promise<GroupDeliveryOutcome> {
    return this.atSendersHome(message.senderId, 'send_group_message', (repo) => repo.deliverToGroup(message, recipientIds, claim));
  }

  /** The lease, the completion's read of who has a copy and its writes: all where the first send wrote. */
  completeGroupDelivery(claim: IdempotencyClaim, message: Message, recipientIds: readonly string[]): Promise<GroupCompletion> {
    return this.atSendersHome(claim.senderId, 'send_group_message', (repo) => repo.completeGroupDelivery(claim, message, recipientIds));
  }

  findSent(senderId: string, clientMessageId: string, now: number): Promise<SentRecord | undefined> {
    return this.atSendersHome(senderId, 'find_sent', (repo) => repo.findSent(senderId, clientMessageId, now));
  }

  latest(userId: string, limit: number, budget?: ReadBudget): Promise<Message[]> {
    return this.repos.of(this.router.local).latest(userId, limit, budget);
  }

  after(userId: string, position: InboxPosition, limit: number, budget?: ReadBudget): Promise<Message[]> {
    return this.repos.of(this.router.local).after(userId, position, limit, budget);
  }

  private atSendersHome<T>(senderId: string, operation: string, work: (repo: DynamoDbMessageRepository) => Promise<T>): Promise<T> {
    return this.router.atHome(this.router.homes.ofId(senderId), operation, 'fallback', (table) => work(this.repos.of(table)));
  }
}
