// One DynamoDB Local for the whole in-process test run, started by the first suite that needs it
// and stopped by the root hook in test/setup.ts. Each suite gets a table of its own.
import { randomBytes } from 'node:crypto';
import { startDynamoDbLocal, type RunningDynamoDbLocal } from '../../scripts/dynamoDbLocal.mjs';
import { createDynamoDbTable } from '../../src/adapters/dynamodb/createDynamoDbTable.js';
import type { DynamoDbSettings } from '../../src/adapters/dynamodb/dynamoDbSettings.js';
import type { DynamoDbTable } from '../../src/adapters/dynamodb/DynamoDbTable.js';
import { ensureTable } from '../../src/adapters/dynamodb/ensureTable.js';

let running: Promise<RunningDynamoDbLocal> | undefined;

export function dynamoDbLocal(): Promise<RunningDynamoDbLocal> {
  running ??= startDynamoDbLocal();
  return running;
}

export async function stopDynamoDbLocal(): Promise<void> {
  if (running) await (await running).stop();
  running = undefined;
}

/** A new, empty table on the shared DynamoDB Local, and a client for it. */
export async function freshTable(): Promise<{ settings: DynamoDbSettings; table: DynamoDbTable }> {
  const { endpoint } = await dynamoDbLocal();
  const settings = { tableName: `test-${randomBytes(6).toString('hex')}`, region: 'local', endpoint };
  await ensureTable(settings);
  return { settings, table: createDynamoDbTable(settings) };
}
