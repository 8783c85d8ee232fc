// The local two-region harness's stand-in for a DELETE on another region's Management API: a
// DELETE to the other local server's /@connections/<id>, with the key both servers derive from
// the token secret they share (LocalManagementApi). Bounded like a Management API call.
import { createHmac } from 'node:crypto';
import { MANAGEMENT_CALL_LIMITS } from './ApiGatewayConnectionGateway.js';
import type { RemoteCloser } from './InProcessConnectionGateway.js';

/** The header carrying the key; the local server refuses a request without it. */
export const MANAGEMENT_KEY_HEADER = 'x-local-management-key';
/** As long as a Management API call may take: its attempts of requestMs each (4 s). */
const CLOSE_TIMEOUT_MS = MANAGEMENT_CALL_LIMITS.attempts * MANAGEMENT_CALL_LIMITS.requestMs;

/** The key of the local servers sharing `tokenSecret`: no other process can close their sockets. */
export function localManagementKey(tokenSecret: Uint8Array): string {
  return createHmac('sha256', tokenSecret).update('local @connections').digest('base64url');
}

export class LocalRemoteCloser implements RemoteCloser {
  constructor(
    readonly ownCallbackUrl: string,
    private readonly key: string,
  ) {}

  async close(callbackUrl: string, connectionId: string): Promise<void> {
    const res = await fetch(`${callbackUrl.replace(/\/+$/, '')}/${encodeURIComponent(connectionId)}`, {
      method: 'DELETE',
      headers: { [MANAGEMENT_KEY_HEADER]: this.key },
      signal: AbortSignal.timeout(CLOSE_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    // 410: gone already, as the Management API's GoneException.
    if (res.status !== 204 && res.status !== 410) throw new Error(`closing a remote connection answered ${res.status}`);
  }
}
