import type { Message } from '../Message.js';
import type { Clock } from '../../ports/Clock.js';
import type { ConnectionGateway } from '../../ports/ConnectionGateway.js';
import type { ConnectionRepository } from '../../ports/ConnectionRepository.js';

/**
 * Pushes a message a user's inbox now has to every connection they have open, and forgets the
 * connections that turn out to be gone. Used by the in-process notifier and the stream consumer.
 */
export class PushMessage {
  constructor(
    private readonly connections: ConnectionRepository,
    private readonly gateway: ConnectionGateway,
    private readonly clock: Clock,
  ) {}

  /** Answers how many connections got the frame. */
  async execute(recipientId: string, message: Message): Promise<number> {
    const open = await this.connections.forUser(recipientId, this.clock.now());
    const sent = await Promise.all(
      open.map(async (connection) => {
        const delivered = await this.gateway.push(connection.id, message);
        if (!delivered) await this.connections.remove(connection.id);
        return delivered;
      }),
    );
    return sent.filter(Boolean).length;
  }
}
