// The six ways the first deploy broke in a real account (issue 16), each checked on infra/terraform
// as it is and on a copy put back the way it was, which the check must report. The scripts' side
// of the region (deploy.sh, destroy.sh) is in deployRegion.test.ts and scripts.test.ts.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { LAMBDA_NODE_MAJOR } from '../../scripts/bundleOptions.mjs';
import {
  STACK_REGION,
  apiGatewayAccountProblems,
  globalNameProblems,
  nameLengthProblems,
  namePrefixLengths,
  regionProblems,
  runtimeProblems,
  tokenSecretProblems,
} from './firstDeployChecks.js';
import { block, combined, copyOf, loadRegionModule, loadTerraform, stackOf, type Body, type TerraformConfig } from './terraformConfig.js';

const DOCKER_NODE = /^ARG NODE_VERSION=(\S+)$/m.exec(readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8'))![1]!;

describe('infra/terraform: the first deploy in any account', function () {
  // The root (region, table, keys, token secret) and the regional stack as module.primary makes it.
  let root: TerraformConfig;
  let stack: TerraformConfig;

  before(async function () {
    root = await loadTerraform();
    stack = stackOf(root, await loadRegionModule());
  });

  describe('1. names global to the account', function () {
    it('put the region in every IAM role name and the dashboard name', function () {
      expect(globalNameProblems(root), 'the root').to.deep.equal([]);
      expect(globalNameProblems(stack, STACK_REGION), 'each region\'s stack').to.deep.equal([]);
    });

    it('reports the role names as they were (<prefix>-function...), which a second region could not make', function () {
      const broken = copyOf(stack);
      block(broken, 'aws_iam_role.function').name = '${var.settings.name_prefix}-function';
      block(broken, 'aws_iam_role.push').name = '${var.settings.name_prefix}-push';
      block(broken, 'aws_iam_role.apigateway_logs').name = '${var.settings.name_prefix}-apigateway-logs';

      expect(globalNameProblems(broken, STACK_REGION)).to.have.members([
        'aws_iam_role.function.name is ${var.settings.name_prefix}-function: global to the account, it must include the region',
        'aws_iam_role.push.name is ${var.settings.name_prefix}-push: global to the account, it must include the region',
        'aws_iam_role.apigateway_logs.name is ${var.settings.name_prefix}-apigateway-logs: global to the account, it must include the region',
      ]);
    });
  });

  describe('2. name_prefix and the names made from it', function () {
    it('accepts 3 to 32 characters, and every name fits its service at both ends with the longest region', function () {
      expect(namePrefixLengths(root)).to.deep.equal({ min: 3, max: 32 });
      expect(nameLengthProblems(combined(root, stack))).to.deep.equal([]);
    });

    it('reports the validation as it was ({0,30}: 2 characters), too short for the table', function () {
      const broken = copyOf(root);
      const validation = broken.variable!.name_prefix![0]!.validation[0] as Body;
      validation.condition = String(validation.condition).replace('{1,30}', '{0,30}');

      expect(namePrefixLengths(broken).min).to.equal(2);
      expect(nameLengthProblems(combined(broken, stack))).to.deep.equal([
        "aws_dynamodb_table.main.name is 2 characters with the shortest name_prefix (2), outside aws_dynamodb_table's 3 to 255",
      ]);
    });

    it('reports a prefix so long that a function or role name passes 64 characters', function () {
      const broken = copyOf(root);
      const validation = broken.variable!.name_prefix![0]!.validation[0] as Body;
      validation.condition = String(validation.condition).replace('{1,30}', '{1,50}');

      const problems = nameLengthProblems(combined(broken, stack));

      expect(problems).to.include(
        'aws_lambda_function.route["send_group_message"].function_name is 71 characters with the longest name_prefix (52), outside aws_lambda_function\'s 1 to 64',
      );
      expect(problems).to.include(
        "aws_iam_role.apigateway_logs.name is 80 characters with the longest name_prefix (52), outside aws_iam_role's 1 to 64",
      );
    });
  });

  describe('3. one source of truth for the region, one state per region', function () {
    it('takes var.region or the AWS configuration, uses the resolved region everywhere, and refuses a state of another region', function () {
      expect(regionProblems(root)).to.deep.equal([]);
    });

    it('reports a default region of its own, var.region used directly, and a state that forgets its region', function () {
      const broken = copyOf(root);
      broken.variable!.region![0]!.default = 'us-east-1';
      const withRegions = broken.locals!.find((l) => l.regions !== undefined)!;
      withRegions.regions = String(withRegions.regions).replace('${concat([local.region]', '${concat([var.region]');
      delete block(broken, 'terraform_data.deployment').lifecycle[0].postcondition;

      expect(regionProblems(broken)).to.deep.equal([
        'variable region defaults to us-east-1, not null (the AWS configuration\'s)',
        'local.regions uses var.region (null unless set) instead of local.region',
        'terraform_data.deployment does not refuse a region other than the one it was made in',
      ]);
    });

    it('reports a guard that follows the region instead of remembering it', function () {
      const broken = copyOf(root);
      delete block(broken, 'terraform_data.deployment').lifecycle[0].ignore_changes;

      expect(regionProblems(broken)).to.deep.equal(['terraform_data.deployment forgets the region it was made in (no ignore_changes = [input])']);
    });
  });

  describe("4. API Gateway's account logging role", function () {
    it('is off unless asked, uses AmazonAPIGatewayPushToCloudWatchLogs, and the WebSocket access log follows whether a role exists', function () {
      expect(apiGatewayAccountProblems(stack)).to.deep.equal([]);
    });

    it('reports the role as it was: on by default, three log actions on one log group, and an access log always on', function () {
      const broken = copyOf(stack);
      broken.variable!.settings![0]!.default.create_apigateway_logging_role = true;
      delete broken.resource!.aws_iam_role_policy_attachment;
      broken.resource!.aws_iam_role_policy = {
        ...broken.resource!.aws_iam_role_policy,
        apigateway_logs: [{ role: '${aws_iam_role.apigateway_logs[0].id}', policy: '${data.aws_iam_policy_document.apigateway_logs.json}' }],
      };
      broken.data!.aws_iam_policy_document!.apigateway_logs = [
        { statement: [{ actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], resources: ['${aws_cloudwatch_log_group.websocket_access.arn}:*'] }] },
      ];
      block(broken, 'aws_api_gateway_account.main').depends_on = ['${aws_iam_role_policy.apigateway_logs}'];
      const stage = block(broken, 'aws_apigatewayv2_stage.websocket');
      stage.access_log_settings = stage.dynamic.access_log_settings[0].content;
      delete stage.dynamic;

      expect(apiGatewayAccountProblems(broken)).to.have.members([
        'create_apigateway_logging_role defaults to true, not false',
        'aws_iam_role.apigateway_logs does not have the managed policy AmazonAPIGatewayPushToCloudWatchLogs, which API Gateway\'s account setting needs',
        'aws_iam_role.apigateway_logs has inline policies (data.aws_iam_policy_document.apigateway_logs) where the managed policy belongs',
        'aws_api_gateway_account.main does not wait for its role\'s policy (API Gateway checks the role when the setting is saved)',
        'aws_apigatewayv2_stage.websocket always has an access log: it cannot be deployed where no logging role is set',
        'aws_apigatewayv2_stage.websocket can never keep an access log',
      ]);
    });
  });

  describe('5. the token secret', function () {
    it('is never in the state or the environment: ephemeral, written to an SSM SecureString write-only in every region, read by the roles', function () {
      expect(tokenSecretProblems(root, stack)).to.deep.equal([]);
    });

    it('reports the secret as it was: a random_password in the state, handed to the functions in their environment', function () {
      const broken = copyOf(root);
      const brokenStack = copyOf(stack);
      delete ((broken as Body).ephemeral as Body).random_password;
      broken.resource!.random_password = { token_secret: [{ length: 64, special: false }] };
      const environment = brokenStack.locals!.find((l) => l.environment !== undefined)!;
      environment.environment = { ...environment.environment, TOKEN_SECRET: '${random_password.token_secret.result}' };
      const parameter = block(broken, 'aws_ssm_parameter.token_secret');
      parameter.value = '${random_password.token_secret.result}';
      delete parameter.value_wo;

      expect(tokenSecretProblems(broken, brokenStack)).to.have.members([
        'random_password.token_secret is a managed resource: its result is kept in the state',
        'ephemeral.random_password.token_secret is missing',
        'aws_ssm_parameter.token_secret sets value: the secret would be kept in the state',
        'aws_ssm_parameter.token_secret.value_wo is not ${ephemeral.random_password.token_secret.result}',
        'local.environment holds the token secret itself',
        'aws_lambda_function.route environment holds a generated secret',
        'aws_lambda_function.websocket environment holds a generated secret',
        'aws_lambda_function.push_from_stream environment holds a generated secret',
      ]);
    });

    it("reports a replica region's secret drawn anew (another value than the primary's) or under another region's key", function () {
      const broken = copyOf(root);
      const replica = block(broken, 'aws_ssm_parameter.token_secret_replica');
      replica.value_wo = '${ephemeral.random_password.token_secret.result}';
      replica.key_id = '${aws_kms_key.main.arn}';
      delete ((broken as Body).ephemeral as Body).aws_ssm_parameter;

      expect(tokenSecretProblems(broken, stack)).to.have.members([
        "aws_ssm_parameter.token_secret_replica is not encrypted with its region's customer-managed key",
        'aws_ssm_parameter.token_secret_replica.value_wo is not ${ephemeral.aws_ssm_parameter.token_secret[0].value}',
        "the replicas' token secret is not read back from the primary's parameter (ephemeral.aws_ssm_parameter.token_secret)",
      ]);
    });
  });

  describe('6. runtimes', function () {
    it(`run every function on nodejs${LAMBDA_NODE_MAJOR}.x, the bundle's target, and the toolbox on the same Node major`, function () {
      expect(runtimeProblems(stack, LAMBDA_NODE_MAJOR, DOCKER_NODE)).to.deep.equal([]);
    });

    it('reports the runtimes as they were: functions on nodejs22.x, the toolbox on Node 20', function () {
      const broken = copyOf(stack);
      const withRuntime = broken.locals!.find((l) => l.lambda_runtime !== undefined)!;
      withRuntime.lambda_runtime = 'nodejs22.x';

      const problems = runtimeProblems(broken, LAMBDA_NODE_MAJOR, '20.20.2');

      expect(problems).to.include(`aws_lambda_function.route["login"] runs nodejs22.x, not nodejs${LAMBDA_NODE_MAJOR}.x (the bundle's target)`);
      expect(problems).to.include(`the Dockerfile's Node is 20.20.2, not the runtime's major ${LAMBDA_NODE_MAJOR}`);
      expect(problems).to.have.length(19);
    });
  });
});
