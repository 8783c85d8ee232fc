// The switches of issue 17 in infra/terraform (several regions, provisioned concurrency, a custom
// domain), each checked on the configuration as it is and on copies broken for it; the variables'
// validations evaluated by terraform itself where it is installed (no provider needed).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LATE_REPLICATED_INBOX,
  crossRegionPermissionProblems,
  domainProblems,
  moduleCallProblems,
  movedProblems,
  provisionedConcurrencyProblems,
  regionArgumentProblems,
  replicaProblems,
  replicationAlarmProblems,
  switchDefaultProblems,
  type StateResources,
} from './multiRegionChecks.js';
import { TERRAFORM_DIR, block, copyOf, loadRegionModule, loadTerraform, locals, stackOf, type Body, type TerraformConfig } from './terraformConfig.js';

const DEPLOYED = (JSON.parse(readFileSync(new URL('../fixtures/terraform/singleRegionResources.json', import.meta.url), 'utf8')) as {
  resources: StateResources;
}).resources;

describe('infra/terraform: several regions, provisioned concurrency, a custom domain', function () {
  this.timeout(20000);

  let root: TerraformConfig;
  let module: TerraformConfig;
  let stack: TerraformConfig;

  before(async function () {
    [root, module] = await Promise.all([loadTerraform(), loadRegionModule()]);
    stack = stackOf(root, module);
  });

  it('has every switch off by default, and a validation on each', function () {
    expect(switchDefaultProblems(root)).to.deep.equal([]);

    const broken = copyOf(root);
    broken.variable!.replica_regions![0]!.default = ['eu-west-1'];
    delete broken.variable!.domain_name![0]!.validation;
    expect(switchDefaultProblems(broken)).to.deep.equal(['replica_regions defaults to ["eu-west-1"], not [] (off)', 'domain_name has no validation']);
  });

  describe('one module, once per region', function () {
    it('gives module.primary and each module.replica their own region, stream, key and token secret, and the same settings', function () {
      expect(moduleCallProblems(root, module)).to.deep.equal([]);
    });

    it("reports a replica given the primary's stream or key, an argument the module does not declare, and regions in another order", function () {
      const broken = copyOf(root);
      const replica = broken.module!.replica![0]!;
      replica.stream_arn = '${aws_dynamodb_table.main.stream_arn}';
      replica.kms_key_arn = '${aws_kms_key.main.arn}';
      replica.tracnig = '${var.tracing}';
      broken.locals!.find((l) => l.regions !== undefined)!.regions = '${concat(var.replica_regions, [local.region])}';

      expect(moduleCallProblems(broken, module)).to.have.members([
        'module.replica passes tracnig, which the module does not declare',
        'module.replica.stream_arn is "${aws_dynamodb_table.main.stream_arn}", not "${local.replica_stream_arns[each.key]}"',
        'module.replica.kms_key_arn is "${aws_kms_key.main.arn}", not "${aws_kms_key.replica[each.key].arn}"',
        "module.replica.tracnig is ${var.tracing}, not the root's var.tracnig",
        'local.regions is ${concat(var.replica_regions, [local.region])}, not ${concat([local.region], var.replica_regions)}',
      ]);
    });

    it('reports a setting not passed on, one of another name or value, and a call given settings of its own', function () {
      const broken = copyOf(root);
      const settings = broken.locals!.find((l) => l.settings !== undefined)!.settings;
      delete settings.tracing;
      settings.log_retention_day = '${var.log_retention_days}';
      delete settings.log_retention_days;
      settings.table_name = '${var.name_prefix}';
      broken.module!.replica![0]!.settings = '${merge(local.settings, { alarm_email = "" })}';
      delete broken.module!.primary![0]!.settings;

      expect(moduleCallProblems(broken, module)).to.have.members([
        'module.primary does not pass settings, which the module requires',
        'module.primary.settings is undefined, not "${local.settings}"',
        'module.replica.settings is "${merge(local.settings, { alarm_email = \\"\\" })}", not "${local.settings}"',
        'local.settings does not give tracing, which var.settings requires',
        'local.settings does not give log_retention_days, which var.settings requires',
        'local.settings gives log_retention_day, which var.settings does not declare',
        "local.settings.log_retention_day is ${var.log_retention_days}, not the root's var.log_retention_day",
        'local.settings.table_name is "${var.name_prefix}", not "${aws_dynamodb_table.main.name}"',
        "local.settings does not pass the root's tracing on",
        "local.settings does not pass the root's log_retention_days on",
      ]);
    });

    it("reports a module whose settings are no object type", function () {
      const brokenModule = copyOf(module);
      brokenModule.variable!.settings![0]!.type = '${map(string)}';

      expect(moduleCallProblems(root, brokenModule)).to.deep.equal(["the module's var.settings is ${map(string)}, not an object type"]);
    });

    it('makes every regional resource in its own region: var.region in the module, each.key for per-region blocks of the root', function () {
      expect(regionArgumentProblems(root, module)).to.deep.equal([]);
    });

    it("reports a module resource left in the provider's (the primary's) region, and a per-region root resource without its region", function () {
      const broken = copyOf(module);
      delete block(broken, 'aws_lambda_event_source_mapping.push_from_stream').region;
      const brokenRoot = copyOf(root);
      delete block(brokenRoot, 'aws_kms_key.replica').region;
      block(brokenRoot, 'aws_ssm_parameter.token_secret').region = '${local.region}';

      expect(regionArgumentProblems(brokenRoot, broken)).to.have.members([
        "aws_lambda_event_source_mapping.push_from_stream in modules/region is made in the provider's region, not var.region",
        "aws_kms_key.replica is made for each region but in the provider's region, not each.key",
        'aws_ssm_parameter.token_secret is made once, in ${local.region}: leave the primary\'s to the provider',
      ]);
    });
  });

  describe('a deployed single-region stack', function () {
    it('is moved into module.primary, every resource with its instance form: nothing is recreated', function () {
      expect(DEPLOYED.length, 'the resources of an issue-16 state').to.equal(47);
      expect(movedProblems(root, module, DEPLOYED)).to.deep.equal([]);
    });

    it('reports a resource with no moved block, a moved block to nowhere, and a resource whose instance form changed', function () {
      const broken = copyOf(root);
      broken.moved = broken.moved!.filter((m) => m.from !== '${aws_lambda_function.route}');
      broken.moved.push({ from: '${aws_sqs_queue.gone}', to: '${module.primary.aws_sqs_queue.gone}' });
      const brokenModule = copyOf(module);
      const account = block(brokenModule, 'aws_api_gateway_account.main');
      delete account.count;
      account.for_each = '${toset([])}';

      expect(movedProblems(broken, brokenModule, DEPLOYED)).to.have.members([
        'moved block to module.primary.aws_sqs_queue.gone, which module.primary does not have',
        'aws_lambda_function.route of a deployed stack would be destroyed and made again: no moved block takes it into module.primary',
        'aws_api_gateway_account.main was made with count, module.primary.aws_api_gateway_account.main is made with for_each: its instances would be recreated',
      ]);
    });
  });

  describe('the global table', function () {
    it('has a replica in each replica region: eventual consistency, its region\'s key, point-in-time recovery, deletion protection', function () {
      expect(replicaProblems(root)).to.deep.equal([]);
    });

    it("reports a replica without point-in-time recovery (its default), under the primary's key, in strong consistency", function () {
      const broken = copyOf(root);
      const content = block(broken, 'aws_dynamodb_table.main').dynamic.replica[0].content[0];
      delete content.point_in_time_recovery;
      content.kms_key_arn = '${aws_kms_key.main.arn}';
      content.consistency_mode = 'STRONG';

      expect(replicaProblems(broken)).to.have.members([
        'aws_dynamodb_table.main replica.kms_key_arn is "${aws_kms_key.main.arn}", not "${aws_kms_key.replica[replica.value].arn}"',
        'aws_dynamodb_table.main replica.point_in_time_recovery is undefined, not true',
        'aws_dynamodb_table.main replica.consistency_mode is "STRONG", not "EVENTUAL"',
      ]);
    });
  });

  describe('permissions across regions', function () {
    it("let the HTTP functions use every region's replica and key, and each push role close (only) the other regions' connections", function () {
      expect(crossRegionPermissionProblems(root, stack)).to.deep.equal([]);
    });

    it("reports the HTTP role on its own region's replica only, and a remote grant that may also post", function () {
      const broken = copyOf(stack);
      (block(broken, 'data.aws_iam_policy_document.function').statement as Body[]).find((s) => s.sid === 'Table')!.resources = '${local.table_arn}';
      const brokenRoot = copyOf(root);
      const remote = block(brokenRoot, 'data.aws_iam_policy_document.push_remote_close').statement[0];
      remote.resources = String(remote.resources).replace('/DELETE/@connections/*', '/*/@connections/*');

      const problems = crossRegionPermissionProblems(brokenRoot, broken);

      expect(problems).to.include('data.aws_iam_policy_document.function statement Table names "${local.table_arn}", not "${local.table_arns}"');
      expect(problems.some((p) => p.startsWith('data.aws_iam_policy_document.push_remote_close statement CloseConnectionsOfOtherRegions grants') && p.endsWith('closing (DELETE) connections only'))).to.equal(true);
    });

    it("reports a remote grant on the region's own stage, or given to the HTTP functions' role", function () {
      const broken = copyOf(root);
      const remote = block(broken, 'data.aws_iam_policy_document.push_remote_close').statement[0];
      remote.resources = String(remote.resources).replace(' if region != each.key', '');
      block(broken, 'aws_iam_role_policy.push_remote_close').role = '${local.stacks[each.key].function_role_name}';

      expect(crossRegionPermissionProblems(broken, stack)).to.have.members([
        "data.aws_iam_policy_document.push_remote_close statement CloseConnectionsOfOtherRegions does not name every other region's stage (local.stacks, if region != each.key)",
        'aws_iam_role_policy.push_remote_close.role is "${local.stacks[each.key].function_role_name}", not "${local.stacks[each.key].push_role_name}"',
      ]);
    });
  });

  describe('provisioned concurrency', function () {
    it('is off by default, accepts exactly the HTTP routes, and is served through a published version and the alias live that API Gateway invokes', function () {
      expect(provisionedConcurrencyProblems(root, stack)).to.deep.equal([]);
    });

    it('reports it configured on $LATEST, the integration still on the function, and a route the validation does not know', function () {
      const broken = copyOf(stack);
      block(broken, 'aws_lambda_provisioned_concurrency_config.live').qualifier = '$LATEST';
      block(broken, 'aws_apigatewayv2_integration.route').integration_uri = '${aws_lambda_function.route[each.key].invoke_arn}';
      delete block(broken, 'aws_lambda_function.route').publish;
      (locals(broken).routes as Body).archive = { route_key: 'POST /archive', handler: 'archive' };

      const problems = provisionedConcurrencyProblems(root, broken);

      expect(problems).to.include('aws_lambda_provisioned_concurrency_config.live.qualifier is "$LATEST", not "${aws_lambda_alias.live[each.key].name}"');
      expect(problems).to.include('aws_lambda_function.route publishes undefined, not a version for the routes in provisioned_concurrency');
      expect(problems.some((p) => p.startsWith('aws_apigatewayv2_integration.route.integration_uri is "${aws_lambda_function.route[each.key].invoke_arn}"'))).to.equal(true);
      expect(problems.some((p) => p.startsWith('provisioned_concurrency accepts health, ') && p.endsWith(', archive'))).to.equal(true);
    });
  });

  describe('the custom domain', function () {
    it('is off by default; with it, per region a certificate, TLS 1.2 regional domains mapped to both APIs, and alias records (latency-based with /health checks when there are replicas)', function () {
      expect(domainProblems(root, stack)).to.deep.equal([]);
    });

    it('reports TLS 1.0, an edge endpoint, a validation record per certificate (colliding names), and latency records without a health check', function () {
      const broken = copyOf(root);
      const http = block(broken, 'aws_apigatewayv2_domain_name.http').domain_name_configuration[0];
      http.security_policy = 'TLS_1_0';
      http.endpoint_type = 'EDGE';
      block(broken, 'aws_route53_record.certificate_validation').for_each =
        '${{ for pair in flatten([for c in aws_acm_certificate.region : c.domain_validation_options]) : pair.resource_record_name => pair }}';
      delete block(broken, 'aws_route53_record.websocket').health_check_id;

      expect(domainProblems(broken, stack)).to.have.members([
        'aws_apigatewayv2_domain_name.http domain_name_configuration.endpoint_type is "EDGE", not "REGIONAL"',
        'aws_apigatewayv2_domain_name.http domain_name_configuration.security_policy is "TLS_1_0", not "TLS_1_2"',
        'aws_route53_record.certificate_validation.for_each is "${{ for pair in flatten([for c in aws_acm_certificate.region : c.domain_validation_options]) : pair.resource_record_name => pair }}", ' +
          'not "${var.domain_name == null ? {} : { for option in aws_acm_certificate.region[local.region].domain_validation_options : option.domain_name => option }}"',
        'aws_route53_record.websocket.health_check_id is undefined, not "${local.multi_region ? aws_route53_health_check.region[each.key].id : null}"',
      ]);
    });

    it('reports records that stay plain with several regions, and a health check of another path', function () {
      const broken = copyOf(root);
      delete block(broken, 'aws_route53_record.http').dynamic;
      block(broken, 'aws_route53_health_check.region').resource_path = '/';

      expect(domainProblems(broken, stack)).to.have.members([
        'aws_route53_record.http is not latency-based (in its region) exactly when there are several regions',
        'aws_route53_health_check.region.resource_path is "/", not "/health"',
      ]);
    });
  });

  describe('replication alarms', function () {
    it(`watch ReplicationLatency to every other region (L and L/2) and the app's ${LATE_REPLICATED_INBOX}, only with several regions`, function () {
      expect(replicationAlarmProblems(stack)).to.deep.equal([]);
    });

    it('report an alarm on the receiving region left out, a threshold that is not the bound, and a late-arrival alarm in one region too', function () {
      const broken = copyOf(stack);
      block(broken, 'aws_cloudwatch_metric_alarm.replication_latency').dimensions = { TableName: '${var.settings.table_name}' };
      block(broken, 'aws_cloudwatch_metric_alarm.replication_latency_warning').threshold = 5000;
      block(broken, 'aws_cloudwatch_metric_alarm.late_replicated_inbox').count = 1;

      expect(replicationAlarmProblems(broken)).to.have.members([
        'aws_cloudwatch_metric_alarm.replication_latency.dimensions is {"TableName":"${var.settings.table_name}"}, not {"TableName":"${var.settings.table_name}","ReceivingRegion":"${each.key}"}',
        'aws_cloudwatch_metric_alarm.replication_latency_warning.threshold is 5000, not "${var.settings.replication_lag_bound_ms / 2}"',
        'aws_cloudwatch_metric_alarm.late_replicated_inbox.count is 1, not "${local.multi_region ? 1 : 0}"',
      ]);
    });
  });

  describe('the variables, validated by terraform itself (no provider, no account)', function () {
    let dir: string;

    /** `terraform plan` of variables.tf alone with these values: the validation messages it prints. */
    function validationErrors(values: Record<string, string>): string[] {
      const args = Object.entries(values).flatMap(([name, value]) => ['-var', `${name}=${value}`]);
      const run = spawnSync('terraform', ['plan', '-input=false', '-no-color', '-lock=false', ...args], { cwd: dir, encoding: 'utf8' });
      const output = `${run.stdout}${run.stderr}`;
      if (run.status === 0) return [];
      // Each error: the variable, its values, a blank line, the message (wrapped), a blank line, the rule.
      const errors = [...output.matchAll(/\n\n((?:[^\n]+\n)+)\nThis was checked by the validation rule/g)].map((m) => m[1]!.replace(/\s+/g, ' ').trim());
      if (errors.length === 0) throw new Error(`terraform plan failed without a validation error:\n${output}`);
      return errors;
    }

    before(function () {
      if (spawnSync('terraform', ['version'], { stdio: 'ignore' }).error) this.skip();
      dir = mkdtempSync(join(tmpdir(), 'tf-variables-'));
      copyFileSync(join(TERRAFORM_DIR, 'variables.tf'), join(dir, 'variables.tf'));
      const init = spawnSync('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, encoding: 'utf8' });
      if (init.status !== 0) throw new Error(`terraform init: ${init.stdout}${init.stderr}`);
    });

    after(function () {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('accepts the defaults and a full multi-region deployment with a domain and provisioned concurrency', function () {
      expect(validationErrors({ region: 'us-east-1' })).to.deep.equal([]);
      expect(
        validationErrors({
          region: 'us-east-1',
          replica_regions: '["eu-west-1","ap-northeast-1"]',
          apigateway_logging_role_replica_regions: '["eu-west-1"]',
          provisioned_concurrency: '{check_messages=5,login=2}',
          domain_name: 'chat.example.com',
          hosted_zone_id: 'Z0123456789ABCDEFGHIJ',
          replication_lag_bound_ms: '15000',
        }),
      ).to.deep.equal([]);
    });

    it('refuses a replica twice or in the primary region, a route that does not exist, more provisioned than reserved logins, a malformed domain', function () {
      const errors = validationErrors({
        region: 'eu-west-1',
        replica_regions: '["eu-west-1","us-east-2","us-east-2"]',
        provisioned_concurrency: '{check_message=5,login=11}',
        domain_name: 'Chat.Example.com',
        replication_lag_bound_ms: '500',
      });

      expect(errors).to.have.members([
        'replica_regions must not list a region twice.',
        "replica_regions must not list the deployment's own region (var.region): it is the primary.",
        "provisioned_concurrency's keys must be HTTP routes: health, openapi, register_user, login, send_message, check_messages, block_user, unblock_user, create_group, add_remove_users, send_group_message, get_group, list_groups, router.",
        'provisioned_concurrency for register_user and login must not exceed hashing_reserved_concurrency, their reserved concurrency.',
        'domain_name must be a lower-case DNS name such as chat.example.com, or null.',
        'replication_lag_bound_ms must be a whole number of milliseconds from 1000 to 300000.',
      ]);
    });

    it('refuses a domain without its zone, and a logging role said to exist in a region that is no replica', function () {
      // Checked on their own: terraform skips a rule that reads another variable which failed its own.
      expect(
        validationErrors({ replica_regions: '["us-east-2"]', apigateway_logging_role_replica_regions: '["ap-south-1"]', domain_name: 'chat.example.com' }),
      ).to.have.members([
        'hosted_zone_id must be set exactly when domain_name is.',
        'apigateway_logging_role_replica_regions may list only regions of replica_regions.',
      ]);
    });

    it('refuses a region that is no region code, zero provisioned units, and a zone without a domain', function () {
      expect(
        validationErrors({ replica_regions: '["Europe"]', provisioned_concurrency: '{health=0}', hosted_zone_id: 'Z0123456789ABCDEFGHIJ' }),
      ).to.have.members([
        'replica_regions must be AWS region codes such as eu-west-1.',
        "provisioned_concurrency's values must be whole numbers of at least 1 (leave a route out for none).",
        'hosted_zone_id must be set exactly when domain_name is.',
      ]);
    });
  });
});
