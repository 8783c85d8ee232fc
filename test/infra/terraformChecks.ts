// The checks that tie infra/terraform to the code: each takes the parsed configuration (and what
// it must agree with) and answers the list of problems it finds, empty when there are none. Pure
// functions, so terraform.test.ts can also run them on copies broken on purpose and show that
// each one reports what it exists to catch.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { posix } from 'node:path';
import {
  blocks,
  list,
  locals,
  nested,
  resolve,
  routeMap,
  type Body,
  type TerraformConfig,
} from './terraformConfig.js';

export interface RouteSpec {
  readonly name: string;
  readonly handler: string;
  readonly method: string;
  readonly path: string;
}

/** The one entry of the route map that is not a route of ROUTES: API Gateway's catch-all. */
export const CATCH_ALL = { name: 'router', route_key: '$default', handler: 'router' } as const;

/** The resources made once per route, each with `for_each = local.routes`. */
export const PER_ROUTE_RESOURCES = [
  'aws_lambda_function',
  'aws_apigatewayv2_integration',
  'aws_apigatewayv2_route',
  'aws_lambda_permission',
] as const;

/**
 * Every route of the route table has its entry in `local.routes` (API route key "METHOD /path",
 * handler export), that export exists in the bundle, the per-route resources are generated from
 * that one map and wired to each other, and nothing but the catch-all is there besides.
 */
export function routeProblems(
  config: TerraformConfig,
  routes: readonly RouteSpec[],
  bundleExports: readonly string[],
  bundle: { zip: string; module: string },
): string[] {
  const problems: string[] = [];
  const map = routeMap(config);

  for (const route of routes) {
    const entry = map[route.name];
    if (!entry) {
      problems.push(`route ${route.name} (${route.method} ${route.path}) has no entry in local.routes`);
      continue;
    }
    if (entry.route_key !== `${route.method} ${route.path}`) {
      problems.push(`local.routes.${route.name}.route_key is "${entry.route_key}", not "${route.method} ${route.path}"`);
    }
    if (entry.handler !== route.handler) {
      problems.push(`local.routes.${route.name}.handler is "${entry.handler}", not the route's handler "${route.handler}"`);
    }
  }
  for (const [name, entry] of Object.entries(map)) {
    const isRoute = routes.some((r) => r.name === name);
    const isCatchAll = name === CATCH_ALL.name && entry.route_key === CATCH_ALL.route_key && entry.handler === CATCH_ALL.handler;
    if (!isRoute && !isCatchAll) problems.push(`local.routes.${name} (${entry.route_key}) is not a route of ROUTES`);
    if (!bundleExports.includes(entry.handler)) {
      problems.push(`local.routes.${name}.handler "${entry.handler}" is not exported by the bundle`);
    }
  }

  for (const type of PER_ROUTE_RESOURCES) {
    const found = blocks(config, type);
    if (found.length !== 1) problems.push(`expected one ${type} block, generated per route; found ${found.length}`);
    for (const { address, body } of found) {
      if (body.for_each !== '${local.routes}') problems.push(`${address} iterates over ${body.for_each}, not local.routes`);
    }
  }

  const [fn] = blocks(config, 'aws_lambda_function');
  const moduleName = bundle.module.replace(/\.mjs$/, '');
  if (fn && fn.body.handler !== `${moduleName}.\${each.value.handler}`) {
    problems.push(`${fn.address}.handler is "${fn.body.handler}", not "${moduleName}.\${each.value.handler}"`);
  }
  if (fn && fn.body.filename !== '${local.lambda_zip}') problems.push(`${fn.address}.filename is not local.lambda_zip`);
  const zip = String(locals(config).lambda_zip ?? '');
  const zipFromRoot = posix.normalize(posix.join('infra/terraform', zip.replace(/^\$\{path\.module\}\//, '')));
  if (zipFromRoot !== bundle.zip) problems.push(`local.lambda_zip is ${zip}, not the build's ${bundle.zip}`);

  const expectWiring = (type: string, attribute: string, expected: string): void => {
    for (const { address, body } of blocks(config, type)) {
      if (body[attribute] !== expected) problems.push(`${address}.${attribute} is ${body[attribute]}, not ${expected}`);
    }
  };
  expectWiring('aws_apigatewayv2_route', 'route_key', '${each.value.route_key}');
  expectWiring('aws_apigatewayv2_route', 'target', 'integrations/${aws_apigatewayv2_integration.route[each.key].id}');
  expectWiring('aws_apigatewayv2_integration', 'integration_uri', '${aws_lambda_function.route[each.key].invoke_arn}');
  expectWiring('aws_apigatewayv2_integration', 'payload_format_version', '2.0');
  expectWiring('aws_lambda_permission', 'function_name', '${aws_lambda_function.route[each.key].function_name}');
  return problems;
}

export interface Statement {
  /** Address of the policy document and the statement's sid or position. */
  where: string;
  actions: string[];
  resources: string[];
  body: Body;
}

/** The statements of every `aws_iam_policy_document` in the configuration. */
export function policyStatements(config: TerraformConfig): Statement[] {
  return blocks(config, 'data.aws_iam_policy_document').flatMap(({ address, body }) =>
    list(body.statement).map((statement, i) => {
      const s = statement as Body;
      return {
        where: `${address} statement ${s.sid ?? i}`,
        actions: list(s.actions).map(String),
        resources: list(s.resources).map(String),
        body: s,
      };
    }),
  );
}

/** The policy documents given to a KMS key: there Resource "*" means the key itself. */
export function keyPolicyDocuments(config: TerraformConfig): string[] {
  return blocks(config, 'aws_kms_key_policy').flatMap(({ body }) => {
    const match = /^\$\{(data\.aws_iam_policy_document\.[a-z_]+)\.json\}$/.exec(String(body.policy));
    return match ? [match[1] as string] : [];
  });
}

/**
 * A wildcard resource the functions' policy may name: the log streams (named by Lambda at run
 * time) under each of the functions' own log groups, made by the for-expression in main.tf.
 */
export const LOG_STREAMS_OF_OWN_GROUPS = '${[for group in aws_cloudwatch_log_group.function : "${group.arn}:*"]}';

/**
 * The functions' policy grants exactly `actions` (DYNAMODB_ACTIONS) on the table (and its indexes,
 * if it has any) and nowhere else; no identity policy has a wildcard action or resource, beyond
 * the log streams under the functions' own groups; only the key policy's account statement may
 * say "kms:*" on "*" (there, the key).
 */
export function permissionProblems(config: TerraformConfig, actions: readonly string[], table: CreateTableCommandInput): string[] {
  const problems: string[] = [];
  const keyPolicies = keyPolicyDocuments(config);
  const statements = policyStatements(config);
  const isKeyPolicy = (s: Statement): boolean => keyPolicies.some((doc) => s.where.startsWith(`${doc} `));

  const dynamo = statements.filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')));
  const granted = dynamo.flatMap((s) => s.actions.filter((a) => a.startsWith('dynamodb:')));
  for (const action of actions) if (!granted.includes(action)) problems.push(`${action} is not granted`);
  for (const action of granted) if (!actions.includes(action)) problems.push(`${action} is granted but is not in DYNAMODB_ACTIONS`);
  if (new Set(granted).size !== granted.length) problems.push('a DynamoDB action is granted twice');

  const hasIndexes = (table.GlobalSecondaryIndexes?.length ?? 0) + (table.LocalSecondaryIndexes?.length ?? 0) > 0;
  const tableArns = ['${aws_dynamodb_table.main.arn}', ...(hasIndexes ? ['${aws_dynamodb_table.main.arn}/index/*'] : [])];
  for (const s of dynamo) {
    for (const resource of s.resources) {
      if (!tableArns.includes(resource)) problems.push(`${s.where} grants DynamoDB actions on ${resource}, not only the table`);
    }
    if (s.resources.length === 0) problems.push(`${s.where} grants DynamoDB actions on no named resource`);
    if (s.actions.some((a) => !a.startsWith('dynamodb:'))) problems.push(`${s.where} mixes DynamoDB with other actions`);
  }

  for (const s of statements) {
    if (s.body.not_actions !== undefined || s.body.not_resources !== undefined) {
      problems.push(`${s.where} uses not_actions or not_resources`);
    }
    const keyAccountStatement = isKeyPolicy(s) && isAccountRootOnly(s.body);
    for (const action of s.actions) {
      if (action.includes('*') && !(keyAccountStatement && action === 'kms:*')) problems.push(`${s.where} has the wildcard action ${action}`);
    }
    for (const resource of s.resources) {
      if (resource === LOG_STREAMS_OF_OWN_GROUPS) continue;
      if (resource === '*' && isKeyPolicy(s)) continue;
      if (resource.includes('*')) problems.push(`${s.where} has the wildcard resource ${resource}`);
    }
  }
  return problems;
}

/** A statement whose only principal is this account's root (`arn:...:iam::<account>:root`). */
export function isAccountRootOnly(statement: Body): boolean {
  const principals = list(statement.principals) as Body[];
  return (
    principals.length === 1 &&
    principals[0]?.type === 'AWS' &&
    list(principals[0]?.identifiers).join() === 'arn:${local.partition}:iam::${local.account_id}:root'
  );
}

/** The table has the keys, attribute types, billing mode and indexes of tableDefinition(), and TTL on `ttlAttribute`. */
export function tableProblems(config: TerraformConfig, definition: CreateTableCommandInput, ttlAttribute: string): string[] {
  const problems: string[] = [];
  const tables = blocks(config, 'aws_dynamodb_table');
  if (tables.length !== 1) return [`expected exactly one aws_dynamodb_table, found ${tables.length}`];
  const { address, body } = tables[0]!;

  const keyOf = (type: 'HASH' | 'RANGE') => definition.KeySchema?.find((k) => k.KeyType === type)?.AttributeName;
  if (body.hash_key !== keyOf('HASH')) problems.push(`${address}.hash_key is ${body.hash_key}, not ${keyOf('HASH')}`);
  if ((body.range_key ?? undefined) !== keyOf('RANGE')) problems.push(`${address}.range_key is ${body.range_key}, not ${keyOf('RANGE')}`);

  const declared = (list(body.attribute) as Body[]).map((a) => `${a.name}:${a.type}`).sort();
  const expected = (definition.AttributeDefinitions ?? []).map((a) => `${a.AttributeName}:${a.AttributeType}`).sort();
  if (declared.join() !== expected.join()) problems.push(`${address} attributes are ${declared.join(', ')}, not ${expected.join(', ')}`);

  if (body.billing_mode !== definition.BillingMode) problems.push(`${address}.billing_mode is ${body.billing_mode}, not ${definition.BillingMode}`);

  const indexes = list(body.global_secondary_index).length + list(body.local_secondary_index).length;
  const definedIndexes = (definition.GlobalSecondaryIndexes?.length ?? 0) + (definition.LocalSecondaryIndexes?.length ?? 0);
  if (indexes !== definedIndexes) problems.push(`${address} has ${indexes} secondary indexes, the definition ${definedIndexes}`);

  const ttl = nested(body, 'ttl');
  if (ttl?.attribute_name !== ttlAttribute || ttl?.enabled !== true) {
    problems.push(`${address} does not expire items by the "${ttlAttribute}" attribute (ttl is ${JSON.stringify(ttl)})`);
  }
  return problems;
}

/** Every variable has a type and a description, every output a description. */
export function documentationProblems(config: TerraformConfig): string[] {
  const problems: string[] = [];
  for (const [name, [body]] of Object.entries(config.variable ?? {})) {
    if (!body?.type) problems.push(`variable ${name} has no type`);
    if (!body?.description) problems.push(`variable ${name} has no description`);
  }
  for (const [name, [body]] of Object.entries(config.output ?? {})) {
    if (!body?.description) problems.push(`output ${name} has no description`);
  }
  return problems;
}

/** Each required provider (aws and random at least) is pinned to one exact version. */
export function providerPinProblems(config: TerraformConfig, required: readonly string[]): string[] {
  const providers: Record<string, Body> = Object.assign(
    {},
    ...(config.terraform ?? []).flatMap((t) => list(t.required_providers) as Body[]),
  );
  const problems: string[] = [];
  for (const name of required) if (!providers[name]) problems.push(`provider ${name} is not in required_providers`);
  for (const [name, provider] of Object.entries(providers)) {
    if (!/^=?\s*\d+\.\d+\.\d+$/.test(String(provider.version ?? ''))) {
      problems.push(`provider ${name} is not pinned to one version (version = ${JSON.stringify(provider.version)})`);
    }
  }
  return problems;
}

/**
 * The functions' environment is exactly the app's configuration for AWS: DynamoDB storage, the
 * table, the profile, a generated token secret (32+ bytes) encrypted with the customer-managed
 * key, the log level, the two rate limits and source maps. Nothing for tests only.
 */
export function environmentProblems(config: TerraformConfig, expectedNames: readonly string[]): string[] {
  const problems: string[] = [];
  for (const { address, body } of blocks(config, 'aws_lambda_function')) {
    const variables = resolve(config, nested(body, 'environment')?.variables);
    if (typeof variables !== 'object' || variables === null) {
      problems.push(`${address} has no environment variables we can read`);
      continue;
    }
    const env = variables as Body;
    const names = Object.keys(env).sort();
    if (names.join() !== [...expectedNames].sort().join()) problems.push(`${address} environment is ${names.join(', ')}`);
    if (env.STORAGE !== 'dynamodb') problems.push(`${address} STORAGE is ${env.STORAGE}, not dynamodb`);
    if (env.TABLE_NAME !== '${aws_dynamodb_table.main.name}') problems.push(`${address} TABLE_NAME is not the table's name`);
    if (env.TOKEN_SECRET !== '${random_password.token_secret.result}') problems.push(`${address} TOKEN_SECRET is not the generated secret`);
    if (body.kms_key_arn !== '${aws_kms_key.main.arn}') problems.push(`${address} does not encrypt its environment with the customer-managed key`);
  }
  const secret = blocks(config, 'random_password').find((b) => b.address === 'random_password.token_secret')?.body;
  if (!secret) problems.push('random_password.token_secret is missing');
  else if (!(Number(secret.length) >= 32)) problems.push(`random_password.token_secret is ${secret.length} characters, under 32 bytes`);
  return problems;
}
