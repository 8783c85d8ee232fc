// Pushes each delivered message from the process that delivered it: the local server's way
// (on AWS a DynamoDB Streams consumer does it instead). The work runs beside the send, never in
// front of it, a few pushes at a time from a bounded queue; past the bound, pushes are dropped,
// which costs nothing but latency: a client catches up with its cursor.
import type { Message } from '../../core/Message.js';
import type { PushMessage } from '../../core/use-cases/PushMessage.js';
import type { DeliveryNotifier } from '../../ports/DeliveryNotifier.js';

export interface InlinePushBounds {
  /** Pushes (one recipient each) running at once. */
  readonly concurrent: number;
  /** Pushes waiting; a group message to 1,023 members queues 1,023. */
  readonly queued: number;
}

export const DEFAULT_INLINE_PUSH_BOUNDS: InlinePushBounds = Object.freeze({ concurrent: 32, queued: 20_000 });

export class InlinePushNotifier implements DeliveryNotifier {
  /** A queue read from `head`, compacted now and then: shift() on a long array costs its length. */
  private waiting: [string, Message][] = [];
  private head = 0;
  private running = 0;
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
      this.waiting.push([recipientId, message]);
    }
    this.drain();
  }

  private drain(): void {
    while (this.running < this.bounds.concurrent && this.head < this.waiting.length) {
      const [recipientId, message] = this.waiting[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting = this.waiting.slice(this.head);
        this.head = 0;
      }
      this.running++;
      this.push
        .execute(recipientId, message)
        .catch(this.onError)
        .finally(() => {
          this.running--;
          this.drain();
        });
    }
  }
}
