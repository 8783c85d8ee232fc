// One DynamoDB client per process (built at module load, reused by every invocation of a warm
// Lambda), with keep-alive connections and time limits chosen for the inbox's late-write window.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import http from 'node:http';
import https from 'node:https';
import { clientAccess, type DynamoDbSettings } from './dynamoDbSettings.js';
import { DynamoDbTable } from './DynamoDbTable.js';

export interface CallLimits {
  readonly attempts: number;
  readonly connectMs: number;
  /** Per attempt. */
  readonly requestMs: number;
}

/**
 * A write the adapter waits for must land within the inbox's 5-second late-write window of the
 * time it was stamped with: 3 attempts of at most 1 s each, 200 and 400 ms apart, is 3.6 s at
 * worst (DynamoDB answers in milliseconds; throttling is what the retries are for). It also keeps
 * a request far from API Gateway's 30 s: a dead endpoint fails in 3.6 s.
 */
export const AWS_CALL_LIMITS: CallLimits = Object.freeze({ attempts: 3, connectMs: 1_000, requestMs: 1_000 });

/**
 * DynamoDB Local is a JVM on the developer's (often busy) machine and never throttles: one
 * attempt with room for a slow moment, 3.5 s, is still inside the window.
 */
export const LOCAL_CALL_LIMITS: CallLimits = Object.freeze({ attempts: 1, connectMs: 1_000, requestMs: 3_500 });

/** The longest a call can take before it fails for good: every attempt and the pauses between. */
export function worstCaseMs(limits: CallLimits): number {
  let total = limits.attempts * limits.requestMs;
  for (let attempt = 1; attempt < limits.attempts; attempt++) total += retryDelayMs(attempt);
  return total;
}

function retryDelayMs(attempt: number): number {
  return 100 * 2 ** attempt;
}

export function createDynamoDbTable(settings: DynamoDbSettings): DynamoDbTable {
  const limits = settings.callLimits ?? (settings.endpoint ? LOCAL_CALL_LIMITS : AWS_CALL_LIMITS);
  const agent = { keepAlive: true, maxSockets: 64 };
  const client = new DynamoDBClient({
    // On AWS the Lambda's role; on an endpoint what dynamoDbSettings resolved, as ensureTable does.
    ...clientAccess(settings),
    maxAttempts: limits.attempts,
    retryStrategy: new ConfiguredRetryStrategy(limits.attempts, retryDelayMs),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: limits.connectMs,
      requestTimeout: limits.requestMs,
      httpAgent: new http.Agent(agent),
      httpsAgent: new https.Agent(agent),
    }),
  });
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return new DynamoDbTable(documents, settings.tableName, limits);
}
