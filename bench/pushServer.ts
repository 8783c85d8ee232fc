// The local server (dist/server, as `npm start` builds it) in a child process, set up for the push
// benchmarks: a couple of thousand WebSocket clients and a few hundred users, all from 127.0.0.1.
import { startChildServer, type ChildServer } from './childServer.js';

/** Starts the built local server for a push benchmark; its log lines go to `stdoutPath`. */
export function startPushServer(stdoutPath: string): Promise<ChildServer> {
  return startChildServer(
    ['dist/server/server.mjs'],
    {
      ...process.env,
      PORT: '0',
      SCRYPT_COST: 'test',
      LOG_LEVEL: 'silent',
      // Every user registers from the one address.
      REGISTER_PER_MINUTE: '100000',
      // Every client connects from 127.0.0.1, past SPEC's 50 per address (2,048: the highest the
      // local server accepts, its whole connection limit).
      PUSH_CONNECTIONS_PER_ADDRESS: '2048',
      TOKEN_SECRET: 'push-bench-secret-of-at-least-32-bytes',
    },
    stdoutPath,
  );
}
