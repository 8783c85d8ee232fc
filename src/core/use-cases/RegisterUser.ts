import { requireWithinRate, type AbuseLimits } from '../AbuseLimits.js';
import { DomainError } from '../DomainError.js';
import { Limits, charCount } from '../Limits.js';
import type { Clock } from '../../ports/Clock.js';
import type { IdGenerator } from '../../ports/IdGenerator.js';
import type { PasswordHasher } from '../../ports/PasswordHasher.js';
import type { RateLimiter } from '../../ports/RateLimiter.js';
import type { UserRepository } from '../../ports/UserRepository.js';

export interface RegisterUserInput {
  password: string;
  /** Where the request came from (API Gateway's sourceIp), for the per-address limit. */
  clientAddress: string;
}

/** A fresh random id that collides is drawn again; it never overwrites a user. */
const MAX_ID_ATTEMPTS = 3;

export class RegisterUser {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly rates: RateLimiter,
    private readonly limits: AbuseLimits,
    private readonly clock: Clock,
  ) {}

  async execute(input: RegisterUserInput): Promise<{ userId: string }> {
    const length = charCount(input.password);
    if (length < Limits.passwordMinChars || length > Limits.passwordMaxChars) {
      throw DomainError.validation(
        'password',
        `The password must be ${Limits.passwordMinChars} to ${Limits.passwordMaxChars} characters long.`,
      );
    }
    // Counted before hashing: a registration costs the server a full scrypt.
    await requireWithinRate(this.rates, 'register', input.clientAddress, this.limits.registerPerMinute, this.clock.now());
    const passwordHash = await this.hasher.hash(input.password);
    for (let attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      const user = { id: this.ids.newUserId(), passwordHash, createdAt: this.clock.now() };
      if (await this.users.insert(user)) return { userId: user.id };
    }
    throw new Error('Could not draw an unused user id');
  }
}
