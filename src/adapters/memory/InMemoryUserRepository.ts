import type { User } from '../../core/User.js';
import type { SignInRecord, UserRepository } from '../../ports/UserRepository.js';
import type { InMemoryStore } from './InMemoryStore.js';

export class InMemoryUserRepository implements UserRepository {
  constructor(private readonly store: InMemoryStore) {}

  async insert(user: User): Promise<boolean> {
    if (this.store.users.has(user.id)) return false;
    this.store.users.set(user.id, user);
    return true;
  }

  async findForSignIn(id: string, now: number): Promise<SignInRecord> {
    return { user: this.store.users.get(id), lockout: this.store.attempts.lockout(id, now) };
  }

  async findMissing(ids: readonly string[]): Promise<string[]> {
    return [...new Set(ids)].filter((id) => !this.store.users.has(id));
  }
}
