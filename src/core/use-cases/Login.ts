import type { IssuedToken, TokenSigner } from '../../ports/TokenSigner.js';
import type { Clock } from '../../ports/Clock.js';
import type { AuthenticateUser, Credentials } from './AuthenticateUser.js';

/** Trades a password (checked like any other, lockout included) for a bearer token. */
export class Login {
  constructor(
    private readonly authenticate: AuthenticateUser,
    private readonly tokens: TokenSigner,
    private readonly clock: Clock,
  ) {}

  async execute(credentials: Credentials): Promise<IssuedToken> {
    const userId = await this.authenticate.execute(credentials);
    return this.tokens.issue(userId, this.clock.now());
  }
}
