import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { lockoutOf } from '../../core/Lockout.js';
import type { User } from '../../core/User.js';
import type { SignInRecord, UserRepository } from '../../ports/UserRepository.js';
import { errorName, type DynamoDbTable } from './DynamoDbTable.js';
import { keys, OWN_ITEMS_PREFIX, userPartition } from './keys.js';

export class DynamoDbUserRepository implements UserRepository {
  constructor(private readonly table: DynamoDbTable) {}

  async insert(user: User): Promise<boolean> {
    try {
      await this.table.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...keys.profile(user.id), hash: user.passwordHash, createdAt: user.createdAt },
          // Ids are random; a collision must never overwrite the user who has it.
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** One strongly consistent Query of the user's own items: the profile and the lockout record. */
  async findForSignIn(id: string, now: number): Promise<SignInRecord> {
    const items = await this.table.query({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :own)',
      ExpressionAttributeValues: { ':pk': userPartition(id), ':own': OWN_ITEMS_PREFIX },
      ConsistentRead: true,
    });
    const profile = items.find((item) => item.SK === keys.profile(id).SK);
    const lock = items.find((item) => item.SK === keys.lockout(id).SK);
    return {
      user: profile && { id, passwordHash: profile.hash as string, createdAt: profile.createdAt as number },
      lockout: lockoutOf((lock?.f as number[] | undefined) ?? [], now),
    };
  }

  async findMissing(ids: readonly string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const found = await this.table.getMany(unique.map(keys.profile), 'PK');
    const existing = new Set(found.map((item) => item.PK));
    return unique.filter((id) => !existing.has(userPartition(id)));
  }
}
