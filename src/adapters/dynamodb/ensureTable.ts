// Creates the table from tableDefinition(), with TTL, unless it exists: what `npm run db:create`,
// the tests and `npm run start:dynamodb` do on DynamoDB Local. On AWS, Terraform creates it.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { clientAccess, type DynamoDbSettings } from './dynamoDbSettings.js';
import { tableDefinition, TTL_ATTRIBUTE } from './tableDefinition.js';

/** Answers true when it created the table, false when it was already there. */
export async function ensureTable(settings: DynamoDbSettings): Promise<boolean> {
  // Signed as the server signs (dynamoDbSettings.ts): DynamoDB Local without -sharedDb keeps a
  // database per access key, and the table must be in the one the server reads.
  const client = new DynamoDBClient(clientAccess(settings));
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: settings.tableName }));
      return false;
    } catch (error) {
      if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
    }
    await client.send(new CreateTableCommand(tableDefinition(settings.tableName)));
    await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: settings.tableName });
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: settings.tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
    return true;
  } finally {
    client.destroy();
  }
}
