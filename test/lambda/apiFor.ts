// An ApiHandler over a fresh container for the given environment, with a helper to call it.
import { ApiHandler } from '../../src/adapters/lambda/ApiHandler.js';
import { loadConfig } from '../../src/adapters/lambda/config.js';
import { buildContainer } from '../../src/adapters/lambda/container.js';
import { RequestLog } from '../../src/adapters/lambda/RequestLog.js';
import { v2Event } from './events.js';

export const PASSWORD = 'handler password';

export function apiFor(env: Record<string, string> = {}) {
  const api = new ApiHandler(
    buildContainer(
      loadConfig({
        SCRYPT_COST: 'test',
        TOKEN_SECRET: 'handler-tests-secret-of-32-bytes-at-least',
        REGISTER_PER_MINUTE: '100000',
        UNKNOWN_USER_CHECKS_PER_MINUTE: '100000',
        ...env,
      }),
    ),
    new RequestLog('silent'),
  );
  const call = async (path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const result = await api.router(v2Event({ path, body, headers }));
    return { status: result.statusCode, headers: result.headers, body: JSON.parse(result.body) };
  };
  const register = async (): Promise<string> => (await call('/register_user', { password: PASSWORD })).body.user_id;
  return { api, call, register };
}
