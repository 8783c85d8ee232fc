// Where the table is and how to sign for it, decided once for everything that talks to it: the
// server (config.ts), `npm run db:create`, `npm run start:dynamodb` and the integration runner.
// DynamoDB Local without -sharedDb (its default, also in its Docker image) keeps one database per
// access key id and region: a table created signing one way is missing for a client signing
// another, so both must resolve credentials here, the same way.
import type { CallLimits } from './createDynamoDbTable.js';

export interface DynamoDbCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export interface DynamoDbSettings {
  readonly tableName: string;
  readonly region: string;
  /** DynamoDB Local, or any other endpoint than AWS's own for the region. */
  readonly endpoint?: string | undefined;
  /**
   * What a client on `endpoint` signs with. Absent: on AWS, the SDK's own chain (the Lambda's
   * role); on an endpoint, LOCAL_CREDENTIALS.
   */
  readonly credentials?: DynamoDbCredentials | undefined;
  /** Default: LOCAL_CALL_LIMITS with an endpoint, AWS_CALL_LIMITS without. */
  readonly callLimits?: CallLimits | undefined;
  /** Several regions: the region this replica is in, written on inbox items as `or`. */
  readonly origin?: string | undefined;
}

/** What DynamoDB Local is signed with when the environment holds no AWS credentials (it accepts any). */
export const LOCAL_CREDENTIALS: DynamoDbCredentials = Object.freeze({ accessKeyId: 'local', secretAccessKey: 'local' });

/**
 * The settings an environment names: TABLE_NAME, DYNAMODB_ENDPOINT, AWS_REGION and, on an
 * endpoint, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN when set (else
 * LOCAL_CREDENTIALS). `defaults` fill what a script may leave unset.
 */
export function dynamoDbSettingsFrom(
  env: NodeJS.ProcessEnv,
  defaults: { readonly tableName?: string; readonly endpoint?: string } = {},
): DynamoDbSettings {
  const tableName = env.TABLE_NAME || defaults.tableName;
  if (!tableName) throw new Error('STORAGE=dynamodb needs TABLE_NAME');
  const endpoint = env.DYNAMODB_ENDPOINT || defaults.endpoint || undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
    throw new Error(`DYNAMODB_ENDPOINT must be an http(s) URL (got "${endpoint}")`);
  }
  // DynamoDB Local ignores the region, but the SDK signs with one (and Local keys its files by it).
  const region = env.AWS_REGION || (endpoint ? 'local' : undefined);
  if (!region) throw new Error('STORAGE=dynamodb needs AWS_REGION (Lambda sets it)');
  if (!endpoint) return { tableName, region };
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN || undefined }
      : LOCAL_CREDENTIALS;
  return { tableName, region, endpoint, credentials };
}

/** Region, endpoint and credentials for a DynamoDB client of `settings`: every client uses this. */
export function clientAccess(settings: DynamoDbSettings): {
  region: string;
  endpoint?: string;
  credentials?: DynamoDbCredentials;
} {
  if (!settings.endpoint) return { region: settings.region };
  // A copy: the SDK writes its own bookkeeping into the object it is given.
  return { region: settings.region, endpoint: settings.endpoint, credentials: { ...(settings.credentials ?? LOCAL_CREDENTIALS) } };
}
