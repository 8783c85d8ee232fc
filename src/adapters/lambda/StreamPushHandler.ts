// The DynamoDB Streams consumer: every new inbox item is a message to push to its owner's open
// connections. Powertools' batch processing runs each record and answers the ones whose push
// failed (ReportBatchItemFailures, set on the event source mapping), so Lambda retries from the
// first failed record instead of re-pushing the whole batch; after its bounded retries the rest go
// to the on-failure queue. Push is a hint: the client's cursor catches up with anything not pushed.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { PushMessage } from '../../core/use-cases/PushMessage.js';
import { inboxOwnerOf, messageOf } from '../dynamodb/inboxItems.js';
import type { Item } from '../dynamodb/DynamoDbTable.js';
import type { InvocationContext, RequestLog } from './RequestLog.js';
import type { ServiceMetrics } from './ServiceMetrics.js';

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

/** Pushes at once: a batch of up to 100 records (Terraform's batch size) in a few rounds. */
const PARALLEL_PUSHES = 16;

export class StreamPushHandler {
  constructor(
    private readonly pushMessage: PushMessage,
    private readonly log: RequestLog,
    private readonly metrics: ServiceMetrics,
  ) {}

  readonly handle = async (event: StreamEvent, context?: InvocationContext): Promise<StreamBatchResponse> => {
    const started = performance.now();
    this.log.invocation(context);
    const slots = new Slots(PARALLEL_PUSHES);

    const pushRecord = async (record: DynamoDBRecord): Promise<void> => {
      if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return;
      const item = unmarshall(record.dynamodb.NewImage as never) as Item;
      const owner = inboxOwnerOf(item);
      if (!owner) return;
      await slots.run(() => this.pushMessage.execute(owner, messageOf(item)));
    };

    // A batch whose every record failed is answered as such, not thrown: Lambda retries it the same
    // way, and the batch's log line and metrics are still written.
    const response = await processPartialResponse(event as DynamoDBStreamEvent, pushRecord, new BatchProcessor(EventType.DynamoDBStreams), {
      ...(context ? { context: context as Context } : {}),
      processInParallel: true,
      throwOnFullBatchFailure: false,
    });
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
}

/** At most `size` pushes at once; the others wait their turn, in order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
