// Pushes to API Gateway WebSocket connections through its Management API (@connections). A
// connection that is gone answers GoneException (410), which is how stale records are found.
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import https from 'node:https';
import type { ConnectionCloseReason } from '../../core/Connection.js';
import type { Message } from '../../core/Message.js';
import type { ConnectionGateway } from '../../ports/ConnectionGateway.js';
import { messageFrame, PONG_FRAME } from './pushFrames.js';

const encoder = new TextEncoder();

export class ApiGatewayConnectionGateway implements ConnectionGateway {
  private readonly client: ApiGatewayManagementApiClient;

  /** `callbackUrl`: https://<api-id>.execute-api.<region>.amazonaws.com/<stage> */
  constructor(callbackUrl: string, region: string) {
    this.client = new ApiGatewayManagementApiClient({
      endpoint: callbackUrl,
      region,
      maxAttempts: 2,
      // A push is a hint: one that hangs must not hold up the stream consumer's batch (whose retry
      // would push the rest twice) or a $connect.
      requestHandler: new NodeHttpHandler({
        connectionTimeout: 1_000,
        requestTimeout: 2_000,
        httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64 }),
      }),
    });
  }

  push(connectionId: string, message: Message): Promise<boolean> {
    return this.post(connectionId, messageFrame(message));
  }

  async pong(connectionId: string): Promise<void> {
    await this.post(connectionId, PONG_FRAME);
  }

  /** The Management API closes without a code or reason of ours: `reason` is for the local server only. */
  async close(connectionId: string, _reason: ConnectionCloseReason): Promise<void> {
    try {
      await this.client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }

  /**
   * Nothing to do: a Lambda cannot keep a timer for a connection. An expired one is closed by the
   * first push that finds it (PushMessage), and API Gateway ends any connection after 10 idle
   * minutes or 2 hours.
   */
  opened(): void {}

  private async post(connectionId: string, frame: string): Promise<boolean> {
    try {
      await this.client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: encoder.encode(frame) }));
      return true;
    } catch (error) {
      if (isGone(error)) return false;
      throw error;
    }
  }
}

function isGone(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'GoneException' || e?.$metadata?.httpStatusCode === 410;
}
