// What breaks a first deploy in a real account, checked statically: global names that collide
// across regions, a name prefix too short for the table or too long for a function or role, a
// region other than the one the configuration was given, API Gateway's account logging role, the
// token secret in the state or the environment, and runtimes that disagree. Each check answers the
// problems it finds; firstDeploy.test.ts also runs each on a copy broken the way it used to be.
import { blocks, evaluableInstances, findBlock, instances, list, locals, nested, resolve, setting, variable, type Body, type TerraformConfig } from './terraformConfig.js';
import { STACK_REFERENCES, dynamicContent, grantsOfRole, policyStatements, type StackReferences } from './terraformChecks.js';

/** Resource types whose names are global to an AWS account rather than per region, and their name argument. */
export const GLOBAL_NAMES: Readonly<Record<string, string>> = {
  aws_iam_role: 'name',
  aws_iam_policy: 'name',
  aws_iam_user: 'name',
  aws_cloudwatch_dashboard: 'dashboard_name',
  aws_s3_bucket: 'bucket',
};

/** `${local.x}` inside a template replaced by the local's own template, until none is left that is a string. */
export function expandLocals(config: TerraformConfig, template: string, depth = 0): string {
  if (depth > 10) return template;
  return template.replace(/\$\{local\.([a-z0-9_]+)\}/g, (whole, name: string) => {
    const value = locals(config)[name];
    return typeof value === 'string' ? expandLocals(config, value, depth + 1) : whole;
  });
}

/** The region of the deployment, as every name and ARN of the root must use it. */
export const REGION = '${data.aws_region.current.region}';
/** The region of a regional stack, as the module names it (its input). */
export const STACK_REGION = '${var.region}';

/**
 * Every name that is global to the account has the region in it (`region`: how the configuration
 * names its region), so the same name_prefix can be deployed in a second region, and a
 * multi-region deployment's stacks do not collide (IAM says "role already exists" otherwise).
 */
export function globalNameProblems(config: TerraformConfig, region = REGION): string[] {
  const problems: string[] = [];
  for (const [type, argument] of Object.entries(GLOBAL_NAMES)) {
    for (const { address, body } of blocks(config, type)) {
      const name = body[argument];
      if (name === undefined) continue; // a generated name (name_prefix or none) is unique already
      if (!expandLocals(config, String(name)).includes(region)) {
        problems.push(`${address}.${argument} is ${name}: global to the account, it must include the region`);
      }
    }
  }
  return problems;
}

/** The lengths of name_prefix its validation accepts (the root's), found by asking its regular expression. */
export function namePrefixLengths(config: TerraformConfig): { min: number; max: number } {
  const condition = String(list(variable(config, 'name_prefix').validation).map((v) => (v as Body).condition)[0] ?? '');
  const match = /regex\("((?:[^"\\]|\\.)*)", var\.name_prefix\)/.exec(condition);
  if (!match) throw new Error(`cannot read the regular expression of name_prefix's validation: ${condition}`);
  const regex = new RegExp(JSON.parse(`"${match[1]}"`));
  const accepted = Array.from({ length: 300 }, (_, n) => n).filter((n) => regex.test('a'.repeat(n)));
  return { min: Math.min(...accepted), max: Math.max(...accepted) };
}

/** The longest region code var.region's validation accepts (16), and so every name must leave room for. */
export const LONGEST_REGION = 16;

/** AWS's length limits of the names made from name_prefix (each service's API reference). */
export const NAME_LIMITS: Readonly<Record<string, { argument: string; min: number; max: number }>> = {
  aws_dynamodb_table: { argument: 'name', min: 3, max: 255 },
  aws_lambda_function: { argument: 'function_name', min: 1, max: 64 },
  aws_iam_role: { argument: 'name', min: 1, max: 64 },
  aws_sqs_queue: { argument: 'name', min: 1, max: 80 },
  aws_sns_topic: { argument: 'name', min: 1, max: 256 },
  aws_cloudwatch_dashboard: { argument: 'dashboard_name', min: 1, max: 255 },
  aws_cloudwatch_metric_alarm: { argument: 'alarm_name', min: 1, max: 255 },
  aws_apigatewayv2_api: { argument: 'name', min: 1, max: 128 },
  aws_kms_alias: { argument: 'name', min: 1, max: 256 },
  aws_cloudwatch_log_group: { argument: 'name', min: 1, max: 512 },
  aws_ssm_parameter: { argument: 'name', min: 1, max: 1011 },
};

/**
 * Every name made from name_prefix fits its service's limits at both ends of what the prefix's
 * validation accepts, with the longest region code (the root's or a stack's) and each for_each
 * key. A name with parts these checks cannot evaluate (another resource's attribute) is left out.
 * Give it the root and the regional stack together (combined()).
 */
export function nameLengthProblems(config: TerraformConfig): string[] {
  const { min, max } = namePrefixLengths(config);
  const problems: string[] = [];
  for (const [type, limit] of Object.entries(NAME_LIMITS)) {
    for (const instance of evaluableInstances(config, type)) {
      const raw = instance.body[limit.argument];
      if (raw === undefined) continue;
      const template = expandLocals(config, String(raw))
        .replaceAll('${each.key}', instance.each?.key ?? '${each.key}')
        .replaceAll(REGION, 'r'.repeat(LONGEST_REGION))
        .replaceAll(STACK_REGION, 'r'.repeat(LONGEST_REGION));
      for (const [label, length] of [['shortest', min], ['longest', max]] as const) {
        // The root's names take var.name_prefix, the regional stack's the same value as var.settings.name_prefix.
        const name = template.replaceAll('${var.name_prefix}', 'p'.repeat(length)).replaceAll('${var.settings.name_prefix}', 'p'.repeat(length));
        if (name.includes('${')) continue;
        if (name.length < limit.min || name.length > limit.max) {
          problems.push(
            `${instance.address}.${limit.argument} is ${name.length} characters with the ${label} name_prefix (${length}), ` +
              `outside ${type}'s ${limit.min} to ${limit.max}`,
          );
        }
      }
    }
  }
  return problems;
}

/**
 * One source of truth for the region: var.region when set, else the AWS configuration's (no
 * default of its own); the provider takes it, and everything else uses the region the provider
 * resolved (data.aws_region), never var.region (null when unset). The state remembers the region
 * it was made for and refuses to be applied to another (terraform_data.deployment).
 */
export function regionProblems(config: TerraformConfig): string[] {
  const problems: string[] = [];
  const region = variable(config, 'region');
  if (region.default !== null && region.default !== undefined) problems.push(`variable region defaults to ${region.default}, not null (the AWS configuration's)`);
  if (region.nullable === false) problems.push('variable region is not nullable');
  const provider = config.provider?.aws?.[0];
  if (provider?.region !== '${var.region}') problems.push(`provider aws takes its region from ${provider?.region}, not var.region`);
  if (locals(config).region !== REGION) problems.push(`local.region is ${locals(config).region}, not ${REGION}`);

  const uses = (where: string, value: unknown): void => {
    const text = JSON.stringify(value);
    if (/\$\{[^}]*\bvar\.region\b/.test(text)) problems.push(`${where} uses var.region (null unless set) instead of local.region`);
  };
  for (const [type, byName] of Object.entries({ ...config.resource, ...prefixed(config.data) })) {
    for (const [name, bodies] of Object.entries(byName)) uses(`${type}.${name}`, bodies);
  }
  for (const [name, value] of Object.entries(locals(config))) uses(`local.${name}`, value);
  for (const [name, value] of Object.entries(config.output ?? {})) uses(`output.${name}`, value);

  const guard = findBlock(config, 'terraform_data.deployment');
  if (!guard) return [...problems, 'terraform_data.deployment, which remembers the region of the state, is missing'];
  if (guard.input?.region !== '${local.region}') problems.push('terraform_data.deployment does not remember local.region');
  const lifecycle = nested(guard, 'lifecycle');
  if (!list(lifecycle?.ignore_changes).some((c) => String(c).includes('input'))) {
    problems.push('terraform_data.deployment forgets the region it was made in (no ignore_changes = [input])');
  }
  const refuses = (list(lifecycle?.postcondition) as Body[]).some((p) => /self\.output\.region\s*==\s*local\.region/.test(String(p.condition)));
  if (!refuses) problems.push('terraform_data.deployment does not refuse a region other than the one it was made in');
  return problems;
}

function prefixed(data: TerraformConfig['data']): Record<string, Record<string, Body[]>> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([type, byName]) => [`data.${type}`, byName]));
}

export const PUSH_TO_CLOUDWATCH_LOGS = 'AmazonAPIGatewayPushToCloudWatchLogs';

/**
 * API Gateway's account setting for logging: off unless asked (the setting and its role are shared
 * by the region's REST and WebSocket APIs); when asked, a role with the managed policy AWS names
 * for it (API Gateway checks the role when the setting is saved); the WebSocket stage's access log
 * exactly when a role is there to write it (made here, or found by deploy.sh).
 */
export function apiGatewayAccountProblems(config: TerraformConfig): string[] {
  const problems: string[] = [];
  const create = setting(config, 'create_apigateway_logging_role');
  if (create !== false) problems.push(`create_apigateway_logging_role defaults to ${create}, not false`);
  const exists = config.variable?.apigateway_logging_role_exists?.[0];
  if (!exists) problems.push('there is no variable apigateway_logging_role_exists for deploy.sh to say a role is set already');
  else if (exists.default !== false) problems.push(`apigateway_logging_role_exists defaults to ${exists.default}, not false`);

  for (const { address, body } of blocks(config, 'aws_api_gateway_account')) {
    if (body.count !== '${var.settings.create_apigateway_logging_role ? 1 : 0}') problems.push(`${address} is not made only with create_apigateway_logging_role`);
    const role = /^\$\{(aws_iam_role\.[a-z_]+)\[0\]\.arn\}$/.exec(String(body.cloudwatch_role_arn))?.[1];
    if (!role) {
      problems.push(`${address}.cloudwatch_role_arn is not a role of this configuration`);
      continue;
    }
    const attached = blocks(config, 'aws_iam_role_policy_attachment').filter((a) => String(a.body.role).startsWith(`\${${role}[0].`));
    if (!attached.some((a) => String(a.body.policy_arn).endsWith(`:iam::aws:policy/service-role/${PUSH_TO_CLOUDWATCH_LOGS}`))) {
      problems.push(`${role} does not have the managed policy ${PUSH_TO_CLOUDWATCH_LOGS}, which API Gateway's account setting needs`);
    }
    const { documents } = grantsOfRole(config, role);
    if (documents.length > 0) problems.push(`${role} has inline policies (${documents.join(', ')}) where the managed policy belongs`);
    if (!list(body.depends_on).some((d) => String(d).replace(/^\$\{/, '').startsWith('aws_iam_role_policy_attachment.'))) {
      problems.push(`${address} does not wait for its role's policy (API Gateway checks the role when the setting is saved)`);
    }
  }
  if (blocks(config, 'aws_api_gateway_account').length === 0) problems.push('nothing can set API Gateway\'s logging role when asked to');

  const stage = findBlock(config, 'aws_apigatewayv2_stage.websocket');
  if (stage) {
    if (nested(stage, 'access_log_settings')) {
      problems.push('aws_apigatewayv2_stage.websocket always has an access log: it cannot be deployed where no logging role is set');
    }
    const dynamic = stage.dynamic?.access_log_settings?.[0];
    if (dynamic && dynamic.for_each !== '${local.websocket_access_log ? [1] : []}') {
      problems.push(`aws_apigatewayv2_stage.websocket keeps its access log on ${dynamic.for_each}, not local.websocket_access_log`);
    }
    if (!dynamicContent(stage, 'access_log_settings')?.destination_arn) problems.push('aws_apigatewayv2_stage.websocket can never keep an access log');
    if (locals(config).websocket_access_log !== '${var.settings.create_apigateway_logging_role || var.apigateway_logging_role_exists}') {
      problems.push(`local.websocket_access_log is ${locals(config).websocket_access_log}, not "a role is made here or set already"`);
    }
  }
  return problems;
}

/**
 * The token secret never in the state nor the functions' environment: drawn by an ephemeral
 * resource, handed to SSM write-only, kept as a SecureString with the customer-managed key (the
 * root: one parameter per region, the replicas' read back from the primary's, so that every
 * region has the same value), and read by each function's role, that parameter only (the stack,
 * `references` saying how it names the parameter).
 */
export function tokenSecretProblems(root: TerraformConfig, stack: TerraformConfig, references: StackReferences = STACK_REFERENCES): string[] {
  const problems: string[] = [];
  for (const { address } of blocks(root, 'random_password')) problems.push(`${address} is a managed resource: its result is kept in the state`);
  const ephemeral = ((root as Body).ephemeral ?? {}) as Record<string, Record<string, Body[]>>;
  const drawn = ephemeral.random_password?.token_secret?.[0];
  if (!drawn) problems.push('ephemeral.random_password.token_secret is missing');
  else if (!(Number(drawn.length) >= 32)) problems.push(`ephemeral.random_password.token_secret is ${drawn.length} characters, under 32 bytes`);

  const parameters = [
    { address: 'aws_ssm_parameter.token_secret', key: '${aws_kms_key.main.arn}', value: '${ephemeral.random_password.token_secret.result}' },
    { address: 'aws_ssm_parameter.token_secret_replica', key: '${aws_kms_key.replica[each.key].arn}', value: '${ephemeral.aws_ssm_parameter.token_secret[0].value}' },
  ];
  for (const expected of parameters) {
    const parameter = findBlock(root, expected.address);
    if (!parameter) {
      problems.push(`${expected.address} is missing`);
      continue;
    }
    if (parameter.type !== 'SecureString') problems.push(`${expected.address} is a ${parameter.type}, not a SecureString`);
    if (parameter.key_id !== expected.key) problems.push(`${expected.address} is not encrypted with its region's customer-managed key`);
    if (parameter.value !== undefined || parameter.insecure_value !== undefined) {
      problems.push(`${expected.address} sets value: the secret would be kept in the state`);
    }
    if (parameter.value_wo !== expected.value) problems.push(`${expected.address}.value_wo is not ${expected.value}`);
    if (parameter.value_wo_version !== '${var.token_secret_version}') problems.push(`${expected.address}.value_wo_version is not var.token_secret_version: it would not follow a rotation`);
  }
  const readBack = ephemeral.aws_ssm_parameter?.token_secret?.[0];
  if (!readBack || readBack.arn !== '${aws_ssm_parameter.token_secret.arn}') {
    problems.push("the replicas' token secret is not read back from the primary's parameter (ephemeral.aws_ssm_parameter.token_secret)");
  }

  const environment = JSON.stringify(locals(stack).environment ?? {});
  if (/TOKEN_SECRET"\s*:/.test(environment) || environment.includes('.result') || environment.includes('.value}')) {
    problems.push('local.environment holds the token secret itself');
  }
  for (const { address, body } of blocks(stack, 'aws_lambda_function')) {
    const variables = JSON.stringify(resolve(stack, nested(body, 'environment')?.variables) ?? {});
    if (variables.includes('.result') || variables.includes('ephemeral.')) problems.push(`${address} environment holds a generated secret`);
  }
  for (const role of ['aws_iam_role.function', 'aws_iam_role.push']) {
    const reads = policyStatements(stack).some(
      (s) => grantsOfRole(stack, role).documents.some((d) => s.where.startsWith(`${d} `)) &&
        s.actions.includes('ssm:GetParameter') &&
        s.resources.includes(references.tokenSecretArn),
    );
    if (!reads) problems.push(`${role} may not read the token secret's parameter (${references.tokenSecretArn})`);
  }
  return problems;
}

/** Every function runs the Lambda runtime of the major the bundle is built for, which the Dockerfile's Node also is. */
export function runtimeProblems(config: TerraformConfig, lambdaNodeMajor: number, dockerNodeVersion: string): string[] {
  const problems: string[] = [];
  const expected = `nodejs${lambdaNodeMajor}.x`;
  for (const f of instances(config, 'aws_lambda_function')) {
    const runtime = resolve(config, f.body.runtime, f.each);
    if (runtime !== expected) problems.push(`${f.address} runs ${runtime}, not ${expected} (the bundle's target)`);
  }
  const dockerMajor = Number(dockerNodeVersion.split('.')[0]);
  if (dockerMajor !== lambdaNodeMajor) problems.push(`the Dockerfile's Node is ${dockerNodeVersion}, not the runtime's major ${lambdaNodeMajor}`);
  return problems;
}
