// What `npm start` reads from the environment for the local server itself (the API's own settings
// are the lambda adapter's config.ts). A wrong value stops the process with a message.
import { MAX_CONNECTIONS } from './LocalServer.js';
import { DEFAULT_WEBSOCKET_BOUNDS } from './LocalWebSockets.js';

export interface LocalServerSettings {
  readonly port: number;
  readonly host: string;
  /** Push connections one client address may hold (SPEC 8: 50 on the local server). */
  readonly pushConnectionsPerAddress: number;
}

export function localServerSettings(env: NodeJS.ProcessEnv): LocalServerSettings {
  return {
    port: integer(env, 'PORT', 3000, 0, 65_535),
    // Loopback unless asked otherwise: a development server should not be reachable from the network.
    host: env.HOST || '127.0.0.1',
    // A benchmark of a thousand clients from one address raises it, as REGISTER_PER_MINUTE is
    // raised for a test run from one address; no address can use more than the server's connections.
    pushConnectionsPerAddress: integer(env, 'PUSH_CONNECTIONS_PER_ADDRESS', DEFAULT_WEBSOCKET_BOUNDS.maxPerAddress, 1, MAX_CONNECTIONS),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) throw new Error(`${name} must be a number from ${min} to ${max}, got "${value}"`);
  return number;
}
