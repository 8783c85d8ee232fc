// infra/terraform parsed into plain data with @cdktf/hcl2json (HCL's own parser, compiled to
// WebAssembly: no terraform binary, no providers, no network), and the few lookups the checks
// need: blocks by type, for_each instances, and the values of simple references. The root module
// and the regional module (modules/region) are parsed apart, as Terraform reads them; stackOf()
// gives the regional module as the root's module.primary instantiates it.
//
// In the parsed form every block is a list (`resource.aws_lambda_function.route[0]`) and every
// expression that is not a literal is a string such as "${var.memory_size}".
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// Loaded with require() so that TypeScript never reads the package's own declarations: they carry
// `/// <reference lib="dom" />`, which would put the DOM's types (fetch, Response...) into the
// whole project's type check.
const { convertFiles, parse } = createRequire(import.meta.url)('@cdktf/hcl2json') as {
  convertFiles(directory: string): Promise<Record<string, unknown>>;
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
};

export const TERRAFORM_DIR = fileURLToPath(new URL('../../infra/terraform/', import.meta.url));
/** The module every region's stack is made from (module.primary, module.replica[<region>]). */
export const REGION_MODULE_DIR = fileURLToPath(new URL('../../infra/terraform/modules/region/', import.meta.url));

export type Body = Record<string, any>;

export interface TerraformConfig {
  terraform?: Body[];
  module?: Record<string, Body[]>;
  moved?: Body[];
  provider?: Record<string, Body[]>;
  variable?: Record<string, Body[]>;
  output?: Record<string, Body[]>;
  locals?: Body[];
  resource?: Record<string, Record<string, Body[]>>;
  data?: Record<string, Record<string, Body[]>>;
}

export async function loadTerraform(dir = TERRAFORM_DIR): Promise<TerraformConfig> {
  return (await convertFiles(dir)) as TerraformConfig;
}

/** The regional module, parsed on its own. */
export async function loadRegionModule(): Promise<TerraformConfig> {
  return loadTerraform(REGION_MODULE_DIR);
}

/** A module call's arguments that are Terraform's, not the module's variables. */
export const MODULE_META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'depends_on', 'providers']);

/**
 * The regional module as `module.<call>` of the root instantiates it: the module's own blocks,
 * each variable's default replaced by the value the call passes, where that is a literal once the
 * root's variables and locals are followed, and var.settings's by the attributes that are
 * (var.settings.log_retention_days -> 30, var.settings.provisioned_concurrency -> {}). Values that
 * are expressions of the root (the table's name, the key's ARN) are left out: checks compare the
 * module's references (var.settings.table_name) and, apart, what the root passes.
 */
export function stackOf(root: TerraformConfig, module: TerraformConfig, call = 'primary'): TerraformConfig {
  const args = root.module?.[call]?.[0];
  if (!args) throw new Error(`infra/terraform has no module "${call}"`);
  const stack = copyOf(module);
  // A literal, or a path from the root's directory (what path.module is when Terraform runs there).
  const literal = (value: unknown) => !JSON.stringify(value ?? null).replaceAll('${path.module}', '').includes('${');
  for (const [name, [body]] of Object.entries(stack.variable ?? {})) {
    if (!body || !(name in args)) continue;
    const value = resolve(root, args[name]);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      // An object (var.settings): each attribute followed on its own, the literal ones kept.
      const attributes = Object.entries(value as Body).map(([key, v]) => [key, resolve(root, v)] as const);
      body.default = Object.fromEntries(attributes.filter(([, v]) => literal(v)).map(([key, v]) => [key, v ?? null]));
    } else if (literal(value)) body.default = value ?? null;
  }
  return stack;
}

/**
 * What the regional stack was given as one of its settings (var.settings.<name>, as stackOf()
 * resolved it): undefined where the root passes an expression of its own (the table's name).
 */
export function setting(stack: TerraformConfig, name: string): unknown {
  return (variable(stack, 'settings').default as Body | undefined)?.[name];
}

/**
 * Root and stack together, for the rules that look at each resource on its own (the schema, the
 * scanners'): their resources and data sources side by side, each under its own address (a data
 * source both read the same way, such as aws_caller_identity, once). Where both declare a
 * variable (name_prefix, region), the root's is kept: it is what users set.
 */
export function combined(root: TerraformConfig, stack: TerraformConfig): TerraformConfig {
  const merge = (kind: 'resource' | 'data'): Record<string, Record<string, Body[]>> => {
    const out: Record<string, Record<string, Body[]>> = structuredClone(root[kind] ?? {});
    for (const [type, byName] of Object.entries(stack[kind] ?? {})) {
      for (const [name, bodies] of Object.entries(byName)) {
        const same = JSON.stringify(out[type]?.[name]) === JSON.stringify(bodies);
        if (out[type]?.[name] && !same) throw new Error(`${kind} ${type}.${name} is both in the root and in the regional module`);
        (out[type] ??= {})[name] = structuredClone(bodies);
      }
    }
    return out;
  };
  return {
    ...copyOf(root),
    resource: merge('resource'),
    data: merge('data'),
    variable: { ...structuredClone(stack.variable ?? {}), ...structuredClone(root.variable ?? {}) },
    locals: [...structuredClone(root.locals ?? []), ...structuredClone(stack.locals ?? [])],
  };
}

export async function loadTfvars(path: string): Promise<Record<string, unknown>> {
  return parse(path, readFileSync(path, 'utf8'));
}

/** A deep copy, to break on purpose in tests that prove a check can fail. */
export function copyOf(config: TerraformConfig): TerraformConfig {
  return structuredClone(config);
}

/** One resource (or data source) block with its address, e.g. `aws_lambda_function.route`. */
export interface Block {
  address: string;
  body: Body;
}

/** Every `resource` block of a type; `data.TYPE` for data sources. */
export function blocks(config: TerraformConfig, type: string): Block[] {
  const [kind, name] = type.startsWith('data.') ? (['data', type.slice(5)] as const) : (['resource', type] as const);
  const ofType = config[kind]?.[name] ?? {};
  return Object.entries(ofType).flatMap(([label, bodies]) =>
    bodies.map((body) => ({ address: `${type}.${label}`, body })),
  );
}

/** One block's body by its address (`aws_sns_topic.alarms`, `data.aws_iam_policy_document.key`), or undefined. */
export function findBlock(config: TerraformConfig, address: string): Body | undefined {
  return blocks(config, address.slice(0, address.lastIndexOf('.'))).find((b) => b.address === address)?.body;
}

export function block(config: TerraformConfig, address: string): Body {
  const found = findBlock(config, address);
  if (!found) throw new Error(`infra/terraform has no ${address}`);
  return found;
}

export function locals(config: TerraformConfig): Body {
  return Object.assign({}, ...(config.locals ?? []));
}

/** `local.routes`: the one map every per-route resource iterates over. */
export function routeMap(config: TerraformConfig): Record<string, Body> {
  return locals(config).routes ?? {};
}

/** What `${each.key}` and `${each.value.*}` stand for in one instance of a for_each block. */
export interface Each {
  key: string;
  value: Body;
}

/**
 * A block's instances: one per entry of its for_each map (`aws_x.y["key"]`) or set
 * (`toset(var.replica_regions)`, each value its own key), or the block itself.
 */
export function instances(config: TerraformConfig, type: string): (Block & { each?: Each })[] {
  return blocks(config, type).flatMap((b) => instancesOf(config, b));
}

/** instances(), keeping a block as it is where its for_each cannot be evaluated here (a condition). */
export function evaluableInstances(config: TerraformConfig, type: string): (Block & { each?: Each })[] {
  return blocks(config, type).flatMap((b) => {
    try {
      return instancesOf(config, b);
    } catch {
      return [b];
    }
  });
}

function instancesOf(config: TerraformConfig, b: Block): (Block & { each?: Each })[] {
  if (b.body.for_each === undefined) return [b];
  const set = /^\$\{toset\(((?:var|local)\.[a-z0-9_]+)\)\}$/.exec(String(b.body.for_each));
  const map = resolve(config, set ? `\${${set[1]}}` : b.body.for_each);
  if (typeof map !== 'object' || map === null) throw new Error(`cannot evaluate for_each of ${b.address}: ${b.body.for_each}`);
  const entries = Array.isArray(map) ? map.map((value) => [String(value), value] as const) : Object.entries(map as Body);
  return entries.map(([key, value]) => ({ ...b, address: `${b.address}["${key}"]`, each: { key, value } }));
}

/**
 * The value of a simple expression: a literal, `${var.x}` (its default), `${var.x.y}` (an
 * attribute of its default, an object), `${local.x}`, `${each.key}` or `${each.value.x}` (in an
 * instance), followed recursively. Anything else (a function call, a resource attribute, a
 * template with text around it) comes back unchanged.
 */
export function resolve(config: TerraformConfig, value: unknown, each?: Each): unknown {
  if (typeof value !== 'string') return value;
  const reference = /^\$\{([a-z_]+)\.([A-Za-z0-9_]+)(?:\.([A-Za-z0-9_]+))?\}$/.exec(value);
  if (!reference) return value;
  const [, root, name, field] = reference as unknown as [string, string, string, string | undefined];
  if (root === 'var' && field === undefined) return resolve(config, variable(config, name).default ?? null, each);
  if (root === 'var') return resolve(config, (variable(config, name).default as Body | null | undefined)?.[field as string] ?? null, each);
  if (root === 'local' && field === undefined) return resolve(config, locals(config)[name], each);
  if (root === 'each' && each && name === 'key' && field === undefined) return each.key;
  if (root === 'each' && each && name === 'value' && field !== undefined) return resolve(config, each.value[field], each);
  return value;
}

export function variable(config: TerraformConfig, name: string): Body {
  const found = config.variable?.[name]?.[0];
  if (!found) throw new Error(`infra/terraform declares no variable ${name}`);
  return found;
}

/** A nested block's first body (`logging_config[0]`), or undefined when the block is absent. */
export function nested(body: Body, name: string): Body | undefined {
  const value = body[name];
  return Array.isArray(value) ? value[0] : undefined;
}

/**
 * The block a whole expression refers to, when it reads one of `attributes`: `${aws_iam_role.push.arn}`
 * (or `${aws_iam_role.push[0].arn}`, an instance) with ["arn"] gives `aws_iam_role.push`; anything
 * else, undefined.
 */
export function referencedBlock(expression: unknown, attributes: readonly string[]): string | undefined {
  const match = /^\$\{((?:data\.)?[a-z0-9_]+\.[a-z0-9_]+)(?:\[[^\]]+\])?\.([a-z_]+)\}$/.exec(String(expression));
  return match && attributes.includes(match[2] as string) ? match[1] : undefined;
}

/** A list attribute as a list (HCL writes one value or a list; an expression stays one string). */
export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
