// The DynamoDB Streams consumer: every new inbox item is a message to push to its owner's open
// connections (PushMessage: only connections opened before it was sent, in inbox order). Push is a
// hint, so a push that fails is logged and the batch still succeeds: Lambda does not retry it, and
// the client's cursor catches up. The batch is delivered again only when the invocation itself
// fails (a crash, the 60 s timeout): then connections that got frames the first time get them again,
// and clients dedupe by message_id. Each Management API call gives up after about 4 s, and a
// connection that fails once is not pushed the rest of the batch, so a batch of 100 records ends in
// well under the timeout even when posts hang.
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Delivery, PushMessage } from '../../core/use-cases/PushMessage.js';
import { inboxOwnerOf, messageOf } from '../dynamodb/inboxItems.js';
import type { Item } from '../dynamodb/DynamoDbTable.js';
import type { RequestLog } from './RequestLog.js';

/** What is read of a DynamoDB Streams event (aws-lambda's DynamoDBStreamEvent fits it). */
export interface StreamEvent {
  readonly Records: readonly {
    readonly eventID?: string;
    readonly eventName?: string;
    readonly dynamodb?: { readonly NewImage?: Record<string, unknown> };
  }[];
}

export class StreamPushHandler {
  constructor(
    private readonly pushMessage: PushMessage,
    private readonly log: RequestLog,
  ) {}

  readonly handle = async (event: StreamEvent): Promise<{ pushed: number; failed: number }> => {
    const started = performance.now();
    const deliveries = event.Records.flatMap((record): Delivery[] => {
      if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return [];
      const item = unmarshall(record.dynamodb.NewImage as never) as Item;
      const recipientId = inboxOwnerOf(item);
      return recipientId ? [{ recipientId, message: messageOf(item) }] : [];
    });
    const outcomes = await this.pushMessage.execute(deliveries);
    const pushed = outcomes.reduce((sum, outcome) => sum + outcome.pushed, 0);
    const failed = outcomes.filter((outcome) => outcome.failed).length;
    this.log.record({
      requestId: event.Records[0]?.eventID ?? 'stream',
      method: 'STREAM',
      path: 'inbox',
      status: failed > 0 ? 500 : 200,
      durationMs: Math.round(performance.now() - started),
      ...(failed > 0 ? { error: `${failed} of ${deliveries.length} pushes failed` } : {}),
    });
    return { pushed, failed };
  };
}
