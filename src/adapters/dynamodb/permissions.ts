// The DynamoDB actions the adapter calls, and nothing else. Terraform's IAM policies must grant
// exactly these (checked by test/infra), and the adapter's tests check that every request it
// sends is one of them. Transactions are authorised per item action (ConditionCheckItem, PutItem,
// UpdateItem, DeleteItem), so TransactWriteItems itself is not an action here; so are PartiQL
// statements (BatchExecuteStatement of INSERTs is PartiQLInsert: the inbox writes a fence can stop).

/** What the HTTP API's handlers call, across every route. */
export const DYNAMODB_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PartiQLInsert',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
] as const;

/**
 * What the push handlers call ($connect, $disconnect, $default and the stream consumer): the
 * connection records alone (DynamoDbConnectionRepository: reads, transactions of Put and Delete,
 * an UpdateItem that removes one connection). Their role gets these, not the eight above.
 */
export const PUSH_DYNAMODB_ACTIONS = ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;
