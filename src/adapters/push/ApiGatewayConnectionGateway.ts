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
import type { ConnectionGateway, ConnectionHolder } from '../../ports/ConnectionGateway.js';
import { messageFrame, PONG_FRAME } from './pushFrames.js';

const encoder = new TextEncoder();

export interface ManagementCallLimits {
  readonly attempts: number;
  readonly connectMs: number;
  /** Per attempt: from sending the request to the whole answer. */
  readonly requestMs: number;
}

/**
 * A push is a hint: one that hangs must not hold the stream consumer's batch until the Lambda's
 * timeout (whose retry would push the batch again) or a $connect. Two attempts of at most 2 s:
 * about 4 s for a post that never answers, then it fails and the batch goes on.
 */
export const MANAGEMENT_CALL_LIMITS: ManagementCallLimits = Object.freeze({ attempts: 2, connectMs: 1_000, requestMs: 2_000 });

export class ApiGatewayConnectionGateway implements ConnectionGateway {
  private readonly client: ApiGatewayManagementApiClient;
  /** Other regions' Management APIs, by URL, for closing a connection over the user's limit there. */
  private readonly remote = new Map<string, ApiGatewayManagementApiClient>();

  /** `callbackUrl`: https://<api-id>.execute-api.<region>.amazonaws.com/<stage> */
  constructor(
    private readonly callbackUrl: string,
    region: string,
    private readonly limits: ManagementCallLimits = MANAGEMENT_CALL_LIMITS,
  ) {
    this.client = managementClient(callbackUrl, region, limits);
  }

  push(connectionId: string, message: Message): Promise<boolean> {
    return this.post(connectionId, messageFrame(message));
  }

  async pong(connectionId: string): Promise<void> {
    await this.post(connectionId, PONG_FRAME);
  }

  /**
   * The Management API closes without a code or reason of ours: `reason` is for the local server
   * only. A connection another region holds is closed through that region's API, signed for it
   * (the push role may DELETE there, and POST only here).
   */
  async close(connectionId: string, _reason: ConnectionCloseReason, heldBy?: ConnectionHolder): Promise<void> {
    try {
      await this.clientFor(heldBy).send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }

  private clientFor(heldBy: ConnectionHolder | undefined): ApiGatewayManagementApiClient {
    const url = heldBy?.callbackUrl;
    if (!url || url === this.callbackUrl || !heldBy?.region) return this.client;
    let client = this.remote.get(url);
    if (!client) {
      client = managementClient(url, heldBy.region, this.limits);
      this.remote.set(url, client);
    }
    return client;
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

function managementClient(callbackUrl: string, region: string, limits: ManagementCallLimits): ApiGatewayManagementApiClient {
  return new ApiGatewayManagementApiClient({
      endpoint: callbackUrl,
      region,
      maxAttempts: limits.attempts,
      requestHandler: new NodeHttpHandler({
        connectionTimeout: limits.connectMs,
        requestTimeout: limits.requestMs,
        // Without it the installed @smithy/node-http-handler only logs a warning when requestTimeout
        // passes, and the call waits for the socket to give up.
        throwOnRequestTimeout: true,
        httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64 }),
      }),
    });
}

function isGone(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'GoneException' || e?.$metadata?.httpStatusCode === 410;
}
