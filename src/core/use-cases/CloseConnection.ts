import type { ConnectionRepository } from '../../ports/ConnectionRepository.js';

/** A connection that closed (or was closed) receives nothing more. */
export class CloseConnection {
  constructor(private readonly connections: ConnectionRepository) {}

  execute(input: { connectionId: string }): Promise<void> {
    return this.connections.remove(input.connectionId);
  }
}
