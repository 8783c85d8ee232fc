// Configuration from environment variables, read once per process. Every variable is listed in
// the README; a wrong value stops the process at start-up instead of failing requests later.
import { OWASP_SCRYPT_COST, TEST_SCRYPT_COST, type ScryptCost } from '../runtime/ScryptPasswordHasher.js';

export type Storage = 'memory';
export type LogLevel = 'info' | 'silent';

export interface Config {
  readonly storage: Storage;
  readonly scryptCost: ScryptCost;
  readonly logLevel: LogLevel;
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  return {
    storage: oneOf(env, 'STORAGE', ['memory'], 'memory'),
    scryptCost: oneOf(env, 'SCRYPT_COST', ['owasp', 'test'], 'owasp') === 'test' ? TEST_SCRYPT_COST : OWASP_SCRYPT_COST,
    logLevel: oneOf(env, 'LOG_LEVEL', ['info', 'silent'], 'info'),
  };
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}
