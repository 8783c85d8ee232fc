import { expiryReason, openedConnection } from '../Connection.js';
import { DomainError } from '../DomainError.js';
import { Limits } from '../Limits.js';
import type { Clock } from '../../ports/Clock.js';
import type { ConnectionGateway } from '../../ports/ConnectionGateway.js';
import type { ConnectionRepository } from '../../ports/ConnectionRepository.js';
import type { AuthenticateToken } from './AuthenticateToken.js';

/**
 * A push connection opens with a login token, and only with one: the connection belongs to the
 * token's user, whatever else the request names, and lasts no longer than the token. A user's
 * eleventh connection closes the oldest; under a burst of connects, one that already has ten newer
 * ones is refused (conflict) rather than opened and closed at once.
 */
export class OpenConnection {
  constructor(
    private readonly authenticateToken: AuthenticateToken,
    private readonly connections: ConnectionRepository,
    private readonly gateway: ConnectionGateway,
    private readonly clock: Clock,
  ) {}

  /** Answers the user the connection now pushes to; fails with unauthorized for a bad token. */
  async execute(input: { connectionId: string; token: string }): Promise<string> {
    const { userId, expiresAt } = await this.authenticateToken.execute(input.token);
    const now = this.clock.now();
    const connection = openedConnection(input.connectionId, userId, now, expiresAt);
    const dropped = await this.connections.add(connection, Limits.connectionsPerUser);
    // The records are gone already: a socket that does not close now gets no push and ends at
    // API Gateway's idle limit, so a failed close must not fail this connect.
    await Promise.allSettled(
      dropped
        .filter((old) => old.id !== connection.id)
        .map((old) => this.gateway.close(old.id, old.expiresAt <= now ? expiryReason(old) : 'replaced', old)),
    );
    if (dropped.some((old) => old.id === connection.id)) {
      throw new DomainError('conflict', `This user opened ${Limits.connectionsPerUser} newer connections at the same time; this one is not kept.`);
    }
    this.gateway.opened(connection);
    return userId;
  }
}
