// One DynamoDB client per process (built at module load, reused by every invocation of a warm
// Lambda), with keep-alive connections and time limits chosen for the inbox's late-write window.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import http from 'node:http';
import https from 'node:https';
import { DynamoDbTable } from './DynamoDbTable.js';

export interface DynamoDbSettings {
  readonly tableName: string;
  readonly region: string;
  /** DynamoDB Local, or any other endpoint than AWS's own for the region. */
  readonly endpoint?: string | undefined;
}

/**
 * A write the adapter waits for must land within the inbox's 5-second late-write window of the
 * time it was stamped with: 3 attempts of at most 1 s each, 200 and 400 ms apart, is 3.6 s at
 * worst. It also keeps a request far from API Gateway's 30 s: a dead endpoint fails in 3.6 s.
 */
export const CALL_LIMITS = Object.freeze({ attempts: 3, connectMs: 1_000, requestMs: 1_000 });

export function createDynamoDbTable(settings: DynamoDbSettings): DynamoDbTable {
  const agent = { keepAlive: true, maxSockets: 64 };
  const client = new DynamoDBClient({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    // DynamoDB Local accepts any credentials; AWS takes them from the Lambda's role.
    ...(settings.endpoint && !process.env.AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: CALL_LIMITS.attempts,
    retryStrategy: new ConfiguredRetryStrategy(CALL_LIMITS.attempts, (attempt) => 100 * 2 ** attempt),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: CALL_LIMITS.connectMs,
      requestTimeout: CALL_LIMITS.requestMs,
      httpAgent: new http.Agent(agent),
      httpsAgent: new https.Agent(agent),
    }),
  });
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return new DynamoDbTable(documents, settings.tableName);
}
