import { requireWithinRate, type AbuseLimits } from '../AbuseLimits.js';
import { DomainError } from '../DomainError.js';
import { Limits, charCount } from '../Limits.js';
import type { Clock } from '../../ports/Clock.js';
import type { PasswordAttemptLimiter } from '../../ports/PasswordAttemptLimiter.js';
import type { PasswordHasher } from '../../ports/PasswordHasher.js';
import type { RateLimiter } from '../../ports/RateLimiter.js';
import type { UserRepository } from '../../ports/UserRepository.js';
import type { VerifiedPasswordCache } from '../../ports/VerifiedPasswordCache.js';

export interface Credentials {
  userId: string;
  password: string;
  /** Where the request came from (API Gateway's sourceIp), for the per-address limits. */
  clientAddress: string;
}

/** Unknown user and wrong password are one and the same failure. */
const UNAUTHORIZED_MESSAGE = 'The user id or password is incorrect.';
/** Pause between looks at a user whose free attempts are all being checked (a hash takes about 1 s). */
const BUSY_PAUSE_MS = 100;

/**
 * Checks a user id and password: the lockout, then the cache of recent verifications (a hit only
 * reads), then scrypt behind a reserved attempt, so that only failures count and concurrent wrong
 * guesses cannot get past the limit while any number of right ones succeed.
 */
export class AuthenticateUser {
  /** Verified against when the user does not exist, so that costs one hash too. */
  private decoyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly attempts: PasswordAttemptLimiter,
    private readonly verified: VerifiedPasswordCache,
    private readonly rates: RateLimiter,
    private readonly limits: AbuseLimits,
    private readonly clock: Clock,
  ) {}

  /** Answers the authenticated user's id. */
  async execute(credentials: Credentials): Promise<string> {
    const { userId, password } = credentials;
    // Rejected before any hashing or counting: no stored password can be this long (or empty).
    const length = charCount(password);
    if (length === 0 || length > Limits.passwordMaxChars) throw unauthorized();

    const giveUpAt = this.clock.now() + Limits.passwordAttemptWaitMs;
    let unknownCounted = false;
    for (;;) {
      const now = this.clock.now();
      const { user, lockout } = await this.users.findForSignIn(userId, now);
      if (lockout.locked) throw tooManyAttempts(lockout.retryAfterSeconds);
      if (user && this.verified.has(user.id, user.passwordHash, password, now)) return userId;
      if (!user && !unknownCounted) {
        await requireWithinRate(this.rates, 'unknown-user', credentials.clientAddress, this.limits.unknownUserChecksPerMinute, now);
        unknownCounted = true;
      }

      const reservation = await this.attempts.reserve(userId, now);
      if (reservation.status === 'locked') throw tooManyAttempts(reservation.retryAfterSeconds);
      if (reservation.status === 'busy') {
        // Other checks of this user hold every attempt left; once they end, this one either
        // finds the password verified, the user locked out, or a free attempt.
        if (this.clock.now() >= giveUpAt) {
          throw new DomainError('unavailable', 'Too many password checks for this user at once; try again.', undefined, 1);
        }
        await this.clock.sleep(BUSY_PAUSE_MS);
        continue;
      }

      let matches: boolean;
      try {
        matches = await this.hasher.verify(password, user?.passwordHash ?? (await this.decoy()));
      } catch (error) {
        await this.attempts.release(userId, reservation.reservationId);
        throw error;
      }
      if (!user || !matches) {
        await this.attempts.fail(userId, reservation.reservationId, this.clock.now());
        throw unauthorized();
      }
      this.verified.remember(user.id, user.passwordHash, password, this.clock.now());
      await this.attempts.release(userId, reservation.reservationId);
      return userId;
    }
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= this.hasher.hash('decoy password that no user can have');
    return this.decoyHash;
  }
}

function unauthorized(): DomainError {
  return new DomainError('unauthorized', UNAUTHORIZED_MESSAGE);
}

function tooManyAttempts(retryAfterSeconds: number): DomainError {
  return new DomainError(
    'too_many_attempts',
    'Too many failed password attempts for this user; try again later.',
    undefined,
    retryAfterSeconds,
  );
}
