import type { Lockout } from '../core/Lockout.js';
import type { User } from '../core/User.js';

/** What checking a password needs to know first. */
export interface SignInRecord {
  /** Undefined when no user has the id. */
  readonly user: User | undefined;
  /** Password attempts for the id, known or not, are locked out (PasswordAttemptLimiter). */
  readonly lockout: Lockout;
}

export interface UserRepository {
  /** Stores a new user; answers false, changing nothing, when the id is already taken. */
  insert(user: User): Promise<boolean>;
  /** The user and the lockout state of the id, in one read: a poll with a cached password pays one call. */
  findForSignIn(id: string, now: number): Promise<SignInRecord>;
  /** The ids among `ids` that belong to no user. */
  findMissing(ids: readonly string[]): Promise<string[]>;
}
