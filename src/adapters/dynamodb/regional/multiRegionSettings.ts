// What an environment says about several regions (docs/multi-region.md, the environment contract):
// Terraform sets MULTI_REGION, REGIONS and REPLICATION_LAG_BOUND_MS on every function of every
// region; Lambda sets AWS_REGION. DYNAMODB_ENDPOINTS (`region=url,...`) is for the local
// two-region harness only, where each "region" is a DynamoDB Local of its own.

export interface MultiRegionSettings {
  /** Every region of the deployment, the primary first. */
  readonly regions: readonly string[];
  /** The region this process serves (AWS_REGION), one of `regions`. */
  readonly localRegion: string;
  /** L: the replication lag the cursor's settle window allows for (5 s + L). */
  readonly lagBoundMs: number;
  /** Each region's DynamoDB endpoint, locally; undefined on AWS (each region's own). */
  readonly endpoints: Readonly<Record<string, string>> | undefined;
}

/** Terraform's `replication_lag_bound_ms` validation: 1 s to 5 min. */
export const LAG_BOUND_RANGE_MS = Object.freeze({ min: 1_000, max: 300_000, fallback: 10_000 });

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Undefined unless MULTI_REGION=on; a wrong value stops the process at start-up. */
export function multiRegionSettingsFrom(env: NodeJS.ProcessEnv, storage: 'memory' | 'dynamodb'): MultiRegionSettings | undefined {
  const mode = env.MULTI_REGION || 'off';
  if (mode !== 'on' && mode !== 'off') throw new Error(`MULTI_REGION must be one of on, off (got "${mode}")`);
  if (mode === 'off') return undefined;
  if (storage !== 'dynamodb') throw new Error('MULTI_REGION=on needs STORAGE=dynamodb (the regions share a global table)');
  const regions = (env.REGIONS ?? '')
    .split(',')
    .map((region) => region.trim())
    .filter((region) => region !== '');
  if (regions.length === 0) throw new Error('MULTI_REGION=on needs REGIONS (comma-separated, the primary first)');
  for (const region of regions) if (!REGION.test(region)) throw new Error(`REGIONS names "${region}", which is not a region code`);
  if (new Set(regions).size !== regions.length) throw new Error('REGIONS names a region twice');
  const localRegion = env.AWS_REGION ?? '';
  if (!regions.includes(localRegion)) throw new Error(`REGIONS (${regions.join(',')}) must contain AWS_REGION ("${localRegion}")`);
  const endpoints = env.DYNAMODB_ENDPOINTS ? endpointsFrom(env.DYNAMODB_ENDPOINTS, regions) : undefined;
  if (!endpoints && env.DYNAMODB_ENDPOINT) {
    throw new Error('MULTI_REGION=on with DYNAMODB_ENDPOINT needs DYNAMODB_ENDPOINTS: an endpoint for every region');
  }
  if (!env.AWS_LAMBDA_FUNCTION_NAME && !env.WEBSOCKET_CALLBACK_URL) {
    throw new Error("MULTI_REGION=on needs WEBSOCKET_CALLBACK_URL: this server's /@connections URL, through which other regions close its connections");
  }
  return { regions, localRegion, lagBoundMs: lagBound(env.REPLICATION_LAG_BOUND_MS), endpoints };
}

function lagBound(value: string | undefined): number {
  if (value === undefined || value === '') return LAG_BOUND_RANGE_MS.fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < LAG_BOUND_RANGE_MS.min || parsed > LAG_BOUND_RANGE_MS.max) {
    throw new Error(`REPLICATION_LAG_BOUND_MS must be a whole number from ${LAG_BOUND_RANGE_MS.min} to ${LAG_BOUND_RANGE_MS.max} (got "${value}")`);
  }
  return parsed;
}

function endpointsFrom(value: string, regions: readonly string[]): Record<string, string> {
  const endpoints: Record<string, string> = {};
  for (const entry of value.split(',')) {
    const [region, url, ...rest] = entry.trim().split('=');
    if (!region || !url || rest.length > 0 || !/^https?:\/\/[^\s/]+/.test(url)) {
      throw new Error(`DYNAMODB_ENDPOINTS must be region=url,... (got "${entry}")`);
    }
    if (!regions.includes(region)) throw new Error(`DYNAMODB_ENDPOINTS names ${region}, which REGIONS does not`);
    endpoints[region] = url;
  }
  const missing = regions.filter((region) => !endpoints[region]);
  if (missing.length > 0) throw new Error(`DYNAMODB_ENDPOINTS has no endpoint for ${missing.join(', ')}`);
  return endpoints;
}
