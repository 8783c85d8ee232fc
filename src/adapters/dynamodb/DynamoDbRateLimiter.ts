import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateDecision, RateLimiter } from '../../ports/RateLimiter.js';
import { errorName, type DynamoDbTable } from './DynamoDbTable.js';
import { keys, ttlSeconds } from './keys.js';

const WINDOW_MS = 60_000;

/** Fixed one-minute windows: one conditional counter item per key and minute, gone by TTL after. */
export class DynamoDbRateLimiter implements RateLimiter {
  constructor(private readonly table: DynamoDbTable) {}

  async take(key: string, perMinute: number, now: number): Promise<RateDecision> {
    const start = now - (now % WINDOW_MS);
    try {
      await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.rate(key, start),
          UpdateExpression: 'ADD n :one SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(n) OR n < :limit',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':limit': perMinute, ':ttl': ttlSeconds(start + 2 * WINDOW_MS) },
        }),
      );
      return { allowed: true };
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
      return { allowed: false, retryAfterSeconds: Math.ceil((start + WINDOW_MS - now) / 1000) };
    }
  }
}
