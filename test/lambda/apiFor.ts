// An ApiHandler over a fresh container for the given environment, with a helper to call it.
import { loadConfig } from '../../src/adapters/lambda/config.js';
import { buildContainer, resolve } from '../../src/adapters/lambda/container.js';
import { TYPES } from '../../src/adapters/lambda/TYPES.js';
import { v2Event } from './events.js';

export const PASSWORD = 'handler password';

export function apiFor(env: Record<string, string> = {}) {
  const config = loadConfig({
    SCRYPT_COST: 'test',
    TOKEN_SECRET: 'handler-tests-secret-of-32-bytes-at-least',
    REGISTER_PER_MINUTE: '100000',
    UNKNOWN_USER_CHECKS_PER_MINUTE: '100000',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const api = resolve(buildContainer(config), TYPES.ApiHandler);
  const call = async (path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const result = await api.router(v2Event({ path, body, headers }));
    return { status: result.statusCode, headers: result.headers, body: JSON.parse(result.body) };
  };
  const register = async (): Promise<string> => (await call('/register_user', { password: PASSWORD })).body.user_id;
  return { api, call, register };
}
