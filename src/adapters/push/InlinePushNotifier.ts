// Pushes each delivered message from the process that delivered it: the local server's way
// (on AWS a DynamoDB Streams consumer does it instead). The work runs beside the send, never in
// front of it, from a bounded queue; past the bound, pushes are dropped, which costs nothing but
// latency: a client catches up with its cursor. One batch runs at a time (PushMessage serves its
// recipients in parallel), so one user's messages reach each connection in the order they queued.
import type { Message } from '../../core/Message.js';
import type { Delivery, PushMessage } from '../../core/use-cases/PushMessage.js';
import type { DeliveryNotifier } from '../../ports/DeliveryNotifier.js';

export interface InlinePushBounds {
  /** Deliveries (one recipient each) handed to PushMessage at once. */
  readonly batch: number;
  /** Deliveries waiting; a group message to 1,023 members queues 1,023. */
  readonly queued: number;
}

export const DEFAULT_INLINE_PUSH_BOUNDS: InlinePushBounds = Object.freeze({ batch: 1_024, queued: 20_000 });

export class InlinePushNotifier implements DeliveryNotifier {
  /** A queue read from `head`, compacted now and then: shift() on a long array costs its length. */
  private waiting: Delivery[] = [];
  private head = 0;
  private running = false;
  dropped = 0;

  constructor(
    private readonly push: PushMessage,
    private readonly onError: (error: unknown) => void,
    private readonly bounds: InlinePushBounds = DEFAULT_INLINE_PUSH_BOUNDS,
  ) {}

  delivered(message: Message, recipientIds: readonly string[]): void {
    for (const recipientId of recipientIds) {
      if (this.waiting.length - this.head >= this.bounds.queued) {
        this.dropped++;
        continue;
      }
      this.waiting.push({ recipientId, message });
    }
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.head < this.waiting.length) {
        const batch = this.waiting.slice(this.head, this.head + this.bounds.batch);
        this.head += batch.length;
        if (this.head * 2 > this.waiting.length) {
          this.waiting = this.waiting.slice(this.head);
          this.head = 0;
        }
        try {
          const outcomes = await this.push.execute(batch);
          if (outcomes.some((outcome) => outcome.failed)) this.onError(new PushFailed());
        } catch (error) {
          this.onError(error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

/** Some pushes of a batch failed (their connections could not be read or written). */
class PushFailed extends Error {
  override readonly name = 'PushFailed';
}
