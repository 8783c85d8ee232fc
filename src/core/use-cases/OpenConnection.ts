import { Limits } from '../Limits.js';
import type { Clock } from '../../ports/Clock.js';
import type { ConnectionGateway } from '../../ports/ConnectionGateway.js';
import type { ConnectionRepository } from '../../ports/ConnectionRepository.js';
import type { AuthenticateToken } from './AuthenticateToken.js';

/**
 * A push connection opens with a login token, and only with one: the connection belongs to the
 * token's user, whatever else the request names. A user's eleventh connection closes the oldest.
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
    const userId = await this.authenticateToken.execute(input.token);
    const now = this.clock.now();
    const evicted = await this.connections.add(
      { id: input.connectionId, userId, connectedAt: now, expiresAt: now + Limits.connectionMaxAgeMs },
      Limits.connectionsPerUser,
    );
    await Promise.all(evicted.map((connection) => this.gateway.close(connection.id)));
    return userId;
  }
}
