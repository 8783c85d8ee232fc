import { DomainError } from '../DomainError.js';
import type { Clock } from '../../ports/Clock.js';
import type { TokenSigner } from '../../ports/TokenSigner.js';

/** Checks a bearer token from `login`; no password hashing involved. */
export class AuthenticateToken {
  constructor(
    private readonly tokens: TokenSigner,
    private readonly clock: Clock,
  ) {}

  /** Answers the id of the user the token was issued to. */
  async execute(token: string): Promise<string> {
    const userId = await this.tokens.verify(token, this.clock.now());
    if (userId === undefined) throw new DomainError('unauthorized', 'The token is not valid or has expired.');
    return userId;
  }
}
