// The region deploy.sh and destroy.sh work in, resolved once, the way Terraform and the AWS
// provider would resolve it, so that the script can print it before applying and keep one state
// (workspace) per region:
//   1. the Terraform variable `region`, where infra/terraform sets it: -var-file/auto tfvars in
//      Terraform's order (*.auto.tfvars, then terraform.tfvars, then TF_VAR_region), or the
//      variable's own default in variables.tf (null as shipped);
//   2. else the AWS configuration, as the AWS CLI and the provider read it: AWS_REGION,
//      AWS_DEFAULT_REGION, then the profile's region (`aws configure get region`, AWS_PROFILE).
// No region anywhere is an error: nothing is deployed to a region nobody chose.
// The replica regions (replica_regions, several regions active-active) are resolved the same way:
// REPLICA_REGIONS (deploy.sh's own setting, a comma list, passed to Terraform as -var, which wins
// over any file) when it is set, even empty; else the Terraform's own, in Terraform's order
// (*.auto.tfvars, terraform.tfvars, TF_VAR_replica_regions, the variable's default: none).
//   node scripts/deployRegion.mjs [terraform-dir]              prints "<region> <where it came from>"
//   node scripts/deployRegion.mjs --replicas [terraform-dir]   prints "<r1,r2 or -> <JSON list> <where it came from>"
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const { parse } = createRequire(import.meta.url)('@cdktf/hcl2json');

export const TERRAFORM_DIR = 'infra/terraform';

/** A region code as AWS writes them (us-east-1, ap-southeast-5, us-gov-west-1). */
const REGION = /^[a-z]{2}(-[a-z]+){1,2}-[0-9]$/;

/** TF_VAR_replica_regions is an HCL list, as Terraform reads it: ["eu-west-1", "ap-northeast-1"]. */
async function envReplicas(value) {
  if (value === undefined || value === '') return undefined;
  const parsed = await parse('TF_VAR_replica_regions', `replica_regions = ${value}`).catch(() => undefined);
  if (!Array.isArray(parsed?.replica_regions)) throw new Error(`TF_VAR_replica_regions is ${value}, not a list such as ["eu-west-1"]`);
  return parsed.replica_regions;
}

/**
 * Where Terraform itself takes the variable `name` from, highest first, each a reader and where it
 * reads: *.auto.tfvars (the last in lexical order wins), terraform.tfvars, TF_VAR_<name>
 * (`fromEnv`), then the variable's default in variables.tf. A file's value counts when `accepts`
 * it (a string for region, a list for replica_regions).
 */
function terraformCandidates(terraformDir, name, fromEnv, accepts) {
  // What `pick` takes from an HCL file (a tfvars file, variables.tf), if there is the file.
  const valueIn = (path, pick) => async () => {
    if (!existsSync(path)) return undefined;
    const value = pick(await parse(path, readFileSync(path, 'utf8')));
    return accepts(value) ? value : undefined;
  };
  const tfvars = (path) => [valueIn(path, (values) => values[name]), path];
  const autoFiles = existsSync(terraformDir)
    ? readdirSync(terraformDir).filter((f) => f.endsWith('.auto.tfvars')).sort().reverse()
    : [];
  const variables = join(terraformDir, 'variables.tf');
  return [
    ...autoFiles.map((file) => tfvars(join(terraformDir, file))),
    tfvars(join(terraformDir, 'terraform.tfvars')),
    [fromEnv, `TF_VAR_${name}`],
    [valueIn(variables, (parsed) => parsed.variable?.[name]?.[0]?.default), `the default of variable ${name} in ${variables}`],
  ];
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
  const candidates = terraformCandidates(terraformDir, 'region', async () => env.TF_VAR_region || undefined, (v) => typeof v === 'string');
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

/**
 * The replica regions: REPLICA_REGIONS (comma-separated; set but empty: none) when it is set, else
 * the Terraform's own. Each must be a region code, listed once.
 * @param {{ terraformDir?: string, env?: NodeJS.ProcessEnv }} options
 * @returns {Promise<{ regions: string[], source: string }>}
 */
export async function resolveReplicaRegions({ terraformDir = TERRAFORM_DIR, env = process.env } = {}) {
  const candidates = [];
  if (env.REPLICA_REGIONS !== undefined) {
    const listed = env.REPLICA_REGIONS.split(',').map((r) => r.trim()).filter((r) => r !== '');
    candidates.push([async () => listed, 'REPLICA_REGIONS']);
  }
  candidates.push(...terraformCandidates(terraformDir, 'replica_regions', () => envReplicas(env.TF_VAR_replica_regions), Array.isArray));

  for (const [read, source] of candidates) {
    const regions = await read();
    if (regions === undefined) continue;
    for (const region of regions) {
      if (typeof region !== 'string' || !REGION.test(region)) throw new Error(`${source} lists "${region}", which is not an AWS region code`);
    }
    if (new Set(regions).size !== regions.length) throw new Error(`${source} lists a region twice: ${regions.join(', ')}`);
    return { regions, source };
  }
  return { regions: [], source: 'none set' };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const replicas = process.argv[2] === '--replicas';
    const terraformDir = process.argv[replicas ? 3 : 2] ?? TERRAFORM_DIR;
    if (replicas) {
      const { regions, source } = await resolveReplicaRegions({ terraformDir });
      console.log(`${regions.length > 0 ? regions.join(',') : '-'} ${JSON.stringify(regions)} ${source}`);
    } else {
      const { region, source } = await resolveRegion({ terraformDir });
      console.log(`${region} ${source}`);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
