import { DomainError } from '../DomainError.js';
import type { Clock } from '../../ports/Clock.js';
import type { TokenSigner, VerifiedToken } from '../../ports/TokenSigner.js';

/** Checks a bearer token from `login`; no password hashing involved. */
export class AuthenticateToken {
  constructor(
    private readonly tokens: TokenSigner,
    private readonly clock: Clock,
  ) {}

  /** Answers the user the token was issued to, and when it stops speaking for them. */
  async execute(token: string): Promise<VerifiedToken> {
    const verified = await this.tokens.verify(token, this.clock.now());
    if (verified === undefined) throw new DomainError('unauthorized', 'The token is not valid or has expired.');
    return verified;
  }
}
