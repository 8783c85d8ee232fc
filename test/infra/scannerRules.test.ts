// What checkov (and tfsec and trivy, under their own ids) would say about infra/terraform, run
// without them: every encoded rule (scannerRules.ts) passes, except where the project departs from
// it on purpose. Those departures are listed below with their reasons, and each is checked to be
// still true (exactly the listed resources fail the rule), so an exception cannot outlive its cause
// nor quietly cover a new resource. Every rule without an exception is also shown to fail on a copy
// broken for it.
import { expect } from 'chai';
import { SCANNER_RULES } from './scannerRules.js';
import { combined, copyOf, instances, loadRegionModule, loadTerraform, stackOf, type TerraformConfig } from './terraformConfig.js';

interface Exception {
  readonly rule: string;
  /** The resources that do not meet the rule: listed, or every instance of a resource type. */
  readonly resources: readonly string[] | { readonly every: string };
  readonly reason: string;
}

const functions = (...routes: string[]) => routes.map((route) => `aws_lambda_function.route["${route}"]`);
const webSocketFunctions = (...routes: string[]) => routes.map((route) => `aws_lambda_function.websocket["${route}"]`);

export const EXCEPTIONS: readonly Exception[] = [
  {
    rule: 'CKV_AWS_50',
    resources: { every: 'aws_lambda_function' },
    reason:
      'X-Ray is a switch, var.tracing, off by default: Powertools Tracer and the X-Ray SDK add to every cold start ' +
      '(README, Deploy to AWS, has the measured cost, above the 20 ms this project allows by default), X-Ray bills ' +
      'per trace, and neither HTTP nor WebSocket APIs pass a trace on to Lambda (only REST APIs do). With it on, ' +
      'every function gets tracing_config Active (a dynamic block, which this rule reads as absent) and its role the ' +
      'two write actions, which accept no resource but "*". Without it, each request logs one line with its request ' +
      'id and duration, the access logs have the latencies, and the dashboard p50 and p99.',
  },
  {
    rule: 'CKV_AWS_76',
    resources: ['aws_apigatewayv2_stage.websocket'],
    reason:
      "A WebSocket stage can write its access log only with the role in API Gateway's account settings, one per " +
      'account and region and shared with every REST and WebSocket API there. deploy.sh asks `aws apigateway ' +
      'get-account` and turns the log on when a role is set; create_apigateway_logging_role makes and sets one. Off ' +
      'by default, since setting it replaces what other APIs of the region may rely on; a stage that always logged ' +
      'could not be deployed in an account without the setting. The HTTP API stage (its own log, no role) always logs.',
  },
  {
    rule: 'CKV_AWS_115',
    resources: [
      ...functions(
        'health', 'openapi', 'send_message', 'check_messages', 'block_user', 'unblock_user', 'create_group',
        'add_remove_users', 'send_group_message', 'get_group', 'list_groups', 'router',
      ),
      ...webSocketFunctions('ws_connect', 'ws_disconnect', 'ws_message'),
      'aws_lambda_function.push_from_stream',
    ],
    reason:
      'Reserved concurrency is set where anyone can make a request hash a password (register_user, login). The other ' +
      'routes hash only for existing ids or within the per-address limit for unknown ones, and the stage throttle bounds ' +
      'them all; reserving for all 18 functions would take 180+ units of a quota that is 10 on new accounts, and each ' +
      'reservation is also a ceiling that a burst of legitimate polls would hit. Push: $connect, open to anyone, only ' +
      'verifies a signed token (no hash) before touching DynamoDB, and $connect, $disconnect and $default are bounded ' +
      "by the WebSocket stage's throttle; the stream consumer runs at most one batch per stream shard at a time " +
      '(parallelization factor 1), so the table bounds it, and a reservation would only take from the quota.',
  },
  {
    rule: 'CKV_AWS_116',
    resources: { every: 'aws_lambda_function' },
    reason:
      'A dead-letter queue holds failed asynchronous invocations; nothing here is invoked asynchronously. API Gateway ' +
      'invokes the HTTP and WebSocket functions synchronously, and a failure is answered there and then (500 with a ' +
      'request id, logged). The stream consumer is invoked by its event source mapping, where a function DLQ does not ' +
      "apply: the mapping's own on-failure destination (destination_config, an encrypted SQS queue with an alarm) " +
      'receives the batches that still fail after the bounded retries.',
  },
  {
    rule: 'CKV_AWS_117',
    resources: { every: 'aws_lambda_function' },
    reason:
      'The functions talk only to DynamoDB (its table and stream), KMS, CloudWatch Logs and the Management API of the ' +
      'WebSocket API: AWS endpoints reached over TLS and authorised by IAM. A VPC would add NAT or interface endpoints ' +
      '(about $7 a month each per zone, plus cold-start cost) and protect nothing this API has.',
  },
  {
    rule: 'CKV_AWS_272',
    resources: { every: 'aws_lambda_function' },
    reason:
      'Code signing needs an AWS Signer profile and a signed zip in S3; here the machine that builds the zip deploys it, ' +
      'so a signature would vouch for nothing more. Add it when builds and deployments are separated.',
  },
  {
    rule: 'CKV_AWS_309',
    resources: { every: 'aws_apigatewayv2_route' },
    reason:
      'The app authenticates every acting user itself (body credentials or a bearer token from login, SPEC section 2), ' +
      'and register_user, login, health and openapi are public by design. An API Gateway authorizer would duplicate ' +
      'that, and cannot express "a password in the body or a token". WebSocket: $connect verifies the login token of ' +
      '?token= itself (a Lambda authorizer would verify the same token in a second function, with its own cold start), ' +
      'and API Gateway accepts authorization on $connect only: $disconnect and $default serve connections already ' +
      'accepted, so NONE is the only value they can have.',
  },
  {
    rule: 'CKV2_AWS_51',
    resources: ['aws_apigatewayv2_stage.websocket'],
    reason:
      "A stage's client certificate is what API Gateway presents to an HTTP backend, so that the backend can tell API " +
      "Gateway's calls from anyone else's. The WebSocket API's integrations are Lambda functions (AWS_PROXY), which API " +
      'Gateway invokes through IAM: each function may be invoked by its own route of this stage only (aws_lambda_permission ' +
      'with a source ARN). A certificate would authenticate nothing more. (HTTP APIs cannot have one; checkov passes them.)',
  },
  {
    rule: 'CKV_AWS_338',
    resources: { every: 'aws_cloudwatch_log_group' },
    reason:
      'Logs are kept 30 days by default (log_retention_days) to keep log storage cheap for a service whose logs hold ' +
      'request metadata only; set 365 or more where a compliance regime asks for a year.',
  },
  {
    rule: 'CKV_AWS_109',
    resources: ['data.aws_iam_policy_document.key'],
    reason:
      'The KMS key policy: in a key policy Resource "*" is the key itself, and its account statement (kms:* for the ' +
      "account root) is AWS's default, which hands the key's governance to IAM. checkov's own CKV_AWS_356 skips key " +
      'policies for this reason. The identity policy of the functions has no "*" resource.',
  },
  {
    rule: 'CKV_AWS_111',
    resources: ['data.aws_iam_policy_document.key'],
    reason:
      'The same key policy: Resource "*" is the key, and CloudWatch Logs may encrypt with it only for the log groups ' +
      'of this deployment (an ArnLike condition on the encryption context).',
  },
];

function isList(resources: Exception['resources']): resources is readonly string[] {
  return Array.isArray(resources);
}

function expected(config: TerraformConfig, exception: Exception): string[] {
  const { resources } = exception;
  return isList(resources) ? [...resources] : instances(config, resources.every).map((i) => i.address);
}

describe('Scanner rules (checkov ids), encoded', function () {
  let config: TerraformConfig;

  // The root and a region's stack side by side: every resource a deployment has, each region alike.
  before(async function () {
    const root = await loadTerraform();
    config = combined(root, stackOf(root, await loadRegionModule()));
  });

  for (const rule of SCANNER_RULES) {
    const exception = EXCEPTIONS.find((e) => e.rule === rule.id);
    if (exception) {
      it(`${rule.id} "${rule.title}" is not met, on purpose, by exactly the resources its exception lists`, function () {
        const failing = rule.failing(config);

        expect(failing, `${rule.id}: the exception names resources that fail it and nothing else`).to.have.members(
          expected(config, exception),
        );
        expect(failing, `${rule.id}: something fails it`).to.not.be.empty;
      });
    } else {
      it(`${rule.id} "${rule.title}"`, function () {
        expect(rule.failing(config), `resources that do not meet ${rule.id}`).to.deep.equal([]);
      });

      it(`${rule.id} reports a configuration broken for it`, function () {
        expect(rule.violate, `${rule.id} has no way to be broken: it could never fail`).to.be.a('function');
        const broken = copyOf(config);
        rule.violate!(broken);

        expect(rule.failing(broken), `${rule.id} on the broken copy`).to.not.be.empty;
      });
    }
  }

  it('has an exception only for rules it encodes, each with a reason', function () {
    const ids = SCANNER_RULES.map((r) => r.id);
    for (const exception of EXCEPTIONS) {
      expect(ids, `exception for ${exception.rule}`).to.include(exception.rule);
      expect(exception.reason.length, `reason for ${exception.rule}`).to.be.above(40);
    }
  });
});
