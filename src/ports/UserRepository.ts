import type { User } from '../core/User.js';

export interface UserRepository {
  /** Stores a new user; answers false, changing nothing, when the id is already taken. */
  insert(user: User): Promise<boolean>;
  findById(id: string): Promise<User | undefined>;
  /** The ids among `ids` that belong to no user. */
  findMissing(ids: readonly string[]): Promise<string[]>;
}
