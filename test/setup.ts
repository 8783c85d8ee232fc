// Loaded before every in-process suite: tests run with the cheap scrypt cost, never in production,
// and register far more users from one address than SPEC's per-address default allows. The root
// hook stops DynamoDB Local if a suite started it.
import { stopDynamoDbLocal } from './support/dynamoDbLocal.js';

process.env.SCRYPT_COST ??= 'test';
process.env.LOG_LEVEL ??= 'silent';
process.env.REGISTER_PER_MINUTE ??= '100000';
process.env.UNKNOWN_USER_CHECKS_PER_MINUTE ??= '100000';
// The AWS SDK's notice that Node 20 support ends in 2027 is true, and noise in every test run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopDynamoDbLocal();
  },
};
