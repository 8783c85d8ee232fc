// Every argument and nested block in infra/terraform checked against the provider's schema
// (providerSchema.ts): what `terraform validate` would say of a misspelt or unknown argument, a
// block written where the provider has none, a required argument left out or an unknown resource
// type, said here without terraform or the providers.
import { schemaFor, type BlockSchema } from './providerSchema.js';
import type { Body, TerraformConfig } from './terraformConfig.js';

/** Terraform's own arguments of every resource and data block, whatever its type. */
const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);
/** The provider block's own (Terraform's, not the provider's) arguments. */
const PROVIDER_META = new Set(['alias', 'version']);

/**
 * Terraform's built-in resource (no provider), as its documentation lists its arguments:
 * developer.hashicorp.com/terraform/language/resources/terraform-data.
 */
const BUILT_IN: Readonly<Record<string, BlockSchema>> = {
  terraform_data: { attributes: new Map([['input', false], ['triggers_replace', false]]), blocks: new Map() },
};

/**
 * The schema packages describe managed resources and data sources, not ephemeral resources. An
 * ephemeral `random_password` takes the managed one's arguments but `keepers` (the random
 * provider's documentation), so it is checked against that schema without it. The AWS provider's
 * ephemeral `aws_ssm_parameter` takes `arn` (required) and `with_decryption`
 * (website/docs/ephemeral-resources/ssm_parameter.html.markdown), and, like every regional
 * resource since provider 6, `region` (its "Enhanced Region Support" guide).
 */
function ephemeralSchema(type: string): BlockSchema | undefined {
  if (type === 'aws_ssm_parameter') {
    return { attributes: new Map([['arn', true], ['with_decryption', false], ['region', false]]), blocks: new Map() };
  }
  if (type !== 'random_password') return undefined;
  const managed = schemaFor(type);
  if (!managed) return undefined;
  const attributes = new Map(managed.attributes);
  attributes.delete('keepers');
  return { attributes, blocks: managed.blocks };
}

function bodyProblems(where: string, body: Body, schema: BlockSchema, meta: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (meta.has(key)) continue;
    if (key === 'dynamic') {
      for (const [name, instances] of Object.entries(value as Record<string, Body[]>)) {
        const nested = schema.blocks.get(name);
        if (!nested) {
          problems.push(`${where}: dynamic "${name}" is not a block of this type`);
          continue;
        }
        for (const instance of instances) {
          for (const content of (instance.content ?? []) as Body[]) problems.push(...bodyProblems(`${where}.${name}`, content, nested.schema, new Set()));
        }
      }
      continue;
    }
    const block = schema.blocks.get(key);
    if (block) {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'object' && v !== null)) {
        problems.push(`${where}.${key} is a block, not an argument: write ${key} { ... }`);
        continue;
      }
      for (const nested of value as Body[]) problems.push(...bodyProblems(`${where}.${key}`, nested, block.schema, new Set()));
      continue;
    }
    if (!schema.attributes.has(key)) problems.push(`${where}: unknown argument or block "${key}"`);
  }
  for (const [name, required] of schema.attributes) {
    if (required && !(name in body)) problems.push(`${where}: the required argument "${name}" is missing`);
  }
  const dynamic = (body.dynamic ?? {}) as Record<string, unknown>;
  for (const [name, { required }] of schema.blocks) {
    if (required && !(name in body) && !(name in dynamic)) problems.push(`${where}: the required block "${name}" is missing`);
  }
  return problems;
}

/** Unknown types, unknown arguments and blocks, blocks written as arguments, and missing required arguments. */
export function argumentProblems(config: TerraformConfig): string[] {
  const problems: string[] = [];
  for (const [type, byName] of Object.entries(config.resource ?? {})) {
    const schema = BUILT_IN[type] ?? schemaFor(type);
    for (const [name, bodies] of Object.entries(byName)) {
      if (!schema) {
        problems.push(`${type}.${name}: the provider has no resource type ${type}`);
        continue;
      }
      for (const body of bodies) problems.push(...bodyProblems(`${type}.${name}`, body, schema, META_ARGUMENTS));
    }
  }
  for (const [type, byName] of Object.entries(config.data ?? {})) {
    const schema = schemaFor(`data.${type}`);
    for (const [name, bodies] of Object.entries(byName)) {
      if (!schema) {
        problems.push(`data.${type}.${name}: the provider has no data source ${type}`);
        continue;
      }
      for (const body of bodies) problems.push(...bodyProblems(`data.${type}.${name}`, body, schema, META_ARGUMENTS));
    }
  }
  const ephemeral = ((config as Body).ephemeral ?? {}) as Record<string, Record<string, Body[]>>;
  for (const [type, byName] of Object.entries(ephemeral)) {
    const schema = ephemeralSchema(type);
    for (const [name, bodies] of Object.entries(byName)) {
      if (!schema) {
        problems.push(`ephemeral.${type}.${name}: no schema is known for the ephemeral resource ${type}`);
        continue;
      }
      for (const body of bodies) problems.push(...bodyProblems(`ephemeral.${type}.${name}`, body, schema, META_ARGUMENTS));
    }
  }
  for (const [provider, bodies] of Object.entries(config.provider ?? {})) {
    const schema = schemaFor(`provider.${provider}`);
    if (!schema) {
      problems.push(`provider.${provider}: no schema is known for this provider`);
      continue;
    }
    for (const body of bodies) problems.push(...bodyProblems(`provider.${provider}`, body, schema, PROVIDER_META));
  }
  return problems;
}
