// The arguments and nested blocks the AWS (and random) provider accepts, read from the schemas the
// npm packages @cdktf/provider-aws and @cdktf/provider-random were generated from: each resource's
// `lib/<name>/index.d.ts` declares its configuration as TypeScript interfaces whose every property
// links to the registry page of its Terraform name (`...#function_name LambdaFunction#function_name`).
// A property typed by another interface of the same file is a nested block. No terraform binary,
// no provider download, no network.
//
// The packages pin a provider version of their own (package.json `cdktf.provider.version`); an
// argument a provider accepts in one 6.x release it still accepts in every later 6.x (the AWS
// provider removes arguments only in a major release), so checking against a schema no newer than
// the pinned provider proves each argument is known to the pin.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export interface BlockSchema {
  /** Terraform name -> required? */
  readonly attributes: ReadonlyMap<string, boolean>;
  /** Terraform name -> the nested block's schema, and whether at least one is required. */
  readonly blocks: ReadonlyMap<string, { readonly schema: BlockSchema; readonly required: boolean }>;
}

export interface ProviderPackage {
  /** The npm package the schema comes from. */
  readonly name: string;
  /** The provider version the package was generated from, e.g. 6.25.0. */
  readonly providerVersion: string;
  /** The provider's prefix of resource type names: `aws_`, `random_`. */
  readonly typePrefix: string;
}

/** Which package describes which provider's types. */
export const PROVIDER_PACKAGES: Readonly<Record<string, string>> = {
  aws: '@cdktf/provider-aws',
  random: '@cdktf/provider-random',
};

export function providerPackage(provider: string): ProviderPackage {
  const name = PROVIDER_PACKAGES[provider];
  if (!name) throw new Error(`no schema package for provider ${provider}`);
  const manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8'));
  return { name, providerVersion: manifest.cdktf.provider.version, typePrefix: `${provider}_` };
}

function libDirectory(packageName: string): string {
  return join(dirname(require.resolve(`${packageName}/package.json`)), 'lib');
}

/** `aws_lambda_function` -> `lambda-function`; `data.aws_region` -> `data-aws-region`; the provider block -> `provider`. */
function directoryOf(kind: 'resource' | 'data' | 'provider', type: string, prefix: string): string {
  if (kind === 'provider') return 'provider';
  if (kind === 'data') return `data-${type.replace(/_/g, '-')}`;
  return type.slice(prefix.length).replace(/_/g, '-');
}

interface Property {
  readonly terraformName: string;
  readonly optional: boolean;
  /** The interfaces of this file the property's type names (a nested block), if any. */
  readonly blockInterface: string | undefined;
}

/** Every exported interface of a generated declaration file, with its properties. */
function interfacesOf(source: string): Map<string, { extendsMeta: boolean; properties: Property[] }> {
  const interfaces = new Map<string, { extendsMeta: boolean; properties: Property[] }>();
  const declaration = /export interface (\w+)( extends cdktf\.TerraformMetaArguments)? \{([\s\S]*?)\n\}/g;
  const names = new Set([...source.matchAll(/export interface (\w+)/g)].map((m) => m[1] as string));
  for (const [, name, meta, body] of source.matchAll(declaration)) {
    const properties: Property[] = [];
    // A JSDoc with the registry link, then the property it documents.
    const property = /\{@link https:\/\/registry\.terraform\.io\/[^#}]*#(\w+) [^}]*\}[\s\S]*?\*\/\s*readonly (\w+)(\?)?: ([^;]+);/g;
    for (const [, terraformName, , optional, type] of body!.matchAll(property)) {
      const referenced = [...type!.matchAll(/\b([A-Z]\w+)\b/g)].map((m) => m[1] as string).find((t) => names.has(t));
      properties.push({ terraformName: terraformName!, optional: optional === '?', blockInterface: referenced });
    }
    interfaces.set(name!, { extendsMeta: meta !== undefined, properties });
  }
  return interfaces;
}

function schemaOf(interfaces: ReturnType<typeof interfacesOf>, name: string): BlockSchema {
  const found = interfaces.get(name);
  if (!found) throw new Error(`no interface ${name}`);
  const attributes = new Map<string, boolean>();
  const blocks = new Map<string, { schema: BlockSchema; required: boolean }>();
  for (const p of found.properties) {
    if (p.blockInterface) blocks.set(p.terraformName, { schema: schemaOf(interfaces, p.blockInterface), required: !p.optional });
    else attributes.set(p.terraformName, !p.optional);
  }
  return { attributes, blocks };
}

const cache = new Map<string, BlockSchema | undefined>();

/**
 * The schema of a resource type (`aws_lambda_function`), a data source (`data.aws_region`) or a
 * provider's own block (`provider.aws`); undefined when the provider has no such type.
 */
export function schemaFor(address: string): BlockSchema | undefined {
  if (cache.has(address)) return cache.get(address);
  const [kind, type] = address.startsWith('data.')
    ? (['data', address.slice(5)] as const)
    : address.startsWith('provider.')
      ? (['provider', address.slice(9)] as const)
      : (['resource', address] as const);
  const provider = kind === 'provider' ? type : type.slice(0, type.indexOf('_'));
  let schema: BlockSchema | undefined;
  if (PROVIDER_PACKAGES[provider]) {
    const { name, typePrefix } = providerPackage(provider);
    const file = join(libDirectory(name), directoryOf(kind, type, typePrefix), 'index.d.ts');
    if (existsSync(file)) {
      const interfaces = interfacesOf(readFileSync(file, 'utf8'));
      const root =
        kind === 'provider'
          ? [...interfaces.keys()].find((n) => n.endsWith('ProviderConfig'))
          : [...interfaces].find(([, i]) => i.extendsMeta)?.[0];
      schema = root ? schemaOf(interfaces, root) : undefined;
    }
  }
  cache.set(address, schema);
  return schema;
}
