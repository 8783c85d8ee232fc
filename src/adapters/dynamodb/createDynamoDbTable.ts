// One DynamoDB client per process (built at module load, reused by every invocation of a warm
// Lambda), with keep-alive connections and time limits that hold: each attempt is aborted when it
// has no answer in time (throwOnRequestTimeout; without it @smithy/node-http-handler only logs a
// warning and waits for the 300 s socket timeout), and DynamoDbTable.send bounds the whole call.
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
 * 3 attempts of at most 1 s each, 200 and 400 ms apart: a call answers or fails within 3.6 s
 * (worstCaseMs). DynamoDB answers in milliseconds; the retries are for throttling and for an
 * attempt lost on the way. A write given up on may still land later: it is fenced
 * (docs/dynamodb.md), and the call and its fence fit the inbox's 5 s late-write window.
 */
export const AWS_CALL_LIMITS: CallLimits = Object.freeze({ attempts: 3, connectMs: 1_000, requestMs: 1_000 });

/**
 * DynamoDB Local is a JVM on the developer's (often busy) machine and never throttles: one
 * attempt with room for a slow moment, 3.5 s; with a fence still inside the window.
 */
export const LOCAL_CALL_LIMITS: CallLimits = Object.freeze({ attempts: 1, connectMs: 1_000, requestMs: 3_500 });

/**
 * A fence (one small conditional write after a write was given up on) gets this long, all
 * attempts included; every other call of a request leaves this much of the request's time for one.
 */
export const FENCE_MS = 1_000;

/** The longest a call can take before it fails for good: every attempt and the pauses between. */
export function worstCaseMs(limits: CallLimits): number {
  let total = limits.attempts * limits.requestMs;
  for (let attempt = 1; attempt < limits.attempts; attempt++) total += retryDelayMs(attempt);
  return total;
}

function retryDelayMs(attempt: number): number {
  return 100 * 2 ** attempt;
}

/**
 * `timeLeft`: what the current request has left, in milliseconds (Infinity outside a request);
 * no call is given longer.
 */
export function createDynamoDbTable(settings: DynamoDbSettings, timeLeft: () => number = () => Infinity): DynamoDbTable {
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
      throwOnRequestTimeout: true,
      httpAgent: new http.Agent(agent),
      httpsAgent: new https.Agent(agent),
    }),
  });
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return new DynamoDbTable(documents, settings.tableName, limits, timeLeft, settings.origin);
}
