// infra/terraform against the provider's own schema (argumentChecks.ts): every argument and block
// of every resource, data source, ephemeral resource and provider block, in the root and in every
// module under modules/, is one the pinned provider major knows.
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { argumentProblems } from './argumentChecks.js';
import { providerPackage, schemaFor } from './providerSchema.js';
import { TERRAFORM_DIR, block, copyOf, loadRegionModule, loadTerraform, type TerraformConfig } from './terraformConfig.js';

/** "6.32.1" -> [6, 32, 1] */
const parts = (version: string): number[] => version.replace(/^=\s*/, '').split('.').map(Number);

describe('infra/terraform against the provider schemas', function () {
  this.timeout(20000);

  let config: TerraformConfig;
  let module: TerraformConfig;

  before(async function () {
    [config, module] = await Promise.all([loadTerraform(), loadRegionModule()]);
  });

  it('uses only arguments and blocks the providers know, and gives every resource its required arguments', function () {
    expect(argumentProblems(config)).to.deep.equal([]);
  });

  it('checks every module under modules/ the same way', async function () {
    const modules = readdirSync(join(TERRAFORM_DIR, 'modules'), { withFileTypes: true }).filter((d) => d.isDirectory());

    expect(modules.map((d) => d.name), 'the modules').to.deep.equal(['region']);
    for (const dir of modules) {
      const parsed = await loadTerraform(join(TERRAFORM_DIR, 'modules', dir.name));
      expect(Object.keys(parsed.resource ?? {}), `modules/${dir.name} has resources`).to.not.be.empty;
      expect(argumentProblems(parsed), `modules/${dir.name}`).to.deep.equal([]);
    }
  });

  it("accepts AWS provider 6's per-resource region on regional resources, and reports it on a global one (IAM, Route 53)", function () {
    expect(schemaFor('aws_lambda_function')!.attributes.get('region'), 'Lambda: regional, region optional').to.equal(false);
    expect(schemaFor('aws_dynamodb_table')!.attributes.has('region'), 'DynamoDB').to.equal(true);
    expect(schemaFor('aws_iam_role')!.attributes.has('region'), 'IAM is global').to.equal(false);
    const broken = copyOf(module);
    block(broken, 'aws_iam_role.push').region = '${var.region}';
    const brokenRoot = copyOf(config);
    block(brokenRoot, 'aws_route53_health_check.region').region = '${each.key}';

    expect(argumentProblems(broken)).to.deep.equal(['aws_iam_role.push: unknown argument or block "region"']);
    expect(argumentProblems(brokenRoot)).to.deep.equal(['aws_route53_health_check.region: unknown argument or block "region"']);
  });

  it('reports an ephemeral SSM parameter read with an argument the provider does not have, or without its ARN', function () {
    const broken = copyOf(config);
    const read = (broken as Record<string, any>).ephemeral.aws_ssm_parameter.token_secret[0];
    read.name = read.arn;
    delete read.arn;

    expect(argumentProblems(broken)).to.have.members([
      'ephemeral.aws_ssm_parameter.token_secret: unknown argument or block "name"',
      'ephemeral.aws_ssm_parameter.token_secret: the required argument "arn" is missing',
    ]);
  });

  it('checks against schemas of the pinned majors, no newer than the pinned versions', function () {
    const required = Object.assign({}, ...(config.terraform ?? []).flatMap((t) => t.required_providers ?? []));
    for (const provider of ['aws', 'random']) {
      const pinned = parts(required[provider].version);
      const schema = parts(providerPackage(provider).providerVersion);

      expect(schema[0], `${provider}: the schema's major`).to.equal(pinned[0]);
      const newer = schema[1]! > pinned[1]! || (schema[1] === pinned[1] && schema[2]! > pinned[2]!);
      expect(newer, `${provider}: schema ${schema.join('.')} is not newer than the pinned ${pinned.join('.')}`).to.equal(false);
    }
  });

  it('reads nested blocks and required arguments from the schema', function () {
    const lambda = schemaFor('aws_lambda_function')!;

    expect(lambda.attributes.get('function_name'), 'function_name is required').to.equal(true);
    expect(lambda.attributes.get('memory_size'), 'memory_size is optional').to.equal(false);
    expect([...lambda.blocks.get('environment')!.schema.attributes.keys()]).to.deep.equal(['variables']);
    expect(schemaFor('aws_no_such_thing')).to.equal(undefined);
  });

  it('reports a misspelt argument, an unknown nested argument, a block written as an argument, a missing required argument', function () {
    const broken = copyOf(module);
    const fn = block(broken, 'aws_lambda_function.push_from_stream');
    fn.memory_sise = fn.memory_size;
    delete fn.memory_size;
    fn.logging_config[0].log_formt = 'JSON';
    fn.environment = { variables: {} };
    delete fn.role;

    expect(argumentProblems(broken)).to.have.members([
      'aws_lambda_function.push_from_stream: unknown argument or block "memory_sise"',
      'aws_lambda_function.push_from_stream.logging_config: unknown argument or block "log_formt"',
      'aws_lambda_function.push_from_stream.environment is a block, not an argument: write environment { ... }',
      'aws_lambda_function.push_from_stream: the required argument "role" is missing',
    ]);
  });

  it('reports an unknown resource type, data source argument and provider argument', function () {
    const broken = copyOf(config);
    broken.resource!.aws_lambda_functions = { extra: [{}] };
    block(broken, 'data.aws_iam_policy_document.key').statement[0].action = ['kms:Decrypt'];
    broken.provider!.aws![0]!.regoin = 'eu-west-1';

    expect(argumentProblems(broken)).to.include.members([
      'aws_lambda_functions.extra: the provider has no resource type aws_lambda_functions',
      'data.aws_iam_policy_document.key.statement: unknown argument or block "action"',
      'provider.aws: unknown argument or block "regoin"',
    ]);
  });
});
