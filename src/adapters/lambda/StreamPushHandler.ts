// The DynamoDB Streams consumer: every new inbox item is a message to push to its owner's open
// connections (PushMessage: only connections opened before it was sent, in inbox order, nothing
// after a connection's token expired). The batch is pushed as a whole, so one user's messages keep
// their order and a connection that fails once is not tried again in the batch (each Management API
// call gives up after about 4 s, so 100 records end well inside the 60 s timeout even when posts
// hang). Powertools' batch processing then answers the records whose push failed
// (ReportBatchItemFailures, set on the event source mapping): Lambda retries from the first failed
// record instead of the whole batch, and after its bounded retries sends the rest to the on-failure
// queue. A retried record may reach a connection that already had it: push is a hint, clients dedupe
// by message_id and their cursor catches up with anything not pushed.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Delivery, PushMessage } from '../../core/use-cases/PushMessage.js';
import type { Message } from '../../core/Message.js';
import type { SettlePolicy } from '../../ports/SettlePolicy.js';
import { inboxOwnerOf, messageOf, originOf } from '../dynamodb/inboxItems.js';
import type { Item } from '../dynamodb/DynamoDbTable.js';
import type { InvocationContext, RequestLog } from './RequestLog.js';
import { METRIC, type ServiceMetrics } from './ServiceMetrics.js';

/** What is read of a DynamoDB Streams event (aws-lambda's DynamoDBStreamEvent fits it). */
export interface StreamEvent {
  readonly Records: readonly {
    readonly eventID?: string;
    readonly eventName?: string;
    readonly dynamodb?: { readonly NewImage?: Record<string, unknown>; readonly SequenceNumber?: string };
  }[];
}

/** The records Lambda is to retry: from the first of these on (their sequence numbers). */
export interface StreamBatchResponse {
  readonly batchItemFailures: readonly { readonly itemIdentifier: string }[];
}

/**
 * Several regions (docs/multi-region.md, D8): this region, the settle window of its cursors, and
 * its clock. An insert written in another region (`or`) that arrives here later than the window
 * may be behind cursors that already passed its place: counted (LateReplicatedInbox) and logged.
 */
export interface ReplicationWatch {
  readonly localRegion: string;
  readonly settle: SettlePolicy;
  readonly now: () => number;
}

export class StreamPushHandler {
  constructor(
    private readonly pushMessage: PushMessage,
    private readonly log: RequestLog,
    private readonly metrics: ServiceMetrics,
    private readonly replication?: ReplicationWatch,
  ) {}

  readonly handle = async (event: StreamEvent, context?: InvocationContext): Promise<StreamBatchResponse> => {
    const started = performance.now();
    this.log.invocation(context);
    const deliveries: Delivery[] = [];
    const recordOfDelivery: StreamEvent['Records'][number][] = [];
    for (const record of event.Records) {
      if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
      const item = unmarshall(record.dynamodb.NewImage as never) as Item;
      const recipientId = inboxOwnerOf(item); // undefined for a fence's tombstone: nothing to push
      if (!recipientId) continue;
      const message = messageOf(item);
      this.watchReplication(recipientId, message, originOf(item));
      deliveries.push({ recipientId, message });
      recordOfDelivery.push(record);
    }
    const outcomes = await this.pushMessage.execute(deliveries);
    const failedRecords = new Set(recordOfDelivery.filter((_, index) => outcomes[index]!.failed));

    // Sequential: the pushes are done; this only turns the failed records into the answer Lambda
    // reads, in their stream order. A batch whose every record failed is answered as such, not
    // thrown: Lambda retries it the same way, and the log line and metrics are still written.
    const response = await processPartialResponse(
      event as DynamoDBStreamEvent,
      async (record: DynamoDBRecord) => {
        if (failedRecords.has(record)) throw new Error('push failed');
      },
      new BatchProcessor(EventType.DynamoDBStreams),
      { ...(context ? { context: context as Context } : {}), processInParallel: false, throwOnFullBatchFailure: false },
    );
    const failed = response.batchItemFailures.length;
    this.log.record({
      requestId: event.Records[0]?.eventID ?? 'stream',
      method: 'STREAM',
      path: 'inbox',
      status: failed > 0 ? 500 : 200,
      durationMs: Math.round(performance.now() - started),
      ...(failed > 0 ? { error: `${failed} of ${event.Records.length} records failed` } : {}),
    });
    this.metrics.publish();
    return { batchItemFailures: response.batchItemFailures.map(({ itemIdentifier }) => ({ itemIdentifier })) };
  };

  /** A replicated insert older than the settle window: cursors here may have missed it. */
  private watchReplication(recipientId: string, message: Message, origin: string | undefined): void {
    const watch = this.replication;
    if (!watch || origin === undefined || origin === watch.localRegion) return;
    const ageMs = watch.now() - message.sentAt;
    if (ageMs <= watch.settle.windowMs) return;
    this.metrics.add(METRIC.lateReplicatedInbox);
    this.log.warn('late replicated inbox item', { recipientId, messageId: message.id, origin, ageMs, windowMs: watch.settle.windowMs });
  }
}
