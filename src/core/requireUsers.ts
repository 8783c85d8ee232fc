import { DomainError } from './DomainError.js';
import type { UserRepository } from '../ports/UserRepository.js';

/** Fails with user_not_found naming every id that belongs to no user. */
export async function requireUsers(users: UserRepository, field: string, ids: readonly string[]): Promise<void> {
  const missing = await users.findMissing(ids);
  if (missing.length > 0) {
    throw new DomainError(
      'user_not_found',
      missing.length === 1 ? `User ${missing[0]} does not exist.` : `These users do not exist: ${missing.join(', ')}.`,
      missing.map((id) => ({ field, message: `User ${id} does not exist.` })),
    );
  }
}
