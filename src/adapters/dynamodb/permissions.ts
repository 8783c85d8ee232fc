// The DynamoDB actions the adapter calls, and nothing else. Terraform's IAM policy must grant
// exactly these (checked by test/infra), and the adapter's tests check that every request it
// sends is one of them. Transactions are authorised per item action (ConditionCheckItem, PutItem,
// UpdateItem, DeleteItem), so TransactWriteItems itself is not an action here.
export const DYNAMODB_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
] as const;
