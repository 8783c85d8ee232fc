// Counts the pushes a gateway sent, and those that found the connection gone.
import type { Connection, ConnectionCloseReason } from '../../core/Connection.js';
import type { Message } from '../../core/Message.js';
import type { ConnectionGateway, ConnectionHolder } from '../../ports/ConnectionGateway.js';
import { METRIC, type ServiceMetrics } from './ServiceMetrics.js';

export class MeteredConnectionGateway implements ConnectionGateway {
  constructor(
    private readonly inner: ConnectionGateway,
    private readonly metrics: ServiceMetrics,
  ) {}

  async push(connectionId: string, message: Message): Promise<boolean> {
    const delivered = await this.inner.push(connectionId, message);
    this.metrics.add(delivered ? METRIC.pushesSent : METRIC.pushesGone);
    return delivered;
  }

  pong(connectionId: string): Promise<void> {
    return this.inner.pong(connectionId);
  }

  close(connectionId: string, reason: ConnectionCloseReason, heldBy?: ConnectionHolder): Promise<void> {
    return this.inner.close(connectionId, reason, heldBy);
  }

  opened(connection: Connection): void {
    this.inner.opened(connection);
  }
}
