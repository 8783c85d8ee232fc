// The operators' view of a deployment (monitoring.tf, and the stream consumer's failure path):
// checked on infra/terraform as it is, and each check on a copy broken for it.
import { expect } from 'chai';
import { METRIC } from '../../src/adapters/lambda/ServiceMetrics.js';
import { alarmProblems, dashboardProblems, failureDestinationProblems, keyPolicyProblems } from './monitoringChecks.js';
import { block, copyOf, loadRegionModule, loadTerraform, stackOf, type Body, type TerraformConfig } from './terraformConfig.js';

/** What the dashboard promises of the app's own metrics. */
const DASHBOARD_METRICS = [METRIC.messagesDelivered, METRIC.pushesSent, METRIC.pushesGone];

describe('infra/terraform: alarms, dashboard and failed stream records', function () {
  // Each region's stack (as module.primary makes it), and the root for the keys.
  let root: TerraformConfig;
  let config: TerraformConfig;

  before(async function () {
    root = await loadTerraform();
    config = stackOf(root, await loadRegionModule());
  });

  describe('alarms', function () {
    it('cover API 5xx and 429 rates, every function’s errors and throttles, the iterator age, DynamoDB throttling and WebSocket errors, all to the topic', function () {
      expect(alarmProblems(config)).to.deep.equal([]);
    });

    it('report an alarm on the wrong function, table or API, one that notifies nobody, and a missing one', function () {
      const broken = copyOf(config);
      block(broken, 'aws_cloudwatch_metric_alarm.stream_iterator_age').dimensions = { FunctionName: '${aws_lambda_function.route["health"].function_name}' };
      const dynamodb = block(broken, 'aws_cloudwatch_metric_alarm.dynamodb_throttles');
      dynamodb.metric_query[1].metric[0].dimensions = { TableName: 'another-table' };
      const websocket = block(broken, 'aws_cloudwatch_metric_alarm.websocket_errors');
      websocket.metric_query[1].metric[0].dimensions = { ApiId: '${aws_apigatewayv2_api.main.id}' };
      block(broken, 'aws_cloudwatch_metric_alarm.api_5xx_rate').alarm_actions = [];
      delete broken.resource!.aws_cloudwatch_metric_alarm!.api_429_rate;

      expect(alarmProblems(broken)).to.have.members([
        'aws_cloudwatch_metric_alarm.stream_iterator_age reads IteratorAge of {"FunctionName":"${aws_lambda_function.route[\\"health\\"].function_name}"}, ' +
          'not {"FunctionName":"${aws_lambda_function.push_from_stream.function_name}"}',
        'aws_cloudwatch_metric_alarm.dynamodb_throttles reads ReadThrottleEvents of {"TableName":"another-table"}, not {"TableName":"${var.settings.table_name}"}',
        'aws_cloudwatch_metric_alarm.websocket_errors reads ExecutionError of {"ApiId":"${aws_apigatewayv2_api.main.id}"}, not {"ApiId":"${aws_apigatewayv2_api.websocket.id}"}',
        'aws_cloudwatch_metric_alarm.api_5xx_rate notifies nobody (alarm_actions without the alarm topic)',
        'aws_cloudwatch_metric_alarm.api_429_rate is missing',
      ]);
    });

    it('report a function block left out of the per-function alarms, an unencrypted topic and no subscriber', function () {
      const broken = copyOf(config);
      const withFunctions = broken.locals!.find((l) => l.functions !== undefined)!;
      withFunctions.functions = String(withFunctions.functions).replace('aws_lambda_function.websocket,', '');
      delete block(broken, 'aws_sns_topic.alarms').kms_master_key_id;
      delete broken.resource!.aws_sns_topic_subscription;
      delete broken.resource!.aws_sns_topic_policy;

      expect(alarmProblems(broken)).to.have.members([
        'local.functions leaves out aws_lambda_function.websocket: it has no error or throttle alarm',
        'aws_sns_topic.alarms is not encrypted with the customer-managed key',
        'the alarm topic is not subscribed to var.settings.alarm_email',
        "the topic's policy does not let this account's CloudWatch alarms publish to it",
      ]);
    });
  });

  describe("every region's key", function () {
    it("lets its own region's CloudWatch Logs and alarms use it, by a policy made for that region", function () {
      expect(keyPolicyProblems(root)).to.deep.equal([]);
    });

    it("reports a replica's key given the primary's policy, and a policy naming another region's services", function () {
      const broken = copyOf(root);
      block(broken, 'aws_kms_key_policy.replica').policy = '${data.aws_iam_policy_document.key[local.region].json}';
      const statements = block(broken, 'data.aws_iam_policy_document.key').statement as Body[];
      statements[1]!.principals[0].identifiers = ['logs.${local.region}.amazonaws.com'];
      statements[2]!.condition[1].values = ['arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.name_prefix}-*'];

      expect(keyPolicyProblems(broken)).to.have.members([
        "aws_kms_key_policy.replica.policy is ${data.aws_iam_policy_document.key[local.region].json}, not ${data.aws_iam_policy_document.key[each.key].json} (its own region's document)",
        "the key policy does not let the key's own region's CloudWatch Logs (logs.${each.key}.amazonaws.com) encrypt log groups",
        "the key policy's alarm statement names alarms of another region",
      ]);
    });
  });

  describe('the stream consumer’s failures', function () {
    it('are reported per record (ReportBatchItemFailures) and kept in an encrypted queue the consumer may send to', function () {
      expect(failureDestinationProblems(config)).to.deep.equal([]);
    });

    it('report a mapping without batch item failures, a queue without the key or kept days only, and a role that may not send', function () {
      const broken = copyOf(config);
      delete block(broken, 'aws_lambda_event_source_mapping.push_from_stream').function_response_types;
      const queue = block(broken, 'aws_sqs_queue.failed_stream_records');
      delete queue.kms_master_key_id;
      delete queue.message_retention_seconds;
      const push = broken.data!.aws_iam_policy_document!.push![0]!;
      push.statement = (push.statement as Body[]).filter((s) => s.sid !== 'KeepFailedStreamRecords');

      expect(failureDestinationProblems(broken)).to.have.members([
        'aws_lambda_event_source_mapping.push_from_stream does not let the handler report batch item failures',
        'aws_sqs_queue.failed_stream_records is not encrypted with the customer-managed key',
        'aws_sqs_queue.failed_stream_records keeps messages the default 345600 s, under a week',
        "aws_iam_role.push, the stream consumer's, may not send to aws_sqs_queue.failed_stream_records",
      ]);
    });

    it('report a mapping with no on-failure destination', function () {
      const broken = copyOf(config);
      delete block(broken, 'aws_lambda_event_source_mapping.push_from_stream').destination_config;

      expect(failureDestinationProblems(broken)).to.deep.equal([
        'aws_lambda_event_source_mapping.push_from_stream sends failed batches to undefined, not an SQS queue of this configuration',
      ]);
    });
  });

  describe('the dashboard', function () {
    it('shows the request rate, latency p50 and p99, errors, messages delivered and push counts', function () {
      expect(dashboardProblems(config, DASHBOARD_METRICS)).to.deep.equal([]);
    });

    it('reports a metric the code does not emit under that name, and latency without p99', function () {
      const broken = copyOf(config);
      const dashboard = block(broken, 'aws_cloudwatch_dashboard.main');
      dashboard.dashboard_body = String(dashboard.dashboard_body).replace('"PushesGone"', '"PushGone"').replace('stat = "p99"', 'stat = "p90"');

      expect(dashboardProblems(broken, DASHBOARD_METRICS)).to.deep.equal(['the dashboard does not show latency p99', 'the dashboard does not show PushesGone']);
    });
  });
});
