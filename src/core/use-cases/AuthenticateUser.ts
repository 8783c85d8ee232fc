import { DomainError } from '../DomainError.js';
import { Limits, charCount } from '../Limits.js';
import type { PasswordHasher } from '../../ports/PasswordHasher.js';
import type { UserRepository } from '../../ports/UserRepository.js';

export interface Credentials {
  userId: string;
  password: string;
}

/** Unknown user and wrong password are one and the same failure. */
export const UNAUTHORIZED_MESSAGE = 'The user id or password is incorrect.';

export class AuthenticateUser {
  /** Verified against when the user does not exist, so that costs one hash too. */
  private decoyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  /** Answers the authenticated user's id. */
  async execute(credentials: Credentials): Promise<string> {
    // Rejected before any hashing: no stored password can be this long (or empty).
    const length = charCount(credentials.password);
    if (length === 0 || length > Limits.passwordMaxChars) throw unauthorized();

    const user = await this.users.findById(credentials.userId);
    const hash = user?.passwordHash ?? (await this.decoy());
    const matches = await this.hasher.verify(credentials.password, hash);
    if (!user || !matches) throw unauthorized();
    return user.id;
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= this.hasher.hash('decoy password that no user can have');
    return this.decoyHash;
  }
}

function unauthorized(): DomainError {
  return new DomainError('unauthorized', UNAUTHORIZED_MESSAGE);
}
