import { DomainError } from '../DomainError.js';
import { Limits, charCount } from '../Limits.js';
import type { Clock } from '../../ports/Clock.js';
import type { PasswordAttemptLimiter } from '../../ports/PasswordAttemptLimiter.js';
import type { PasswordHasher } from '../../ports/PasswordHasher.js';
import type { UserRepository } from '../../ports/UserRepository.js';
import type { VerifiedPasswordCache } from '../../ports/VerifiedPasswordCache.js';

export interface Credentials {
  userId: string;
  password: string;
}

/** Unknown user and wrong password are one and the same failure. */
const UNAUTHORIZED_MESSAGE = 'The user id or password is incorrect.';

/** Checks a user id and password: lockout first, then the cache of recent verifications, then scrypt. */
export class AuthenticateUser {
  /** Verified against when the user does not exist, so that costs one hash too. */
  private decoyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly attempts: PasswordAttemptLimiter,
    private readonly verified: VerifiedPasswordCache,
    private readonly clock: Clock,
  ) {}

  /** Answers the authenticated user's id. */
  async execute(credentials: Credentials): Promise<string> {
    const { userId, password } = credentials;
    // Rejected before any hashing or counting: no stored password can be this long (or empty).
    const length = charCount(password);
    if (length === 0 || length > Limits.passwordMaxChars) throw unauthorized();

    const permit = await this.attempts.acquire(userId, this.clock.now());
    if (!permit.allowed) {
      throw new DomainError(
        'too_many_attempts',
        'Too many failed password attempts for this user; try again later.',
        undefined,
        permit.retryAfterSeconds,
      );
    }
    const user = await this.users.findById(userId);
    const known = user !== undefined && this.verified.has(user.id, user.passwordHash, password, this.clock.now());
    if (!known) {
      const matches = await this.hasher.verify(password, user?.passwordHash ?? (await this.decoy()));
      if (!user || !matches) throw unauthorized();
      this.verified.remember(user.id, user.passwordHash, password, this.clock.now());
    }
    await this.attempts.refund(userId, permit.window);
    return userId;
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= this.hasher.hash('decoy password that no user can have');
    return this.decoyHash;
  }
}

function unauthorized(): DomainError {
  return new DomainError('unauthorized', UNAUTHORIZED_MESSAGE);
}
