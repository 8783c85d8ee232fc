// Counts each delivered message (the inboxes it reached, and a group message's fan-out) before
// handing it to the notifier that pushes it. The DeliveryNotifier port is told of every delivery,
// on AWS too, where the stream does the pushing.
import type { Message } from '../../core/Message.js';
import type { DeliveryNotifier } from '../../ports/DeliveryNotifier.js';
import { METRIC, type ServiceMetrics } from './ServiceMetrics.js';

export class MeteredDeliveryNotifier implements DeliveryNotifier {
  constructor(
    private readonly inner: DeliveryNotifier,
    private readonly metrics: ServiceMetrics,
  ) {}

  delivered(message: Message, recipientIds: readonly string[]): void {
    this.metrics.add(METRIC.messagesDelivered, recipientIds.length);
    if (message.groupId !== undefined) this.metrics.add(METRIC.groupFanOut, recipientIds.length);
    this.inner.delivered(message, recipientIds);
  }
}
