// The DynamoDB Streams consumer: every new inbox item is a message to push to its owner's open
// connections. Push is a hint, so a record that fails is logged and skipped, never retried into
// duplicates or a stuck shard: the client's cursor catches up.
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { PushMessage } from '../../core/use-cases/PushMessage.js';
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

/** Pushes at once: a batch of up to 100 records (Terraform's batch size) in a few rounds. */
const PARALLEL_PUSHES = 16;

export class StreamPushHandler {
  constructor(
    private readonly pushMessage: PushMessage,
    private readonly log: RequestLog,
  ) {}

  readonly handle = async (event: StreamEvent): Promise<{ pushed: number; failed: number }> => {
    const started = performance.now();
    const work = event.Records.flatMap((record) => {
      if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return [];
      const item = unmarshall(record.dynamodb.NewImage as never) as Item;
      const owner = inboxOwnerOf(item);
      return owner ? [{ owner, message: messageOf(item) }] : [];
    });
    let pushed = 0;
    let failed = 0;
    for (let i = 0; i < work.length; i += PARALLEL_PUSHES) {
      const outcomes = await Promise.allSettled(
        work.slice(i, i + PARALLEL_PUSHES).map(({ owner, message }) => this.pushMessage.execute(owner, message)),
      );
      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') pushed += outcome.value;
        else failed++;
      }
    }
    this.log.record({
      requestId: event.Records[0]?.eventID ?? 'stream',
      method: 'STREAM',
      path: 'inbox',
      status: failed > 0 ? 500 : 200,
      durationMs: Math.round(performance.now() - started),
      ...(failed > 0 ? { error: `${failed} of ${work.length} pushes failed` } : {}),
    });
    return { pushed, failed };
  };
}
