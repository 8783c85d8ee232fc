// The region deploy.sh and destroy.sh work in, resolved once, the way Terraform and the AWS
// provider would resolve it, so that the script can print it before applying and keep one state
// (workspace) per region:
//   1. the Terraform variable `region`, where infra/terraform sets it: -var-file/auto tfvars in
//      Terraform's order (*.auto.tfvars, then terraform.tfvars, then TF_VAR_region), or the
//      variable's own default in variables.tf (null as shipped);
//   2. else the AWS configuration, as the AWS CLI and the provider read it: AWS_REGION,
//      AWS_DEFAULT_REGION, then the profile's region (`aws configure get region`, AWS_PROFILE).
// No region anywhere is an error: nothing is deployed to a region nobody chose.
//   node scripts/deployRegion.mjs [terraform-dir]   prints "<region> <where it came from>"
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const { parse } = createRequire(import.meta.url)('@cdktf/hcl2json');

export const TERRAFORM_DIR = 'infra/terraform';

/** A region code as AWS writes them (us-east-1, ap-southeast-5, us-gov-west-1). */
const REGION = /^[a-z]{2}(-[a-z]+){1,2}-[0-9]$/;

async function tfvarsRegion(path) {
  if (!existsSync(path)) return undefined;
  const values = await parse(path, readFileSync(path, 'utf8'));
  return typeof values.region === 'string' ? values.region : undefined;
}

async function defaultRegion(terraformDir) {
  const path = join(terraformDir, 'variables.tf');
  if (!existsSync(path)) return undefined;
  const parsed = await parse(path, readFileSync(path, 'utf8'));
  const value = parsed.variable?.region?.[0]?.default;
  return typeof value === 'string' ? value : undefined;
}

/** The profile's region from the AWS CLI, or undefined (no CLI, no profile, no region). */
export function awsCliRegion(env = process.env) {
  const run = spawnSync('aws', ['configure', 'get', 'region'], { encoding: 'utf8', env });
  if (run.error || run.status !== 0) return undefined;
  return run.stdout.trim() || undefined;
}

/**
 * @param {{ terraformDir?: string, env?: NodeJS.ProcessEnv, profileRegion?: () => string | undefined }} options
 * @returns {Promise<{ region: string, source: string }>}
 */
export async function resolveRegion({ terraformDir = TERRAFORM_DIR, env = process.env, profileRegion = () => awsCliRegion(env) } = {}) {
  const candidates = [];
  // Terraform's own precedence, highest first: *.auto.tfvars (the last in lexical order wins),
  // terraform.tfvars, then TF_VAR_region; the variable's default only when none sets it.
  const autoFiles = existsSync(terraformDir)
    ? readdirSync(terraformDir).filter((f) => f.endsWith('.auto.tfvars')).sort().reverse()
    : [];
  for (const file of autoFiles) candidates.push([() => tfvarsRegion(join(terraformDir, file)), `${join(terraformDir, file)}`]);
  candidates.push([() => tfvarsRegion(join(terraformDir, 'terraform.tfvars')), join(terraformDir, 'terraform.tfvars')]);
  candidates.push([async () => env.TF_VAR_region || undefined, 'TF_VAR_region']);
  candidates.push([() => defaultRegion(terraformDir), `the default of variable region in ${join(terraformDir, 'variables.tf')}`]);
  candidates.push([async () => env.AWS_REGION || undefined, 'AWS_REGION']);
  candidates.push([async () => env.AWS_DEFAULT_REGION || undefined, 'AWS_DEFAULT_REGION']);
  candidates.push([async () => profileRegion(), `the region of AWS profile ${env.AWS_PROFILE || 'default'}`]);

  for (const [read, source] of candidates) {
    const region = await read();
    if (region === undefined) continue;
    if (!REGION.test(region)) throw new Error(`${source} says region "${region}", which is not an AWS region code`);
    return { region, source };
  }
  throw new Error(
    'No AWS region is set. Set one of: region in infra/terraform/terraform.tfvars, AWS_REGION, ' +
      'or a region in your AWS profile (aws configure set region eu-west-1).',
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { region, source } = await resolveRegion({ terraformDir: process.argv[2] ?? TERRAFORM_DIR });
    console.log(`${region} ${source}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
