// The switches of issue 17 (docs/multi-region.md, section 6), checked on the parsed configuration:
// the regional module instantiated once per region and given that region's resources, every
// regional resource in its own region, a deployed single-region state moved rather than recreated,
// the table's replicas, cross-region permissions, provisioned concurrency through an alias, the
// custom domain with TLS and latency routing, and the replication alarms. Each check answers the
// problems it finds; multiRegion.test.ts also runs each on copies broken for it.
import { METRIC } from '../../src/adapters/lambda/ServiceMetrics.js';
import { schemaFor } from './providerSchema.js';
import { PROVISIONED, ROUTE_INVOKE_ARN, policyStatements } from './terraformChecks.js';
import {
  MODULE_META_ARGUMENTS,
  blocks,
  findBlock,
  list,
  locals,
  nested,
  type Body,
  type TerraformConfig,
} from './terraformConfig.js';

/** A value with its objects' keys sorted, so that two values compare whatever their key order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Body)[key])]));
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** Each of `expected`'s arguments of `body` has exactly that value. */
function argumentsProblems(address: string, body: Body | undefined, expected: Readonly<Record<string, unknown>>): string[] {
  if (!body) return [`${address} is missing`];
  return Object.entries(expected)
    .filter(([name, value]) => !same(body[name], value))
    .map(([name, value]) => `${address}.${name} is ${JSON.stringify(body[name])}, not ${JSON.stringify(value)}`);
}

// ---- The module, once per region ---------------------------------------------------------------

/** What only the primary and only the replicas pass: each its own region's resources. */
export const REGION_SPECIFIC: Readonly<Record<'primary' | 'replica', Readonly<Record<string, string>>>> = {
  primary: {
    region: '${local.region}',
    stream_arn: '${aws_dynamodb_table.main.stream_arn}',
    kms_key_arn: '${aws_kms_key.main.arn}',
    kms_key_policy_id: '${aws_kms_key_policy.main.id}',
    token_secret_parameter_name: '${aws_ssm_parameter.token_secret.name}',
    token_secret_parameter_arn: '${aws_ssm_parameter.token_secret.arn}',
    apigateway_logging_role_exists: '${var.apigateway_logging_role_exists}',
  },
  replica: {
    region: '${each.key}',
    stream_arn: '${local.replica_stream_arns[each.key]}',
    kms_key_arn: '${aws_kms_key.replica[each.key].arn}',
    kms_key_policy_id: '${aws_kms_key_policy.replica[each.key].id}',
    token_secret_parameter_name: '${aws_ssm_parameter.token_secret_replica[each.key].name}',
    token_secret_parameter_arn: '${aws_ssm_parameter.token_secret_replica[each.key].arn}',
    apigateway_logging_role_exists: '${contains(var.apigateway_logging_role_replica_regions, each.key)}',
  },
};

/** What every region's stack is given alike (local.settings) that is not a root variable of the same name. */
export const SHARED: Readonly<Record<string, string>> = {
  regions: '${local.regions}',
  lambda_zip: '${local.lambda_zip}',
  table_name: '${aws_dynamodb_table.main.name}',
  kms_key_arns: '${values(local.key_arns)}',
};

/** What both calls pass as the module's var.settings: one object, written once. */
export const SETTINGS = '${local.settings}';

/** The root's locals the calls depend on: every region with the primary first, each replica's stream, each region's key. */
export const REGION_LOCALS: Readonly<Record<string, string>> = {
  regions: '${concat([local.region], var.replica_regions)}',
  multi_region: '${length(var.replica_regions) > 0}',
  replica_stream_arns: '${{ for replica in aws_dynamodb_table.main.replica : replica.region_name => replica.stream_arn }}',
  key_arns: '${merge({ (local.region) = aws_kms_key.main.arn }, { for region, key in aws_kms_key.replica : region => key.arn })}',
};

/**
 * The attributes of the module's var.settings, read from its type, `object({ name = type ... })`
 * (one attribute a line, comments aside); undefined when it is no object type.
 */
export function settingNames(module: TerraformConfig): string[] | undefined {
  const type = /^\$\{object\(\{([\s\S]*)\}\)\}$/.exec(String(module.variable?.settings?.[0]?.type ?? ''))?.[1];
  if (type === undefined) return undefined;
  return [...type.replace(/#.*$/gm, '').matchAll(/^\s*([a-z_][a-z0-9_]*)\s*=/gm)].map((m) => m[1] as string);
}

/**
 * The root makes the regional module twice: module.primary, and module.replica with one instance
 * per replica region. Each passes only variables the module declares and every one it requires;
 * each passes its own region's stream, key, key policy and token secret parameter; both pass the
 * same settings, local.settings, which gives every attribute var.settings declares and nothing
 * else: the root's values of SHARED, and each root variable of the same name as itself.
 */
export function moduleCallProblems(root: TerraformConfig, module: TerraformConfig): string[] {
  const problems: string[] = [];
  const declared = module.variable ?? {};
  for (const [call, specific] of Object.entries(REGION_SPECIFIC)) {
    const body = root.module?.[call]?.[0];
    if (!body) {
      problems.push(`module.${call} is missing`);
      continue;
    }
    if (body.source !== './modules/region') problems.push(`module.${call} is made from ${body.source}, not ./modules/region`);
    const args = Object.keys(body).filter((name) => !MODULE_META_ARGUMENTS.has(name));
    for (const name of args.filter((n) => !declared[n])) problems.push(`module.${call} passes ${name}, which the module does not declare`);
    for (const [name, [variable]] of Object.entries(declared)) {
      if (variable?.default === undefined && !args.includes(name)) problems.push(`module.${call} does not pass ${name}, which the module requires`);
    }
    problems.push(...argumentsProblems(`module.${call}`, body, { ...specific, settings: SETTINGS }));
    for (const name of args.filter((n) => !(n in specific) && n !== 'settings')) {
      if (body[name] !== `\${var.${name}}`) problems.push(`module.${call}.${name} is ${body[name]}, not the root's var.${name}`);
    }
  }
  const replica = root.module?.replica?.[0];
  if (replica && replica.for_each !== '${toset(var.replica_regions)}') problems.push(`module.replica is made for ${replica.for_each}, not each of var.replica_regions`);
  const rootLocals = locals(root);
  for (const [name, value] of Object.entries(REGION_LOCALS)) {
    if (rootLocals[name] !== value) problems.push(`local.${name} is ${rootLocals[name]}, not ${value}`);
  }

  const names = settingNames(module);
  const settings = rootLocals.settings as Body | undefined;
  if (!names) problems.push(`the module's var.settings is ${module.variable?.settings?.[0]?.type}, not an object type`);
  if (typeof settings !== 'object' || settings === null) return [...problems, `local.settings is ${settings}, not an object of the settings`];
  for (const name of (names ?? []).filter((n) => !(n in settings))) problems.push(`local.settings does not give ${name}, which var.settings requires`);
  for (const name of Object.keys(settings).filter((n) => names && !names.includes(n))) problems.push(`local.settings gives ${name}, which var.settings does not declare`);
  problems.push(...argumentsProblems('local.settings', settings, SHARED));
  for (const name of Object.keys(settings).filter((n) => !(n in SHARED))) {
    if (settings[name] !== `\${var.${name}}`) problems.push(`local.settings.${name} is ${settings[name]}, not the root's var.${name}`);
  }
  for (const name of Object.keys(root.variable ?? {}).filter((n) => names?.includes(n) && !(n in SHARED))) {
    if (!(name in settings)) problems.push(`local.settings does not pass the root's ${name} on`);
  }
  return problems;
}

/**
 * Every regional resource is made in its own region. In the module, each resource and data source
 * whose type has the provider's per-resource `region` sets it to var.region (one left out would go
 * to the provider's region, the primary's, from every replica's stack). In the root, each such
 * block made per region (for_each) sets region = each.key, and one made once sets none (the
 * provider's region, the primary's).
 */
export function regionArgumentProblems(root: TerraformConfig, module: TerraformConfig): string[] {
  const problems: string[] = [];
  const regional = (kind: 'resource' | 'data', type: string) => schemaFor(kind === 'data' ? `data.${type}` : type)?.attributes.has('region') === true;
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries(module[kind] ?? {})) {
      if (!regional(kind, type)) continue;
      for (const [name, [body]] of Object.entries(byName)) {
        if (body?.region !== '${var.region}') problems.push(`${kind === 'data' ? 'data.' : ''}${type}.${name} in modules/region is made in ${body?.region ?? "the provider's region"}, not var.region`);
      }
    }
    for (const [type, byName] of Object.entries(root[kind] ?? {})) {
      if (!regional(kind, type)) continue;
      for (const [name, [body]] of Object.entries(byName)) {
        const address = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
        if (body?.for_each !== undefined && body.region !== '${each.key}') problems.push(`${address} is made for each region but in ${body.region ?? "the provider's region"}, not each.key`);
        if (body?.for_each === undefined && body?.region !== undefined) problems.push(`${address} is made once, in ${body.region}: leave the primary's to the provider`);
      }
    }
  }
  return problems;
}

/** An issue-16 state's resources: address and instance form (test/fixtures/terraform). */
export type StateResources = readonly (readonly [address: string, form: 'single' | 'count' | 'for_each'])[];

function formOf(body: Body): 'single' | 'count' | 'for_each' {
  return body.for_each !== undefined ? 'for_each' : body.count !== undefined ? 'count' : 'single';
}

/**
 * Applied to a state made before the module (`deployed`), nothing is recreated: each resource is
 * still at the root, or a moved block takes it to module.primary, where it has the same instance
 * form (for_each, count or one). Every moved block goes from an address no longer at the root to
 * one the module has.
 */
export function movedProblems(root: TerraformConfig, module: TerraformConfig, deployed: StateResources): string[] {
  const problems: string[] = [];
  const moves = new Map<string, string>();
  for (const move of list(root.moved) as Body[]) {
    const [from, to] = [String(move.from).replace(/^\$\{|\}$/g, ''), String(move.to).replace(/^\$\{|\}$/g, '')];
    moves.set(from, to);
    if (findBlock(root, from)) problems.push(`moved block from ${from}, which is still at the root`);
    const target = /^module\.primary\.(.+)$/.exec(to)?.[1];
    if (!target || !findBlock(module, target)) problems.push(`moved block to ${to}, which module.primary does not have`);
  }
  for (const [address, form] of deployed) {
    const atRoot = findBlock(root, address);
    if (atRoot) {
      if (formOf(atRoot) !== form) problems.push(`${address} was made with ${form}, now with ${formOf(atRoot)}: its instances would be recreated`);
      continue;
    }
    const to = moves.get(address);
    if (!to) {
      problems.push(`${address} of a deployed stack would be destroyed and made again: no moved block takes it into module.primary`);
      continue;
    }
    const moved = findBlock(module, to.replace(/^module\.primary\./, ''));
    if (moved && formOf(moved) !== form) problems.push(`${address} was made with ${form}, ${to} is made with ${formOf(moved)}: its instances would be recreated`);
  }
  return problems;
}

// ---- The table, keys and permissions across regions --------------------------------------------

/**
 * The table is a global table with a replica in each of var.replica_regions: multi-Region eventual
 * consistency, under that region's key, with point-in-time recovery (off by default on a replica)
 * and the table's deletion protection. Each replica region has a key of its own, rotated.
 */
export function replicaProblems(root: TerraformConfig): string[] {
  const table = findBlock(root, 'aws_dynamodb_table.main');
  if (!table) return ['aws_dynamodb_table.main is missing'];
  const problems: string[] = [];
  const replica = (list(table.dynamic?.replica) as Body[])[0];
  if (!replica) problems.push('aws_dynamodb_table.main has no replica for each of var.replica_regions');
  else {
    if (replica.for_each !== '${var.replica_regions}') problems.push(`aws_dynamodb_table.main's replicas are ${replica.for_each}, not var.replica_regions`);
    problems.push(
      ...argumentsProblems('aws_dynamodb_table.main replica', (list(replica.content) as Body[])[0], {
        region_name: '${replica.value}',
        kms_key_arn: '${aws_kms_key.replica[replica.value].arn}',
        point_in_time_recovery: true,
        deletion_protection_enabled: '${var.table_deletion_protection}',
        consistency_mode: 'EVENTUAL',
        propagate_tags: true,
      }),
    );
  }
  if (list(table.replica).length > 0) problems.push('aws_dynamodb_table.main names replicas of its own, beside var.replica_regions');
  problems.push(
    ...argumentsProblems('aws_kms_key.replica', findBlock(root, 'aws_kms_key.replica'), {
      for_each: '${toset(var.replica_regions)}',
      region: '${each.key}',
      enable_key_rotation: true,
    }),
  );
  return problems;
}

/** The ARNs of the table's replica in every region of the stack, and in its own. */
export const TABLE_ARNS = '${[for r in var.settings.regions : "arn:${local.partition}:dynamodb:${r}:${local.account_id}:table/${var.settings.table_name}"]}';
export const TABLE_ARN = 'arn:${local.partition}:dynamodb:${var.region}:${local.account_id}:table/${var.settings.table_name}';

/**
 * Across regions: the HTTP functions' role may use the table in every region (a decision is taken
 * at the data's home) and decrypt with every region's key; the push role, the connection records
 * of its own region's replica only. Each region's push role may close (DELETE) the connections of
 * every other region's WebSocket stage, and post (POST) only to its own: the root's
 * push_remote_close grants DELETE on the others' stages, nothing else, to the right role.
 */
export function crossRegionPermissionProblems(root: TerraformConfig, stack: TerraformConfig): string[] {
  const problems: string[] = [];
  const stackLocals = locals(stack);
  if (stackLocals.table_arns !== TABLE_ARNS) problems.push(`local.table_arns is ${stackLocals.table_arns}, not every region's replica (${TABLE_ARNS})`);
  if (stackLocals.table_arn !== TABLE_ARN) problems.push(`local.table_arn is ${stackLocals.table_arn}, not this region's replica (${TABLE_ARN})`);
  const statement = (document: string, sid: string) =>
    policyStatements(stack).find((s) => s.where === `data.aws_iam_policy_document.${document} statement ${sid}`);
  const expect = (document: string, sid: string, resources: unknown) => {
    const s = statement(document, sid);
    if (!s) problems.push(`data.aws_iam_policy_document.${document} has no statement ${sid}`);
    else if (!same(s.body.resources, resources)) problems.push(`${s.where} names ${JSON.stringify(s.body.resources)}, not ${JSON.stringify(resources)}`);
  };
  expect('function', 'Table', '${local.table_arns}');
  expect('function', 'DecryptWithTheKey', '${var.settings.kms_key_arns}');
  expect('push', 'ConnectionRecords', ['${local.table_arn}']);

  const forEachRegion = '${local.multi_region ? toset(local.regions) : toset([])}';
  const document = findBlock(root, 'data.aws_iam_policy_document.push_remote_close');
  if (!document) problems.push('data.aws_iam_policy_document.push_remote_close is missing: no push role may close a connection held in another region');
  else {
    if (document.for_each !== forEachRegion) problems.push(`data.aws_iam_policy_document.push_remote_close is made for ${document.for_each}, not each region when there are several`);
    const statements = policyStatements(root).filter((s) => s.where.startsWith('data.aws_iam_policy_document.push_remote_close '));
    for (const s of statements) {
      if (!same(s.actions, ['execute-api:ManageConnections'])) problems.push(`${s.where} grants ${s.actions.join(', ')}, not only execute-api:ManageConnections`);
      const resources = s.resources.join(' ');
      if (!/\/DELETE\/@connections\/\*/.test(resources) || /\/(POST|GET|\*)\/@connections/.test(resources)) {
        problems.push(`${s.where} grants ${resources}: closing (DELETE) connections only`);
      }
      if (!/for region, stack in local\.stacks :/.test(resources) || !/if region != each\.key\]/.test(resources)) {
        problems.push(`${s.where} does not name every other region's stage (local.stacks, if region != each.key)`);
      }
      if (!resources.includes('${stack.websocket_execution_arn}/${stack.websocket_stage_name}/')) problems.push(`${s.where} does not name the stacks' WebSocket stages`);
    }
    if (statements.length === 0) problems.push('data.aws_iam_policy_document.push_remote_close grants nothing');
  }
  problems.push(
    ...argumentsProblems('aws_iam_role_policy.push_remote_close', findBlock(root, 'aws_iam_role_policy.push_remote_close'), {
      for_each: forEachRegion,
      role: '${local.stacks[each.key].push_role_name}',
      policy: '${data.aws_iam_policy_document.push_remote_close[each.key].json}',
    }),
  );
  const outputs: Record<string, string> = {
    push_role_name: '${aws_iam_role.push.name}',
    websocket_execution_arn: '${aws_apigatewayv2_api.websocket.execution_arn}',
    websocket_stage_name: '${aws_apigatewayv2_stage.websocket.name}',
  };
  for (const [name, value] of Object.entries(outputs)) {
    const found = stack.output?.[name]?.[0]?.value;
    if (found !== value) problems.push(`the module's output ${name} is ${found}, not ${value}`);
  }
  return problems;
}

// ---- Provisioned concurrency ---------------------------------------------------------------------

/** The route names provisioned_concurrency's validation accepts, read from its condition. */
export function provisionedRouteNames(root: TerraformConfig): string[] | undefined {
  const conditions = (list(root.variable?.provisioned_concurrency?.[0]?.validation) as Body[]).map((v) => String(v.condition));
  for (const condition of conditions) {
    const names = /contains\(\[([^\]]*)\], route\)/.exec(condition)?.[1];
    if (names !== undefined) return [...names.matchAll(/"([a-z_]+)"/g)].map((m) => m[1] as string);
  }
  return undefined;
}

/**
 * provisioned_concurrency (none by default) accepts exactly the HTTP routes; a route in it publishes
 * a version, has the alias live on the newest with that many provisioned instances, and API
 * Gateway invokes the alias (integration and permission); other routes, and the push functions,
 * are unchanged. Provisioned concurrency on $LATEST is refused by Lambda.
 */
export function provisionedConcurrencyProblems(root: TerraformConfig, stack: TerraformConfig): string[] {
  const problems: string[] = [];
  const variable = root.variable?.provisioned_concurrency?.[0];
  if (!variable) return ['variable provisioned_concurrency is missing'];
  if (!same(variable.default, {})) problems.push(`provisioned_concurrency defaults to ${JSON.stringify(variable.default)}, not {} (none)`);
  const accepted = provisionedRouteNames(root);
  const routes = Object.keys(locals(stack).routes ?? {});
  if (!accepted) problems.push("provisioned_concurrency's validation does not list the routes it accepts");
  else if (!same([...accepted].sort(), [...routes].sort())) {
    problems.push(`provisioned_concurrency accepts ${accepted.join(', ')}; the routes are ${routes.join(', ')}`);
  }
  const route = findBlock(stack, 'aws_lambda_function.route');
  if (route?.publish !== `\${${PROVISIONED}}`) problems.push(`aws_lambda_function.route publishes ${route?.publish}, not a version for the routes in provisioned_concurrency`);
  for (const address of ['aws_lambda_function.websocket', 'aws_lambda_function.push_from_stream']) {
    if (findBlock(stack, address)?.publish !== undefined) problems.push(`${address} publishes versions: provisioned concurrency is for HTTP routes only`);
  }
  problems.push(
    ...argumentsProblems('aws_lambda_alias.live', findBlock(stack, 'aws_lambda_alias.live'), {
      for_each: '${var.settings.provisioned_concurrency}',
      name: 'live',
      function_name: '${aws_lambda_function.route[each.key].function_name}',
      function_version: '${aws_lambda_function.route[each.key].version}',
    }),
    ...argumentsProblems('aws_lambda_provisioned_concurrency_config.live', findBlock(stack, 'aws_lambda_provisioned_concurrency_config.live'), {
      for_each: '${var.settings.provisioned_concurrency}',
      function_name: '${aws_lambda_alias.live[each.key].function_name}',
      qualifier: '${aws_lambda_alias.live[each.key].name}',
      provisioned_concurrent_executions: '${each.value}',
    }),
    ...argumentsProblems('aws_apigatewayv2_integration.route', findBlock(stack, 'aws_apigatewayv2_integration.route'), { integration_uri: ROUTE_INVOKE_ARN }),
    ...argumentsProblems('aws_lambda_permission.route', findBlock(stack, 'aws_lambda_permission.route'), {
      qualifier: `\${${PROVISIONED} ? aws_lambda_alias.live[each.key].name : null}`,
    }),
  );
  return problems;
}

// ---- The custom domain ----------------------------------------------------------------------------

export const DOMAIN_LOCALS: Readonly<Record<string, string>> = {
  websocket_domain_name: '${var.domain_name == null ? null : "ws.${var.domain_name}"}',
  domain_regions: '${var.domain_name == null ? toset([]) : toset(local.regions)}',
  health_check_regions: '${local.multi_region ? local.domain_regions : toset([])}',
};

/**
 * domain_name (off by default; hosted_zone_id with it): in every region an ACM certificate for
 * both names validated by DNS, with one validation record per name (from one certificate: the
 * record is the same in every region, and keyed by name a region's coming or going never touches
 * another's renewal record); a regional custom domain for each API with TLS 1.2 at least, mapped
 * to its API's stage; alias records in the zone, latency-based with a health check of the
 * region's /health when there are several regions, plain otherwise.
 */
export function domainProblems(root: TerraformConfig, stack: TerraformConfig): string[] {
  const problems: string[] = [];
  for (const name of ['domain_name', 'hosted_zone_id']) {
    const variable = root.variable?.[name]?.[0];
    if (!variable) problems.push(`variable ${name} is missing`);
    else if (variable.default !== null) problems.push(`${name} defaults to ${JSON.stringify(variable.default)}, not null (no custom domain)`);
  }
  const rootLocals = locals(root);
  for (const [name, value] of Object.entries(DOMAIN_LOCALS)) {
    if (rootLocals[name] !== value) problems.push(`local.${name} is ${rootLocals[name]}, not ${value}`);
  }
  const perRegion = { for_each: '${local.domain_regions}', region: '${each.key}' };
  problems.push(
    ...argumentsProblems('aws_acm_certificate.region', findBlock(root, 'aws_acm_certificate.region'), {
      ...perRegion,
      domain_name: '${var.domain_name}',
      subject_alternative_names: ['${local.websocket_domain_name}'],
      validation_method: 'DNS',
    }),
    ...argumentsProblems('aws_route53_record.certificate_validation', findBlock(root, 'aws_route53_record.certificate_validation'), {
      for_each:
        '${var.domain_name == null ? {} : { for option in aws_acm_certificate.region[local.region].domain_validation_options : option.domain_name => option }}',
      zone_id: '${var.hosted_zone_id}',
      name: '${each.value.resource_record_name}',
      type: '${each.value.resource_record_type}',
      records: ['${each.value.resource_record_value}'],
      allow_overwrite: true,
    }),
    ...argumentsProblems('aws_acm_certificate_validation.region', findBlock(root, 'aws_acm_certificate_validation.region'), {
      ...perRegion,
      certificate_arn: '${aws_acm_certificate.region[each.key].arn}',
      validation_record_fqdns: '${[for record in aws_route53_record.certificate_validation : record.fqdn]}',
    }),
  );
  const apis = {
    http: { name: '${var.domain_name}', api: 'http_api_id', stage: 'http_stage_name' },
    websocket: { name: '${local.websocket_domain_name}', api: 'websocket_api_id', stage: 'websocket_stage_name' },
  };
  for (const [key, api] of Object.entries(apis)) {
    const domain = findBlock(root, `aws_apigatewayv2_domain_name.${key}`);
    problems.push(...argumentsProblems(`aws_apigatewayv2_domain_name.${key}`, domain, { ...perRegion, domain_name: api.name }));
    problems.push(
      ...argumentsProblems(`aws_apigatewayv2_domain_name.${key} domain_name_configuration`, domain && nested(domain, 'domain_name_configuration'), {
        certificate_arn: '${aws_acm_certificate_validation.region[each.key].certificate_arn}',
        endpoint_type: 'REGIONAL',
        security_policy: 'TLS_1_2',
      }),
      ...argumentsProblems(`aws_apigatewayv2_api_mapping.${key}`, findBlock(root, `aws_apigatewayv2_api_mapping.${key}`), {
        ...perRegion,
        api_id: `\${local.stacks[each.key].${api.api}}`,
        domain_name: `\${aws_apigatewayv2_domain_name.${key}[each.key].id}`,
        stage: `\${local.stacks[each.key].${api.stage}}`,
      }),
    );
    const record = findBlock(root, `aws_route53_record.${key}`);
    problems.push(
      ...argumentsProblems(`aws_route53_record.${key}`, record, {
        for_each: '${local.domain_regions}',
        zone_id: '${var.hosted_zone_id}',
        name: api.name,
        type: 'A',
        set_identifier: '${local.multi_region ? each.key : null}',
        health_check_id: '${local.multi_region ? aws_route53_health_check.region[each.key].id : null}',
      }),
      ...argumentsProblems(`aws_route53_record.${key} alias`, record && nested(record, 'alias'), {
        name: `\${aws_apigatewayv2_domain_name.${key}[each.key].domain_name_configuration[0].target_domain_name}`,
        zone_id: `\${aws_apigatewayv2_domain_name.${key}[each.key].domain_name_configuration[0].hosted_zone_id}`,
        evaluate_target_health: true,
      }),
    );
    const latency = (list(record?.dynamic?.latency_routing_policy) as Body[])[0];
    if (!latency || latency.for_each !== '${local.multi_region ? [each.key] : []}' || (list(latency.content) as Body[])[0]?.region !== '${latency_routing_policy.value}') {
      problems.push(`aws_route53_record.${key} is not latency-based (in its region) exactly when there are several regions`);
    }
  }
  problems.push(
    ...argumentsProblems('aws_route53_health_check.region', findBlock(root, 'aws_route53_health_check.region'), {
      for_each: '${local.health_check_regions}',
      type: 'HTTPS',
      fqdn: '${local.stacks[each.key].http_api_host}',
      port: 443,
      resource_path: '/health',
      enable_sni: true,
    }),
  );
  const host = stack.output?.http_api_host?.[0]?.value;
  const expectedHost = '${aws_apigatewayv2_api.main.id}.execute-api.${var.region}.${local.dns_suffix}';
  if (host !== expectedHost) problems.push(`the module's output http_api_host is ${host}, not ${expectedHost}`);
  return problems;
}

// ---- Replication alarms ------------------------------------------------------------------------

/**
 * The app's metric for an inbox item replicated later than the settle window (docs/multi-region.md,
 * D4): the name the stream consumer emits it under, so the alarm and the app cannot drift apart.
 */
export const LATE_REPLICATED_INBOX = METRIC.lateReplicatedInbox;

/**
 * With several regions, each region watches what it replicates to each other one: ReplicationLatency
 * (AWS/DynamoDB, in the source region, by table and receiving region) above
 * REPLICATION_LAG_BOUND_MS pages, above half of it for 3 of 5 minutes warns; and the app's
 * LateReplicatedInbox above 0 pages. Missing data is no alarm (no writes, no metric). Every
 * alarm's topic is checked by alarmProblems.
 */
export function replicationAlarmProblems(stack: TerraformConfig): string[] {
  const problems: string[] = [];
  const stackLocals = locals(stack);
  if (stackLocals.other_regions !== '${[for r in var.settings.regions : r if r != var.region]}') problems.push(`local.other_regions is ${stackLocals.other_regions}, not every region but this one`);
  if (stackLocals.multi_region !== '${length(var.settings.regions) > 1}') problems.push(`local.multi_region is ${stackLocals.multi_region}, not "more than one region"`);
  const latency = {
    for_each: '${toset(local.other_regions)}',
    namespace: 'AWS/DynamoDB',
    metric_name: 'ReplicationLatency',
    dimensions: { TableName: '${var.settings.table_name}', ReceivingRegion: '${each.key}' },
    statistic: 'Maximum',
    comparison_operator: 'GreaterThanThreshold',
    treat_missing_data: 'notBreaching',
  };
  problems.push(
    ...argumentsProblems('aws_cloudwatch_metric_alarm.replication_latency', findBlock(stack, 'aws_cloudwatch_metric_alarm.replication_latency'), {
      ...latency,
      threshold: '${var.settings.replication_lag_bound_ms}',
    }),
    ...argumentsProblems('aws_cloudwatch_metric_alarm.replication_latency_warning', findBlock(stack, 'aws_cloudwatch_metric_alarm.replication_latency_warning'), {
      ...latency,
      threshold: '${var.settings.replication_lag_bound_ms / 2}',
      evaluation_periods: 5,
      datapoints_to_alarm: 3,
    }),
    ...argumentsProblems('aws_cloudwatch_metric_alarm.late_replicated_inbox', findBlock(stack, 'aws_cloudwatch_metric_alarm.late_replicated_inbox'), {
      count: '${local.multi_region ? 1 : 0}',
      namespace: '${local.metrics_namespace}',
      metric_name: '${local.late_replicated_inbox_metric}',
      dimensions: '${local.service_dimension}',
      statistic: 'Sum',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
    }),
  );
  if (stackLocals.late_replicated_inbox_metric !== LATE_REPLICATED_INBOX) {
    problems.push(`local.late_replicated_inbox_metric is ${stackLocals.late_replicated_inbox_metric}, not the app's ${LATE_REPLICATED_INBOX}`);
  }
  return problems;
}

/** Every switch of issue 17 is off unless asked: one region, no provisioned concurrency, no custom domain. */
export const SWITCH_DEFAULTS: Readonly<Record<string, unknown>> = {
  replica_regions: [],
  provisioned_concurrency: {},
  domain_name: null,
  hosted_zone_id: null,
};

export function switchDefaultProblems(root: TerraformConfig): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(SWITCH_DEFAULTS)) {
    const variable = root.variable?.[name]?.[0];
    if (!variable) problems.push(`variable ${name} is missing`);
    else {
      if (!same(variable.default, value)) problems.push(`${name} defaults to ${JSON.stringify(variable.default)}, not ${JSON.stringify(value)} (off)`);
      if (list(variable.validation).length === 0) problems.push(`${name} has no validation`);
    }
  }
  return problems;
}
