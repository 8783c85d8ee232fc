// The checks that tie infra/terraform to the code: each takes the parsed configuration (and what
// it must agree with) and answers the list of problems it finds, empty when there are none. Pure
// functions, so terraform.test.ts can also run them on copies broken on purpose and show that
// each one reports what it exists to catch. What is in every region (routes, functions, roles,
// the stream consumer) is checked on the regional module as module.primary instantiates it
// (stackOf); it names the root's table, stream, key and token secret by its own inputs
// (STACK_REFERENCES), and multiRegionChecks.ts checks what the root passes for each.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { posix } from 'node:path';
import {
  blocks,
  findBlock,
  list,
  locals,
  nested,
  referencedBlock,
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

/** The resources made once per route, each with `for_each` over a route map. */
export const PER_ROUTE_RESOURCES = [
  'aws_lambda_function',
  'aws_apigatewayv2_integration',
  'aws_apigatewayv2_route',
  'aws_lambda_permission',
] as const;

/**
 * The route maps, by the name of the per-route blocks generated from each: the HTTP API's
 * (`aws_lambda_function.route`...) and the push WebSocket API's (`aws_lambda_function.websocket`...).
 */
export const ROUTE_MAPS = { route: '${local.routes}', websocket: '${local.websocket_routes}' } as const;

/** The one function no route invokes: the consumer of the table's stream. */
export const STREAM_CONSUMER = 'aws_lambda_function.push_from_stream';

/** How the regional stack refers to what the root holds: the table, this region's stream and key, the token secret. */
export interface StackReferences {
  readonly tableName: string;
  /** What a role may name for the table's actions: every region's replica, or this region's. */
  readonly tableArns: readonly string[];
  readonly streamArn: string;
  readonly keyArn: string;
  readonly tokenSecretName: string;
  readonly tokenSecretArn: string;
}

export const STACK_REFERENCES: StackReferences = {
  tableName: '${var.settings.table_name}',
  tableArns: ['${local.table_arns}', '${local.table_arn}'],
  streamArn: '${var.stream_arn}',
  keyArn: '${var.kms_key_arn}',
  tokenSecretName: '${var.token_secret_parameter_name}',
  tokenSecretArn: '${var.token_secret_parameter_arn}',
};

/**
 * The integration URI and the permission qualifier of a route, as provisioned concurrency has
 * them: the alias live for routes in var.settings.provisioned_concurrency, the function otherwise.
 */
export const PROVISIONED = 'contains(keys(var.settings.provisioned_concurrency), each.key)';
export const ROUTE_INVOKE_ARN = `\${${PROVISIONED} ? aws_lambda_alias.live[each.key].invoke_arn : aws_lambda_function.route[each.key].invoke_arn}`;

/** The address of the one `aws_apigatewayv2_api` of a protocol (HTTP or WEBSOCKET), if there is exactly one. */
export function apiOf(config: TerraformConfig, protocol: 'HTTP' | 'WEBSOCKET'): string | undefined {
  const apis = blocks(config, 'aws_apigatewayv2_api').filter((api) => api.body.protocol_type === protocol);
  return apis.length === 1 ? apis[0]!.address : undefined;
}

/**
 * Every block of the per-route types is generated from a route map (or is the stream consumer),
 * and each map has its block of each type: nothing is written out by hand beside the maps.
 */
function perRouteBlockProblems(config: TerraformConfig): string[] {
  const problems: string[] = [];
  for (const type of PER_ROUTE_RESOURCES) {
    for (const [name, map] of Object.entries(ROUTE_MAPS)) {
      const generated = blocks(config, type).find((b) => b.address === `${type}.${name}`);
      if (!generated) problems.push(`${type}.${name}, generated from ${map.slice(2, -1)}, is missing`);
      else if (generated.body.for_each !== map) problems.push(`${type}.${name} iterates over ${generated.body.for_each}, not ${map.slice(2, -1)}`);
    }
    for (const { address } of blocks(config, type)) {
      const name = address.slice(type.length + 1);
      if (!(name in ROUTE_MAPS) && address !== STREAM_CONSUMER) {
        problems.push(`${address} is written out by hand: every ${type} is generated from a route map`);
      }
    }
  }
  return problems;
}

/** Each per-route block named `name` has `attribute` set to `expected`. */
function wiringProblems(config: TerraformConfig, name: string, wiring: readonly [type: string, attribute: string, expected: string][]): string[] {
  return wiring.flatMap(([type, attribute, expected]) =>
    blocks(config, type)
      .filter((b) => b.address === `${type}.${name}`)
      .filter((b) => b.body[attribute] !== expected)
      .map((b) => `${b.address}.${attribute} is ${b.body[attribute]}, not ${expected}`),
  );
}

/** A function block runs `handlers.<export>` from the built zip. */
function bundleProblems(config: TerraformConfig, address: string, handler: string, bundle: { zip: string; module: string }): string[] {
  const fn = blocks(config, 'aws_lambda_function').find((b) => b.address === address);
  if (!fn) return [`${address} is missing`];
  const problems: string[] = [];
  const moduleName = bundle.module.replace(/\.mjs$/, '');
  if (fn.body.handler !== `${moduleName}.${handler}`) problems.push(`${address}.handler is "${fn.body.handler}", not "${moduleName}.${handler}"`);
  if (fn.body.filename !== '${local.lambda_zip}') problems.push(`${address}.filename is not local.lambda_zip`);
  return problems;
}

/**
 * Every route of the route table has its entry in `local.routes` (API route key "METHOD /path",
 * handler export), that export exists in the bundle, the per-route resources are generated from
 * that one map and wired to each other and to the HTTP API, and nothing but the catch-all is
 * there besides.
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

  problems.push(...perRouteBlockProblems(config));
  problems.push(...bundleProblems(config, 'aws_lambda_function.route', '${each.value.handler}', bundle));
  const zip = String(resolve(config, locals(config).lambda_zip) ?? '');
  const zipFromRoot = posix.normalize(posix.join('infra/terraform', zip.replace(/^\$\{path\.module\}\//, '')));
  if (zipFromRoot !== bundle.zip) problems.push(`local.lambda_zip is ${zip}, not the build's ${bundle.zip}`);

  const api = apiOf(config, 'HTTP');
  if (!api) problems.push('there is not exactly one aws_apigatewayv2_api with protocol_type HTTP');
  problems.push(
    ...wiringProblems(config, 'route', [
      ['aws_apigatewayv2_route', 'api_id', `\${${api}.id}`],
      ['aws_apigatewayv2_route', 'route_key', '${each.value.route_key}'],
      ['aws_apigatewayv2_route', 'target', 'integrations/${aws_apigatewayv2_integration.route[each.key].id}'],
      ['aws_apigatewayv2_integration', 'api_id', `\${${api}.id}`],
      ['aws_apigatewayv2_integration', 'integration_uri', ROUTE_INVOKE_ARN],
      ['aws_apigatewayv2_integration', 'payload_format_version', '2.0'],
      ['aws_lambda_permission', 'function_name', '${aws_lambda_function.route[each.key].function_name}'],
    ]),
  );
  return problems;
}

/** One route of the push WebSocket API, as WEBSOCKET_ROUTES lists it. */
export interface WebSocketRouteSpec {
  readonly routeKey: string;
  readonly handler: string;
}

/**
 * Every route of WEBSOCKET_ROUTES has its entry in `local.websocket_routes` (route key, handler
 * export) and nothing else is there; each export exists in the bundle; the per-route resources are
 * wired to each other and to the one WebSocket API, whose functions each may be invoked by their
 * own route of its stage only; the stage is throttled and access-logged.
 */
export function webSocketRouteProblems(
  config: TerraformConfig,
  routes: readonly WebSocketRouteSpec[],
  bundleExports: readonly string[],
  bundle: { zip: string; module: string },
): string[] {
  const problems: string[] = [];
  const map = (locals(config).websocket_routes ?? {}) as Record<string, Body>;
  const entries = Object.entries(map);

  for (const route of routes) {
    const found = entries.filter(([, entry]) => entry.route_key === route.routeKey);
    if (found.length !== 1) {
      problems.push(`WebSocket route ${route.routeKey} has ${found.length} entries in local.websocket_routes, not one`);
      continue;
    }
    const [name, entry] = found[0]!;
    if (entry.handler !== route.handler) {
      problems.push(`local.websocket_routes.${name}.handler is "${entry.handler}", not the route's handler "${route.handler}"`);
    }
  }
  for (const [name, entry] of entries) {
    if (!routes.some((r) => r.routeKey === entry.route_key)) {
      problems.push(`local.websocket_routes.${name} (${entry.route_key}) is not a route of WEBSOCKET_ROUTES`);
    }
    if (!bundleExports.includes(entry.handler)) {
      problems.push(`local.websocket_routes.${name}.handler "${entry.handler}" is not exported by the bundle`);
    }
  }

  problems.push(...bundleProblems(config, 'aws_lambda_function.websocket', '${each.value.handler}', bundle));
  const api = apiOf(config, 'WEBSOCKET');
  if (!api) return [...problems, 'there is not exactly one aws_apigatewayv2_api with protocol_type WEBSOCKET'];
  const apiBody = blocks(config, 'aws_apigatewayv2_api').find((b) => b.address === api)!.body;
  if (!String(apiBody.route_selection_expression ?? '').startsWith('$request.body.')) {
    problems.push(`${api}.route_selection_expression is ${apiBody.route_selection_expression}, not a field of the body`);
  }
  const stages = blocks(config, 'aws_apigatewayv2_stage').filter((b) => b.body.api_id === `\${${api}.id}`);
  if (stages.length !== 1) return [...problems, `${api} has ${stages.length} stages, not one`];
  const stage = stages[0]!;
  problems.push(
    ...wiringProblems(config, 'websocket', [
      ['aws_apigatewayv2_route', 'api_id', `\${${api}.id}`],
      ['aws_apigatewayv2_route', 'route_key', '${each.value.route_key}'],
      ['aws_apigatewayv2_route', 'target', 'integrations/${aws_apigatewayv2_integration.websocket[each.key].id}'],
      ['aws_apigatewayv2_integration', 'api_id', `\${${api}.id}`],
      ['aws_apigatewayv2_integration', 'integration_type', 'AWS_PROXY'],
      ['aws_apigatewayv2_integration', 'integration_uri', '${aws_lambda_function.websocket[each.key].invoke_arn}'],
      ['aws_lambda_permission', 'function_name', '${aws_lambda_function.websocket[each.key].function_name}'],
      ['aws_lambda_permission', 'principal', 'apigateway.amazonaws.com'],
      ['aws_lambda_permission', 'source_arn', `\${${api}.execution_arn}/${stage.body.name}/\${each.value.route_key}`],
    ]),
  );
  const throttle = nested(stage.body, 'default_route_settings');
  if (throttle?.throttling_rate_limit === undefined || throttle?.throttling_burst_limit === undefined) {
    problems.push(`${stage.address} sets no throttling rate and burst limit`);
  }
  const accessLog = nested(stage.body, 'access_log_settings') ?? dynamicContent(stage.body, 'access_log_settings');
  if (!accessLog?.destination_arn) problems.push(`${stage.address} has no access log`);
  return problems;
}

/** The content of a `dynamic "<name>"` block of a body, if it has one. */
export function dynamicContent(body: Body, name: string): Body | undefined {
  const block = (list(body.dynamic?.[name]) as Body[])[0];
  return (list(block?.content) as Body[])[0];
}

/** The one stream record pattern the consumer is invoked for: new items of an inbox partition. */
export function inboxInsertPattern(inboxPrefix: string): Body {
  return { eventName: ['INSERT'], dynamodb: { NewImage: { PK: { S: [{ prefix: inboxPrefix }] } } } };
}

/** A filter's pattern as data: `jsonencode(local.x)` of a local, or a JSON string. */
function patternOf(config: TerraformConfig, pattern: unknown): unknown {
  const local = /^\$\{jsonencode\(local\.([a-z_]+)\)\}$/.exec(String(pattern));
  if (local) return locals(config)[local[1] as string];
  try {
    return JSON.parse(String(pattern));
  } catch {
    return undefined;
  }
}

/**
 * The stream consumer runs the bundle's STREAM_HANDLER and is fed by exactly one event source
 * mapping, from the table's stream, from LATEST, in bounded batches, filtered to inserts of inbox
 * items (`inboxPrefix`), with a bounded number of retries and bisection on error; no mapping
 * feeds another function.
 */
export function streamConsumerProblems(
  config: TerraformConfig,
  streamHandler: string,
  inboxPrefix: string,
  bundleExports: readonly string[],
  bundle: { zip: string; module: string },
  references: StackReferences = STACK_REFERENCES,
): string[] {
  const problems = bundleProblems(config, STREAM_CONSUMER, streamHandler, bundle);
  if (!bundleExports.includes(streamHandler)) problems.push(`the bundle does not export the stream handler ${streamHandler}`);

  const mappings = blocks(config, 'aws_lambda_event_source_mapping');
  const feeding = mappings.filter((m) => referencedBlock(m.body.function_name, ['arn', 'function_name']) === STREAM_CONSUMER);
  for (const m of mappings.filter((m) => !feeding.includes(m))) problems.push(`${m.address} feeds ${m.body.function_name}, not the stream consumer`);
  if (feeding.length !== 1) return [...problems, `${STREAM_CONSUMER} is fed by ${feeding.length} event source mappings, not one`];

  const { address, body } = feeding[0]!;
  const whole = (value: unknown, max: number): boolean => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;
  if (body.event_source_arn !== references.streamArn) problems.push(`${address} reads ${body.event_source_arn}, not the table's stream (${references.streamArn})`);
  if (body.starting_position !== 'LATEST') problems.push(`${address} starts at ${body.starting_position}, not LATEST`);
  // DynamoDB Streams' limits: batches of 1 to 10,000 records, 0 to 10,000 retries (-1, the default, is forever).
  if (!whole(body.batch_size, 10_000) || body.batch_size === 0) problems.push(`${address}.batch_size is ${body.batch_size}, not a whole number from 1 to 10,000`);
  if (!whole(body.maximum_retry_attempts, 10_000)) {
    problems.push(`${address}.maximum_retry_attempts is ${body.maximum_retry_attempts}: retries must be bounded (0 to 10,000)`);
  }
  if (body.bisect_batch_on_function_error !== true) problems.push(`${address} does not split a failing batch (bisect_batch_on_function_error)`);

  const filters = list(nested(body, 'filter_criteria')?.filter) as Body[];
  const expected = inboxInsertPattern(inboxPrefix);
  if (filters.length !== 1) problems.push(`${address} has ${filters.length} filters, not the one for inserts of inbox items`);
  for (const filter of filters) {
    const [found, wanted] = [JSON.stringify(canonical(patternOf(config, filter.pattern))), JSON.stringify(canonical(expected))];
    if (found !== wanted) problems.push(`${address} filters by ${found}, not ${wanted}`);
  }
  return problems;
}

/** A value with its objects' keys sorted, to compare two JSON values whatever their key order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Body)[key])]));
}

export interface Statement {
  /** Address of the policy document and the statement's sid or position. */
  where: string;
  actions: string[];
  resources: string[];
  body: Body;
}

/**
 * The statements of every `aws_iam_policy_document` in the configuration, those of a `dynamic
 * "statement"` block (present only when its for_each is not empty) included.
 */
export function policyStatements(config: TerraformConfig): Statement[] {
  return blocks(config, 'data.aws_iam_policy_document').flatMap(({ address, body }) => {
    const dynamic = (list(body.dynamic?.statement) as Body[]).flatMap((d) => list(d.content) as Body[]);
    return [...list(body.statement), ...dynamic].map((statement, i) => {
      const s = statement as Body;
      return {
        where: `${address} statement ${s.sid ?? i}`,
        actions: list(s.actions).map(String),
        resources: list(s.resources).map(String),
        body: s,
      };
    });
  });
}

/** X-Ray's write actions, which accept no resource but "*" (the Service Authorization Reference). */
export const XRAY_WRITE_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] as const;

/** The policy documents given to a KMS key (one per region, `key[each.key]`): there Resource "*" means the key itself. */
export function keyPolicyDocuments(config: TerraformConfig): string[] {
  return blocks(config, 'aws_kms_key_policy').flatMap(({ body }) => {
    const match = /^\$\{(data\.aws_iam_policy_document\.[a-z_]+)(?:\[[^\]]+\])?\.json\}$/.exec(String(body.policy));
    return match ? [match[1] as string] : [];
  });
}

/** The policy document a statement is in (`data.aws_iam_policy_document.push`). */
export function documentOf(statement: Statement): string {
  return statement.where.slice(0, statement.where.indexOf(' statement '));
}

/** `pattern` ("kms:*", "dynamodb:Get*", "*") allows `action`, as IAM matches them (case-insensitive). */
export function allows(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return regex.test(action);
}

/** The role a function runs with (`aws_iam_role.push`), or undefined when it is not one of this configuration's roles. */
export function roleOfFunction(config: TerraformConfig, functionAddress: string): string | undefined {
  const fn = blocks(config, 'aws_lambda_function').find((b) => b.address === functionAddress);
  const role = referencedBlock(fn?.body.role, ['arn']);
  return role && blocks(config, 'aws_iam_role').some((b) => b.address === role) ? role : undefined;
}

/**
 * What a role is granted, as far as this configuration says: the policy documents of its inline
 * policies (aws_iam_role_policy), and what cannot be read (a policy not written as a document,
 * an attached managed policy).
 */
export function grantsOfRole(config: TerraformConfig, role: string): { documents: string[]; unreadable: string[] } {
  const documents: string[] = [];
  const unreadable: string[] = [];
  for (const { address, body } of blocks(config, 'aws_iam_role_policy')) {
    if (referencedBlock(body.role, ['id', 'name']) !== role) continue;
    const document = referencedBlock(body.policy, ['json']);
    if (document?.startsWith('data.aws_iam_policy_document.')) documents.push(document);
    else unreadable.push(address);
  }
  for (const { address, body } of blocks(config, 'aws_iam_role_policy_attachment')) {
    if (referencedBlock(body.role, ['id', 'name']) === role) unreadable.push(address);
  }
  const roleBody = findBlock(config, role);
  if (roleBody?.managed_policy_arns !== undefined || roleBody?.inline_policy !== undefined) unreadable.push(`${role} (managed_policy_arns or inline_policy)`);
  return { documents, unreadable };
}

/** The statements a role is granted through its policy documents. */
export function statementsOfRole(config: TerraformConfig, role: string): Statement[] {
  const { documents } = grantsOfRole(config, role);
  return policyStatements(config).filter((s) => documents.includes(documentOf(s)));
}

/** DynamoDB Streams' read actions: what a Lambda event source mapping needs on the stream it reads. */
export const STREAM_READ_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
] as const;

const isStreamAction = (action: string): boolean => STREAM_READ_ACTIONS.some((a) => allows(action, a));
const isTableAction = (action: string): boolean => action.toLowerCase().startsWith('dynamodb:') && !isStreamAction(action);

/**
 * Wildcard resources a policy may name: the log streams (named by Lambda, or API Gateway, at run
 * time) under a log group of this configuration, as main.tf writes them: `${<group>.arn}:*` for a
 * single group, a for-expression over the groups of a for_each block.
 */
export function logStreamsOfOwnGroups(config: TerraformConfig): string[] {
  return blocks(config, 'aws_cloudwatch_log_group').map(({ address, body }) =>
    body.for_each === undefined ? `\${${address}.arn}:*` : `\${[for group in ${address} : "\${group.arn}:*"]}`,
  );
}

/**
 * Wildcard resources the push functions' policy may name for execute-api:ManageConnections: the
 * connections of this WebSocket API's stage, POST (a push, a pong) and DELETE (closing one). The
 * "*" is the connection id, which API Gateway makes at run time; nothing else may vary.
 */
export function connectionsOfThisApi(config: TerraformConfig): string[] {
  const api = apiOf(config, 'WEBSOCKET');
  const stage = blocks(config, 'aws_apigatewayv2_stage').find((b) => b.body.api_id === `\${${api}.id}`);
  if (!api || !stage) return [];
  return ['POST', 'DELETE'].map((method) => `\${${api}.execution_arn}/${stage.body.name}/${method}/@connections/*`);
}

export const MANAGE_CONNECTIONS = 'execute-api:ManageConnections';

/** Which functions' role is granted which DynamoDB table actions (a list of permissions.ts). */
export interface DynamoDbGrant {
  /** Function blocks (`aws_lambda_function.route`) whose role gets exactly `actions`. */
  readonly functions: readonly string[];
  readonly actions: readonly string[];
  /** The list's name in the code, for the messages. */
  readonly name: string;
}

/**
 * Each function's role is granted exactly the DynamoDB table actions of its list (DYNAMODB_ACTIONS
 * for the HTTP API's, PUSH_DYNAMODB_ACTIONS for push), on the table (and its indexes, if it has
 * any) and nowhere else; every function is in one list; stream reads name the table's stream
 * alone. No identity policy has a wildcard action or resource, beyond the log streams under this
 * configuration's groups and the connections of this WebSocket API (for ManageConnections only);
 * only the key policy's account statement may say "kms:*" on "*" (there, the key).
 */
export function permissionProblems(
  config: TerraformConfig,
  grants: readonly DynamoDbGrant[],
  table: CreateTableCommandInput,
  references: StackReferences = STACK_REFERENCES,
): string[] {
  const problems: string[] = [];
  const keyPolicies = keyPolicyDocuments(config);
  const statements = policyStatements(config);
  const isKeyPolicy = (s: Statement): boolean => keyPolicies.includes(documentOf(s));

  for (const { address } of blocks(config, 'aws_lambda_function')) {
    if (!grants.some((g) => g.functions.includes(address))) problems.push(`${address} is in no list of DynamoDB actions`);
  }
  const listOfRole = new Map<string, DynamoDbGrant>();
  for (const grant of grants) {
    for (const fn of grant.functions) {
      const role = roleOfFunction(config, fn);
      if (!role) {
        problems.push(`${fn} runs with no role of this configuration`);
        continue;
      }
      const other = listOfRole.get(role);
      if (other && other !== grant) problems.push(`${role} serves functions of ${other.name} and of ${grant.name}`);
      listOfRole.set(role, grant);
    }
  }
  for (const [role, grant] of listOfRole) {
    const { unreadable } = grantsOfRole(config, role);
    for (const what of unreadable) problems.push(`${role} is granted ${what}, which is not a policy document these checks read`);
    const granted = statementsOfRole(config, role).flatMap((s) => s.actions.filter(isTableAction));
    for (const action of grant.actions) if (!granted.includes(action)) problems.push(`${role} is not granted ${action}`);
    for (const action of granted) {
      if (!grant.actions.includes(action)) problems.push(`${role} is granted ${action}, which is not in ${grant.name}`);
    }
    if (new Set(granted).size !== granted.length) problems.push(`${role} is granted a DynamoDB action twice`);
  }
  const ofFunctionRoles = [...listOfRole.keys()].flatMap((role) => grantsOfRole(config, role).documents);
  for (const s of statements) {
    if (s.actions.some(isTableAction) && !ofFunctionRoles.includes(documentOf(s))) {
      problems.push(`${s.where} grants DynamoDB actions to no function's role`);
    }
  }

  const hasIndexes = (table.GlobalSecondaryIndexes?.length ?? 0) + (table.LocalSecondaryIndexes?.length ?? 0) > 0;
  // With indexes, a role would also name <table>/index/* (there are none: tableDefinition()).
  const tableArns = [...references.tableArns, ...(hasIndexes ? references.tableArns.map((arn) => `${arn}/index/*`) : [])];
  for (const s of statements.filter((s) => s.actions.some((a) => a.toLowerCase().startsWith('dynamodb:')))) {
    const [onTable, onStream] = [s.actions.some(isTableAction), s.actions.some(isStreamAction)];
    const allowed = onTable ? tableArns : [references.streamArn];
    for (const resource of s.resources) {
      if (!allowed.includes(resource)) problems.push(`${s.where} grants DynamoDB actions on ${resource}, not only the ${onTable ? 'table' : 'stream'}`);
    }
    if (s.resources.length === 0) problems.push(`${s.where} grants DynamoDB actions on no named resource`);
    if (onTable && onStream) problems.push(`${s.where} mixes table and stream actions`);
    if (s.actions.some((a) => !a.toLowerCase().startsWith('dynamodb:'))) problems.push(`${s.where} mixes DynamoDB with other actions`);
  }

  const logStreams = logStreamsOfOwnGroups(config);
  const connections = connectionsOfThisApi(config);
  for (const s of statements) {
    if (s.body.not_actions !== undefined || s.body.not_resources !== undefined) {
      problems.push(`${s.where} uses not_actions or not_resources`);
    }
    const keyAccountStatement = isKeyPolicy(s) && isAccountRootOnly(s.body);
    for (const action of s.actions) {
      if (action.includes('*') && !(keyAccountStatement && action === 'kms:*')) problems.push(`${s.where} has the wildcard action ${action}`);
    }
    const onlyManagesConnections = s.actions.length > 0 && s.actions.every((a) => a === MANAGE_CONNECTIONS);
    const onlyWritesTraces = s.actions.length > 0 && s.actions.every((a) => (XRAY_WRITE_ACTIONS as readonly string[]).includes(a));
    for (const resource of s.resources) {
      if (logStreams.includes(resource)) continue;
      if (onlyWritesTraces && resource === '*') continue;
      if (onlyManagesConnections && connections.includes(resource)) continue;
      if (resource === '*' && isKeyPolicy(s)) continue;
      if (resource.includes('*')) problems.push(`${s.where} has the wildcard resource ${resource}`);
    }
  }
  return problems;
}

/** The roles a policy document is given to, as an inline policy. */
export function rolesOfDocument(config: TerraformConfig, document: string): string[] {
  return blocks(config, 'aws_iam_role_policy')
    .filter((b) => referencedBlock(b.body.policy, ['json']) === document)
    .flatMap((b) => referencedBlock(b.body.role, ['id', 'name']) ?? []);
}

/** Which functions are which, for pushPermissionProblems. */
export interface FunctionsBySide {
  /** The HTTP API's function blocks. */
  readonly http: readonly string[];
  /** The push side's function blocks (the WebSocket routes and the stream consumer). */
  readonly push: readonly string[];
  /** The stream consumer's function block, one of `push`. */
  readonly streamConsumer: string;
}

/**
 * Push has its own role(s), apart from the HTTP functions'. execute-api:ManageConnections is granted
 * to push roles only, on this WebSocket API's connections only (POST and DELETE, both granted;
 * POST to the stream consumer); the stream-read actions are granted to push roles only (all four
 * to the stream consumer). So the HTTP functions' role has neither.
 */
export function pushPermissionProblems(config: TerraformConfig, functions: FunctionsBySide): string[] {
  const problems: string[] = [];
  const rolesOf = (addresses: readonly string[]) => [...new Set(addresses.flatMap((a) => roleOfFunction(config, a) ?? []))];
  const [httpRoles, pushRoles] = [rolesOf(functions.http), rolesOf(functions.push)];
  const consumerRole = roleOfFunction(config, functions.streamConsumer);
  for (const role of pushRoles.filter((r) => httpRoles.includes(r))) problems.push(`${role} runs both HTTP API and push functions`);

  const connections = connectionsOfThisApi(config);
  if (connections.length === 0) problems.push('there is no WebSocket API with one stage whose connections push could manage');
  const grants = (s: Statement, action: string) => (s.body.effect ?? 'Allow') === 'Allow' && s.actions.some((p) => allows(p, action));
  for (const s of policyStatements(config)) {
    const roles = rolesOfDocument(config, documentOf(s));
    for (const action of [MANAGE_CONNECTIONS, ...STREAM_READ_ACTIONS].filter((a) => grants(s, a))) {
      for (const role of roles.filter((r) => !pushRoles.includes(r))) {
        problems.push(`${s.where} grants ${action} to ${role}, which is not the push functions' role`);
      }
    }
    if (grants(s, MANAGE_CONNECTIONS)) {
      for (const resource of s.resources.filter((r) => !connections.includes(r))) {
        problems.push(`${s.where} grants ${MANAGE_CONNECTIONS} on ${resource}, not only this WebSocket API's connections`);
      }
    }
  }

  const granted = (roles: readonly string[], action: string) =>
    roles.flatMap((role) => statementsOfRole(config, role)).filter((s) => grants(s, action));
  const managed = granted(pushRoles, MANAGE_CONNECTIONS).flatMap((s) => s.resources);
  for (const resource of connections.filter((r) => !managed.includes(r))) {
    problems.push(`no push role may call ${MANAGE_CONNECTIONS} on ${resource}`);
  }
  if (!consumerRole) return [...problems, `${functions.streamConsumer} runs with no role of this configuration`];
  const post = connections.find((r) => r.includes('/POST/'));
  if (post && !granted([consumerRole], MANAGE_CONNECTIONS).some((s) => s.resources.includes(post))) {
    problems.push(`${consumerRole}, the stream consumer's, may not post to connections (${post})`);
  }
  for (const action of STREAM_READ_ACTIONS) {
    if (granted([consumerRole], action).length === 0) problems.push(`${consumerRole}, the stream consumer's, is not granted ${action}`);
  }
  return problems;
}

/**
 * The URL of this WebSocket API's stage on the Management API, written the one way that does not
 * make a cycle: from the API's id, the region, the partition's DNS suffix and the stage's name.
 */
export function callbackUrlOfThisApi(config: TerraformConfig): string | undefined {
  const api = apiOf(config, 'WEBSOCKET');
  const stage = blocks(config, 'aws_apigatewayv2_stage').find((b) => b.body.api_id === `\${${api}.id}`);
  if (!api || !stage) return undefined;
  return `https://\${${api}.id}.execute-api.\${local.region}.\${local.dns_suffix}/${stage.body.name}`;
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

/**
 * The table has the keys, attribute types, billing mode, indexes and stream (on or off, and what it
 * carries) of tableDefinition(), and TTL on `ttlAttribute`.
 */
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

  const stream = definition.StreamSpecification;
  if ((body.stream_enabled ?? false) !== (stream?.StreamEnabled ?? false)) {
    problems.push(`${address}.stream_enabled is ${body.stream_enabled}, not ${stream?.StreamEnabled ?? false}`);
  }
  if (stream?.StreamEnabled && body.stream_view_type !== stream.StreamViewType) {
    problems.push(`${address}.stream_view_type is ${body.stream_view_type}, not ${stream.StreamViewType}`);
  }

  const ttl = nested(body, 'ttl');
  if (ttl?.attribute_name !== ttlAttribute || ttl?.enabled !== true) {
    problems.push(`${address} does not expire items by the "${ttlAttribute}" attribute (ttl is ${JSON.stringify(ttl)})`);
  }
  return problems;
}

/**
 * What each resource, data source and local value refers to (`aws_x.y`, `data.aws_x.y`, `local.z`
 * anywhere in its body, depends_on included): the graph Terraform orders its work by.
 */
export function references(config: TerraformConfig): Map<string, Set<string>> {
  const bodies = new Map<string, unknown>();
  for (const [type, byName] of Object.entries(config.resource ?? {})) {
    for (const [name, list] of Object.entries(byName)) bodies.set(`${type}.${name}`, list);
  }
  for (const [type, byName] of Object.entries(config.data ?? {})) {
    for (const [name, list] of Object.entries(byName)) bodies.set(`data.${type}.${name}`, list);
  }
  for (const [name, value] of Object.entries(locals(config))) bodies.set(`local.${name}`, value);

  const graph = new Map<string, Set<string>>();
  const reference = /(?<![\w.])(data\.[a-z0-9_]+\.[a-z0-9_]+|local\.[a-z0-9_]+|[a-z][a-z0-9]*_[a-z0-9_]+\.[a-z0-9_]+)/g;
  const strings = (value: unknown): string[] =>
    typeof value === 'string' ? [value] : typeof value === 'object' && value !== null ? Object.values(value).flatMap(strings) : [];
  for (const [node, body] of bodies) {
    const targets = strings(body).flatMap((text) => [...text.matchAll(reference)].map((m) => m[1] as string));
    graph.set(node, new Set(targets.filter((t) => bodies.has(t))));
  }
  return graph;
}

/**
 * No dependency cycle: Terraform refuses a configuration whose blocks depend on each other in a
 * ring ("Error: Cycle"), which only `terraform validate` with the providers installed would say.
 * Each ring is reported once, as its members (a strongly connected component).
 */
export function dependencyCycleProblems(config: TerraformConfig): string[] {
  const graph = references(config);
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const rings: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const ring: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      ring.push(member);
    } while (member !== node);
    if (ring.length > 1 || graph.get(node)?.has(node)) rings.push(ring.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return rings.map((ring) => `these depend on each other in a cycle: ${ring.join(', ')}`);
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
 * table, the profile, the SSM parameter holding the token secret (never the secret itself), the
 * log level, the two rate limits, source maps, the Management API URL of this WebSocket API's
 * stage (every function's: the app requires it on Lambda), Powertools' service and namespace and
 * the tracing switch; encrypted with the customer-managed key. Nothing for tests only.
 */
export function environmentProblems(
  config: TerraformConfig,
  expectedNames: readonly string[],
  references: StackReferences = STACK_REFERENCES,
): string[] {
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
    if (env.TABLE_NAME !== references.tableName) problems.push(`${address} TABLE_NAME is not the table's name`);
    if (env.TOKEN_SECRET_PARAMETER !== references.tokenSecretName) {
      problems.push(`${address} TOKEN_SECRET_PARAMETER is not the name of the token secret's parameter (${references.tokenSecretName})`);
    }
    if (env.POWERTOOLS_SERVICE_NAME !== '${var.settings.name_prefix}') problems.push(`${address} POWERTOOLS_SERVICE_NAME is not the deployment's prefix`);
    const callbackUrl = resolve(config, env.WEBSOCKET_CALLBACK_URL);
    if (callbackUrl !== callbackUrlOfThisApi(config)) {
      problems.push(`${address} WEBSOCKET_CALLBACK_URL is ${callbackUrl}, not ${callbackUrlOfThisApi(config)} (this WebSocket API's stage)`);
    }
    if (body.kms_key_arn !== references.keyArn) problems.push(`${address} does not encrypt its environment with the customer-managed key`);
    // Several regions (docs/multi-region.md, section 7): the app reads these three.
    const multiRegion: Record<string, string> = {
      MULTI_REGION: '${local.multi_region ? "on" : "off"}',
      REGIONS: '${join(",", var.settings.regions)}',
      REPLICATION_LAG_BOUND_MS: '${tostring(var.settings.replication_lag_bound_ms)}',
    };
    for (const [name, value] of Object.entries(multiRegion)) {
      if (expectedNames.includes(name) && env[name] !== value) problems.push(`${address} ${name} is ${env[name]}, not ${value}`);
    }
  }
  return problems;
}
