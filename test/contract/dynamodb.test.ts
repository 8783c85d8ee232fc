import { DynamoDbBlockRepository } from '../../src/adapters/dynamodb/DynamoDbBlockRepository.js';
import { DynamoDbConnectionRepository } from '../../src/adapters/dynamodb/DynamoDbConnectionRepository.js';
import { DynamoDbGroupRepository } from '../../src/adapters/dynamodb/DynamoDbGroupRepository.js';
import { DynamoDbMessageRepository } from '../../src/adapters/dynamodb/DynamoDbMessageRepository.js';
import { DynamoDbPasswordAttemptLimiter } from '../../src/adapters/dynamodb/DynamoDbPasswordAttemptLimiter.js';
import { DynamoDbRateLimiter } from '../../src/adapters/dynamodb/DynamoDbRateLimiter.js';
import { DynamoDbUserRepository } from '../../src/adapters/dynamodb/DynamoDbUserRepository.js';
import { SystemClock } from '../../src/adapters/runtime/SystemClock.js';
import { freshTable } from '../support/dynamoDbLocal.js';
import { describeRepositoryContract } from './repositoryContract.js';

describeRepositoryContract('DynamoDB (on DynamoDB Local)', async () => {
  const { table } = await freshTable();
  return {
    users: new DynamoDbUserRepository(table),
    blocks: new DynamoDbBlockRepository(table),
    groups: new DynamoDbGroupRepository(table, new SystemClock()),
    messages: new DynamoDbMessageRepository(table, new SystemClock()),
    attempts: new DynamoDbPasswordAttemptLimiter(table),
    rates: new DynamoDbRateLimiter(table),
    connections: new DynamoDbConnectionRepository(table),
  };
});
