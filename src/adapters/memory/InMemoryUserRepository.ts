import type { User } from '../../core/User.js';
import type { UserRepository } from '../../ports/UserRepository.js';
import type { InMemoryStore } from './InMemoryStore.js';

export class InMemoryUserRepository implements UserRepository {
  constructor(private readonly store: InMemoryStore) {}

  async insert(user: User): Promise<boolean> {
    if (this.store.users.has(user.id)) return false;
    this.store.users.set(user.id, user);
    return true;
  }

  async findById(id: string): Promise<User | undefined> {
    return this.store.users.get(id);
  }

  async findMissing(ids: readonly string[]): Promise<string[]> {
    return [...new Set(ids)].filter((id) => !this.store.users.has(id));
  }
}
