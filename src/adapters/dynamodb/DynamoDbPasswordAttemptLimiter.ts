// The lockout record of one user id: failure times (`f`), checks in progress with when each lapses
// (`p`), and a version (`v`) that every change moves on. A reservation is a compare-and-set on the
// version, decided by core/Lockout.ts from what was read; a failure or a release is one update
// that needs no read. Shared by every Lambda instance, as SPEC asks.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { Limits } from '../../core/Limits.js';
import { failuresInWindow, freeAttempts, lockoutOf } from '../../core/Lockout.js';
import type { AttemptReservation, PasswordAttemptLimiter } from '../../ports/PasswordAttemptLimiter.js';
import { errorName, type DynamoDbTable, type Item } from './DynamoDbTable.js';
import { keys, ttlSeconds } from './keys.js';

/** Compare-and-set rounds lost to concurrent changes before answering busy (the caller waits and asks again). */
const CAS_ROUNDS = 4;

/** The record outlives its last failure by the window, and any reservation by its lapse. */
function expiry(now: number): number {
  return ttlSeconds(now + Limits.passwordAttemptWindowMs + Limits.passwordAttemptReservationMs);
}

export class DynamoDbPasswordAttemptLimiter implements PasswordAttemptLimiter {
  constructor(private readonly table: DynamoDbTable) {}

  async reserve(userId: string, now: number): Promise<AttemptReservation> {
    const key = keys.lockout(userId);
    for (let round = 0; round < CAS_ROUNDS; round++) {
      const { Item: item } = await this.table.send<{ Item?: Item }>(
        new GetCommand({ TableName: this.table.name, Key: key, ConsistentRead: true }),
      );
      const failures = failuresInWindow((item?.f as number[] | undefined) ?? [], now);
      const lockout = lockoutOf(failures, now);
      if (lockout.locked) return { status: 'locked', retryAfterSeconds: lockout.retryAfterSeconds };
      const running = Object.entries((item?.p as Record<string, number> | undefined) ?? {}).filter(([, lapse]) => lapse > now);
      if (freeAttempts(failures, running.length, now) === 0) return { status: 'busy' };

      const reservationId = randomBytes(9).toString('base64url');
      const version = (item?.v as number | undefined) ?? 0;
      try {
        await this.table.send(
          new UpdateCommand({
            TableName: this.table.name,
            Key: key,
            // Rewrites the small record whole: lapsed reservations and old failures go with it.
            UpdateExpression: 'SET f = :f, p = :p, v = :next, #ttl = :ttl',
            ConditionExpression: item ? 'v = :version' : 'attribute_not_exists(PK)',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':f': failures,
              ':p': Object.fromEntries([...running, [reservationId, now + Limits.passwordAttemptReservationMs]]),
              ':next': version + 1,
              ':ttl': expiry(now),
              ...(item ? { ':version': version } : {}),
            },
          }),
        );
        return { status: 'reserved', reservationId };
      } catch (error) {
        if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
      }
    }
    return { status: 'busy' };
  }

  async fail(userId: string, reservationId: string, now: number): Promise<void> {
    await this.table.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: keys.lockout(userId),
        UpdateExpression: 'SET f = list_append(if_not_exists(f, :none), :now), #ttl = :ttl REMOVE p.#r ADD v :one',
        ExpressionAttributeNames: { '#ttl': 'ttl', '#r': reservationId },
        ExpressionAttributeValues: { ':none': [], ':now': [now], ':ttl': expiry(now), ':one': 1 },
      }),
    );
  }

  async release(userId: string, reservationId: string): Promise<void> {
    try {
      await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.lockout(userId),
          // The version moves too, so a reservation decided from a read that still saw this one
          // cannot write it back.
          UpdateExpression: 'REMOVE p.#r ADD v :one',
          ConditionExpression: 'attribute_exists(p)',
          ExpressionAttributeNames: { '#r': reservationId },
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    } catch (error) {
      // The record is gone (expired): nothing is held.
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
    }
  }
}
