import { expiryReason, type Connection } from '../Connection.js';
import { comparePositions, positionOf } from '../InboxCursor.js';
import type { Message } from '../Message.js';
import type { Clock } from '../../ports/Clock.js';
import type { ConnectionGateway } from '../../ports/ConnectionGateway.js';
import type { ConnectionRepository } from '../../ports/ConnectionRepository.js';

/** A message a user's inbox now has. */
export interface Delivery {
  readonly recipientId: string;
  readonly message: Message;
}

/** What became of one delivery: the connections that got its frame, and whether any push of it failed. */
export interface PushOutcome {
  readonly pushed: number;
  readonly failed: boolean;
}

/**
 * Recipients served at once. A stream batch holds up to 100 records (Terraform's batch size); with
 * up to 10 connections each, 16 recipients keep up to 160 posts in flight, a few rounds per batch.
 */
const PARALLEL_RECIPIENTS = 16;

/**
 * Pushes messages that inboxes now have to their users' open connections (SPEC 8), for the
 * in-process notifier and the stream consumer:
 * - a connection gets only messages sent after it opened (after a stream backlog or a retried
 *   batch, a connection opened since is caught up by its client's cursor, not by pushes);
 * - nothing is pushed once a connection has expired (its token, or its age): it is closed and
 *   forgotten instead;
 * - one user's messages reach each connection in inbox order, one after another;
 * - a connection the gateway reports gone is forgotten, and gets nothing more.
 * A push is a hint: a failure is reported per delivery, and nothing is retried here.
 */
export class PushMessage {
  constructor(
    private readonly connections: ConnectionRepository,
    private readonly gateway: ConnectionGateway,
    private readonly clock: Clock,
  ) {}

  /** Answers one outcome per delivery, in the order given. */
  async execute(deliveries: readonly Delivery[]): Promise<PushOutcome[]> {
    const byRecipient = new Map<string, number[]>();
    deliveries.forEach(({ recipientId }, index) => {
      const indexes = byRecipient.get(recipientId);
      if (indexes) indexes.push(index);
      else byRecipient.set(recipientId, [index]);
    });
    const pushed = deliveries.map(() => 0);
    const failed = deliveries.map(() => false);
    const recipients = [...byRecipient];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < recipients.length) {
        const [recipientId, indexes] = recipients[next++]!;
        indexes.sort((a, b) => comparePositions(positionOf(deliveries[a]!.message), positionOf(deliveries[b]!.message)));
        try {
          await this.pushToRecipient(recipientId, indexes, deliveries, pushed, failed);
        } catch {
          // Their connections could not be read: none of their deliveries went out.
          for (const index of indexes) failed[index] = true;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_RECIPIENTS, recipients.length) }, worker));
    return deliveries.map((_, index) => ({ pushed: pushed[index]!, failed: failed[index]! }));
  }

  private async pushToRecipient(
    recipientId: string,
    /** Indexes into `deliveries`, in inbox order. */
    indexes: readonly number[],
    deliveries: readonly Delivery[],
    pushed: number[],
    failed: boolean[],
  ): Promise<void> {
    const connections = await this.connections.forUser(recipientId);
    const now = this.clock.now();
    await Promise.all(
      connections.map(async (connection) => {
        if (connection.expiresAt <= now) {
          await this.expire(connection);
          return;
        }
        // One after another on this connection, so its frames keep inbox order.
        const due = indexes.filter((index) => deliveries[index]!.message.sentAt >= connection.connectedAt);
        for (const [position, index] of due.entries()) {
          let delivered: boolean;
          try {
            delivered = await this.gateway.push(connection.id, deliveries[index]!.message);
          } catch {
            // A connection that fails once is not pushed the rest (each would wait as long): they count as failed too.
            for (const skipped of due.slice(position)) failed[skipped] = true;
            return;
          }
          if (!delivered) {
            // Gone: forgotten now, or by its TTL if this fails; nothing of this delivery was lost.
            await this.connections.remove(connection.id).catch(() => undefined);
            return;
          }
          pushed[index] = pushed[index]! + 1;
        }
      }),
    );
  }

  /** Past its expiry a connection gets nothing: it is closed and forgotten. */
  private async expire(connection: Connection): Promise<void> {
    await Promise.allSettled([this.gateway.close(connection.id, expiryReason(connection), connection), this.connections.remove(connection.id)]);
  }
}
