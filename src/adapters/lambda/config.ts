// Configuration from environment variables, read once per process. Every variable is listed in
// the README; a wrong value stops the process at start-up instead of failing requests later.
import { randomBytes } from 'node:crypto';
import { DEFAULT_ABUSE_LIMITS, type AbuseLimits } from '../../core/AbuseLimits.js';
import { dynamoDbSettingsFrom, type DynamoDbSettings } from '../dynamodb/dynamoDbSettings.js';
import { multiRegionSettingsFrom, type MultiRegionSettings } from '../dynamodb/regional/multiRegionSettings.js';
import { MIN_SECRET_BYTES } from '../runtime/JoseTokenSigner.js';
import { OWASP_SCRYPT_COST, TEST_SCRYPT_COST, type ScryptCost } from '../runtime/ScryptPasswordHasher.js';

export type Storage = 'memory' | 'dynamodb';
export type LogLevel = 'info' | 'silent';
export type Profile = 'secure' | 'seed';

export interface Config {
  readonly profile: Profile;
  readonly storage: Storage;
  readonly scryptCost: ScryptCost;
  readonly logLevel: LogLevel;
  readonly tokenSecret: Uint8Array;
  readonly tokenTtlSeconds: number;
  readonly abuseLimits: AbuseLimits;
  /** Where the table is, when storage is DynamoDB (the local region's replica with several regions). */
  readonly dynamodb: DynamoDbSettings | undefined;
  /**
   * Active-active in several regions (MULTI_REGION=on, docs/multi-region.md): the regions, this
   * one, the replication lag bound and, locally, each region's endpoint. Undefined in one region.
   */
  readonly multiRegion: MultiRegionSettings | undefined;
  /**
   * How delivered messages reach push connections: `inline`, from the process that delivered
   * them, to its own WebSockets (the local server); `stream`, on AWS, from the table's stream
   * through API Gateway's WebSocket API at `callbackUrl`.
   */
  readonly push:
    | { readonly via: 'inline' }
    | { readonly via: 'stream'; readonly callbackUrl: string; readonly region: string }
    /**
     * The local two-region harness: each local server pushes to its own WebSockets from its own
     * DynamoDB Local's stream (as a region's consumer does), and serves other servers' closes at
     * `callbackUrl` (its /@connections).
     */
    | { readonly via: 'localStream'; readonly callbackUrl: string; readonly region: string };
  /**
   * The app's metrics (Powertools Metrics, Embedded Metric Format in the log): on Lambda, and
   * elsewhere only with POWERTOOLS_METRICS_DISABLED=false.
   */
  readonly metrics: { readonly enabled: boolean; readonly namespace: string; readonly serviceName: string };
  /** X-Ray tracing through Powertools Tracer (TRACING=on; infra/terraform's var.tracing). */
  readonly tracing: boolean;
  /** Things an operator must hear about at start-up. */
  readonly warnings: readonly string[];
}

/** Reads a SecureString parameter, decrypted (Powertools Parameters on SSM). */
export type SecureParameterReader = (name: string) => Promise<string>;

/**
 * loadConfig, with TOKEN_SECRET read from the SSM parameter TOKEN_SECRET_PARAMETER names when it
 * is set (on AWS): once, when the process starts, before the first request. Without it, the
 * environment's TOKEN_SECRET (or a random one, off Lambda), as before.
 */
export async function loadConfigWithSecrets(env: NodeJS.ProcessEnv, readSecureParameter: () => Promise<SecureParameterReader>): Promise<Config> {
  const parameter = env.TOKEN_SECRET_PARAMETER;
  if (!parameter) return loadConfig(env);
  if (env.TOKEN_SECRET) throw new Error('Set TOKEN_SECRET or TOKEN_SECRET_PARAMETER, not both');
  const read = await readSecureParameter();
  return loadConfig({ ...env, TOKEN_SECRET: await read(parameter) });
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const warnings: string[] = [];
  const storage = oneOf(env, 'STORAGE', ['memory', 'dynamodb'], 'memory');
  const scryptCost = oneOf(env, 'SCRYPT_COST', ['owasp', 'test'], 'owasp');
  if (env.AWS_LAMBDA_FUNCTION_NAME) {
    // SPEC 2: what only tests may use is refused where it would serve real users; all at once,
    // so an operator fixes every problem in one go.
    const problems = [
      storage === 'memory' && 'STORAGE=memory (the default) keeps data in one process only',
      scryptCost === 'test' && 'SCRYPT_COST=test is for test suites only',
      !env.TOKEN_SECRET &&
        'TOKEN_SECRET_PARAMETER (or TOKEN_SECRET) must be set (every instance must sign and verify tokens with the same secret)',
      !env.WEBSOCKET_CALLBACK_URL && 'WEBSOCKET_CALLBACK_URL must be set (where pushes go)',
      !!env.DYNAMODB_ENDPOINTS && 'DYNAMODB_ENDPOINTS is for the local two-region harness only',
    ].filter((problem) => problem !== false);
    if (problems.length > 0) throw new Error(`Refused on AWS Lambda: ${problems.join('; ')}`);
  }
  const multiRegion = multiRegionSettingsFrom(env, storage);
  return {
    profile: oneOf(env, 'API_PROFILE', ['secure', 'seed'], 'secure'),
    storage,
    scryptCost: scryptCost === 'test' ? TEST_SCRYPT_COST : OWASP_SCRYPT_COST,
    logLevel: oneOf(env, 'LOG_LEVEL', ['info', 'silent'], 'info'),
    tokenSecret: tokenSecret(env, warnings),
    tokenTtlSeconds: integer(env, 'TOKEN_TTL_SECONDS', 3600, 60, 86_400),
    abuseLimits: {
      registerPerMinute: integer(env, 'REGISTER_PER_MINUTE', DEFAULT_ABUSE_LIMITS.registerPerMinute, 1, 1_000_000),
      unknownUserChecksPerMinute: integer(
        env,
        'UNKNOWN_USER_CHECKS_PER_MINUTE',
        DEFAULT_ABUSE_LIMITS.unknownUserChecksPerMinute,
        1,
        1_000_000,
      ),
    },
    dynamodb: storage === 'dynamodb' ? dynamoDbSettingsFrom(multiRegion ? { ...env, DYNAMODB_ENDPOINT: multiRegion.endpoints?.[multiRegion.localRegion] ?? env.DYNAMODB_ENDPOINT } : env) : undefined,
    multiRegion,
    push: env.AWS_LAMBDA_FUNCTION_NAME
      ? { via: 'stream', callbackUrl: env.WEBSOCKET_CALLBACK_URL!, region: env.AWS_REGION ?? '' }
      : multiRegion
        ? { via: 'localStream', callbackUrl: env.WEBSOCKET_CALLBACK_URL!, region: multiRegion.localRegion }
        : { via: 'inline' },
    metrics: {
      enabled: env.AWS_LAMBDA_FUNCTION_NAME ? env.POWERTOOLS_METRICS_DISABLED !== 'true' : env.POWERTOOLS_METRICS_DISABLED === 'false',
      namespace: env.POWERTOOLS_METRICS_NAMESPACE || 'MessagingApi',
      serviceName: env.POWERTOOLS_SERVICE_NAME || 'messaging-api',
    },
    tracing: oneOf(env, 'TRACING', ['on', 'off'], 'off') === 'on',
    warnings,
  };
}

function tokenSecret(env: NodeJS.ProcessEnv, warnings: string[]): Uint8Array {
  const value = env.TOKEN_SECRET;
  if (value) {
    const secret = Buffer.from(value, 'utf8');
    if (secret.length < MIN_SECRET_BYTES) throw new Error(`TOKEN_SECRET must be at least ${MIN_SECRET_BYTES} bytes`);
    return secret;
  }
  warnings.push(
    'TOKEN_SECRET is not set: tokens are signed with a random secret of this process and stop working when it restarts. Set TOKEN_SECRET (32+ bytes) anywhere but a laptop.',
  );
  return randomBytes(MIN_SECRET_BYTES);
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return parsed;
}
