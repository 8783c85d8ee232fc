// infra/terraform parsed into plain data with @cdktf/hcl2json (HCL's own parser, compiled to
// WebAssembly: no terraform binary, no providers, no network), and the few lookups the checks
// need: blocks by type, for_each instances, and the values of simple references.
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

export type Body = Record<string, any>;

export interface TerraformConfig {
  terraform?: Body[];
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

export function block(config: TerraformConfig, address: string): Body {
  const found = blocks(config, address.slice(0, address.lastIndexOf('.'))).find((b) => b.address === address);
  if (!found) throw new Error(`infra/terraform has no ${address}`);
  return found.body;
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

/** A block's instances: one per entry of its for_each map (`aws_x.y["key"]`), or the block itself. */
export function instances(config: TerraformConfig, type: string): (Block & { each?: Each })[] {
  return blocks(config, type).flatMap((b) => {
    if (b.body.for_each === undefined) return [b];
    const map = resolve(config, b.body.for_each);
    if (typeof map !== 'object' || map === null) throw new Error(`cannot evaluate for_each of ${b.address}: ${b.body.for_each}`);
    return Object.entries(map as Body).map(([key, value]) => ({ ...b, address: `${b.address}["${key}"]`, each: { key, value } }));
  });
}

/**
 * The value of a simple expression: a literal, `${var.x}` (its default), `${local.x}`,
 * `${each.key}` or `${each.value.x}` (in an instance), followed recursively. Anything else (a
 * function call, a resource attribute, a template with text around it) comes back unchanged.
 */
export function resolve(config: TerraformConfig, value: unknown, each?: Each): unknown {
  if (typeof value !== 'string') return value;
  const reference = /^\$\{([a-z_]+)\.([A-Za-z0-9_]+)(?:\.([A-Za-z0-9_]+))?\}$/.exec(value);
  if (!reference) return value;
  const [, root, name, field] = reference as unknown as [string, string, string, string | undefined];
  if (root === 'var' && field === undefined) return resolve(config, variable(config, name).default ?? null, each);
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
