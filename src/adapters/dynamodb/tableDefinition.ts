// The one DynamoDB table, as data: `npm run db:create` creates it from this definition and the
// Terraform checks compare infra/terraform's table with it, so the two cannot drift apart.
// The key design (what lives under which PK/SK) is in docs/dynamodb.md.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Generic key names: every entity lives in one table (single-table design). */
export const PARTITION_KEY = 'PK';
export const SORT_KEY = 'SK';
/** Epoch seconds after which DynamoDB's TTL deletes an item (claims, counters, lockout records). */
export const TTL_ATTRIBUTE = 'ttl';
/** The stream carries each new item, so the push consumer sees inbox writes (docs/dynamodb.md). */
export const STREAM_VIEW_TYPE = 'NEW_IMAGE';

export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: SORT_KEY, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
  };
}
