// Types of deployRegion.mjs, for the TypeScript that calls it (tests).
export declare const TERRAFORM_DIR: string;
export declare function awsCliRegion(env?: NodeJS.ProcessEnv): string | undefined;
export declare function resolveRegion(options?: {
  terraformDir?: string;
  env?: NodeJS.ProcessEnv;
  profileRegion?: () => string | undefined;
}): Promise<{ region: string; source: string }>;
export declare function resolveReplicaRegions(options?: {
  terraformDir?: string;
  env?: NodeJS.ProcessEnv;
}): Promise<{ regions: string[]; source: string }>;
