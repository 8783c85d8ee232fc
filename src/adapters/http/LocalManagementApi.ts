// The local server's stand-in for API Gateway's Management API, for the two-region harness only:
// DELETE /@connections/<id> closes one of this server's WebSockets, as another "region" does when
// a user's connection limit counts a socket held here (docs/multi-region.md §5.4). Only with
// MULTI_REGION=on, and only with the key the servers derive from their shared token secret.
import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { MANAGEMENT_KEY_HEADER } from '../push/LocalRemoteCloser.js';
import { rawPathOf } from './HttpApiEvent.js';

export const MANAGEMENT_PATH = '/@connections/';

export interface LocalManagement {
  readonly key: string;
  /** Closes the connection (replaced by a newer one elsewhere); a gone one is fine. */
  close(connectionId: string): Promise<void>;
}

/** Answers the request if it is one for the Management API; false otherwise. */
export function serveManagement(req: http.IncomingMessage, res: http.ServerResponse, management: LocalManagement): boolean {
  const path = rawPathOf(req.url ?? '/');
  if (!path.startsWith(MANAGEMENT_PATH)) return false;
  req.resume();
  const given = Buffer.from(String(req.headers[MANAGEMENT_KEY_HEADER] ?? ''));
  const key = Buffer.from(management.key);
  const answer = (status: number) => {
    res.writeHead(status, { 'content-length': '0', 'cache-control': 'no-store' });
    res.end();
  };
  if (given.length !== key.length || !timingSafeEqual(given, key)) return answer(403), true;
  const id = decoded(path.slice(MANAGEMENT_PATH.length));
  if (req.method !== 'DELETE' || id === undefined || !/^[A-Za-z0-9_=+/-]{1,128}$/.test(id)) return answer(400), true;
  management.close(id).then(
    () => answer(204),
    () => answer(500),
  );
  return true;
}

/** The id as LocalRemoteCloser encoded it; undefined for a malformed escape (decodeURIComponent throws, and a throw here stops the server). */
function decoded(component: string): string | undefined {
  try {
    return decodeURIComponent(component);
  } catch {
    return undefined;
  }
}
