// The operators' side of infra/terraform (each region's modules/region/monitoring.tf, and the
// stream consumer's failure path in its main.tf): every alarm exists, watches the metric of the
// function, table or API it is about, and notifies the topic; the dashboard shows what it
// promises; failed stream records are kept. The keys the topic and queue use are the root's
// (keyPolicyProblems).
import { blocks, findBlock, list, locals, nested, type Body, type TerraformConfig } from './terraformConfig.js';
import {
  STACK_REFERENCES,
  STREAM_CONSUMER,
  apiOf,
  policyStatements,
  roleOfFunction,
  statementsOfRole,
  type StackReferences,
} from './terraformChecks.js';

const TOPIC_ARN = '${aws_sns_topic.alarms.arn}';

/** One metric an alarm reads: its own, or one of its metric queries'. */
interface WatchedMetric {
  namespace: string;
  name: string;
  dimensions: Body;
}

function watched(alarm: Body): WatchedMetric[] {
  const own = alarm.metric_name ? [{ namespace: alarm.namespace, name: alarm.metric_name, dimensions: alarm.dimensions ?? {} }] : [];
  const queried = (list(alarm.metric_query) as Body[]).flatMap((q) => {
    const m = nested(q, 'metric');
    return m ? [{ namespace: m.namespace, name: m.metric_name, dimensions: m.dimensions ?? {} }] : [];
  });
  return [...own, ...queried];
}

/** What each alarm must watch, by its address. */
export interface AlarmSpec {
  readonly address: string;
  /** Each metric the alarm must read: namespace, name and the dimensions it must have. */
  readonly metrics: readonly WatchedMetric[];
}

/** The alarms issue 16 asks for, and what each must watch. */
export function expectedAlarms(config: TerraformConfig, references: StackReferences = STACK_REFERENCES): AlarmSpec[] {
  const http = `\${${apiOf(config, 'HTTP')}.id}`;
  const websocket = `\${${apiOf(config, 'WEBSOCKET')}.id}`;
  const table = { TableName: references.tableName };
  const each = { FunctionName: '${each.value.function_name}' };
  return [
    { address: 'aws_cloudwatch_metric_alarm.api_5xx_rate', metrics: [gateway('5xx', http), gateway('Count', http)] },
    {
      address: 'aws_cloudwatch_metric_alarm.api_429_rate',
      metrics: [{ namespace: '${local.metrics_namespace}', name: 'Http429', dimensions: { ApiId: http } }, gateway('Count', http)],
    },
    { address: 'aws_cloudwatch_metric_alarm.function_errors', metrics: [{ namespace: 'AWS/Lambda', name: 'Errors', dimensions: each }] },
    { address: 'aws_cloudwatch_metric_alarm.function_throttles', metrics: [{ namespace: 'AWS/Lambda', name: 'Throttles', dimensions: each }] },
    {
      address: 'aws_cloudwatch_metric_alarm.stream_iterator_age',
      metrics: [{ namespace: 'AWS/Lambda', name: 'IteratorAge', dimensions: { FunctionName: `\${${STREAM_CONSUMER}.function_name}` } }],
    },
    {
      address: 'aws_cloudwatch_metric_alarm.dynamodb_throttles',
      metrics: [
        { namespace: 'AWS/DynamoDB', name: 'ReadThrottleEvents', dimensions: table },
        { namespace: 'AWS/DynamoDB', name: 'WriteThrottleEvents', dimensions: table },
      ],
    },
    { address: 'aws_cloudwatch_metric_alarm.websocket_errors', metrics: [gateway('ExecutionError', websocket), gateway('IntegrationError', websocket)] },
    {
      address: 'aws_cloudwatch_metric_alarm.failed_stream_records',
      metrics: [{ namespace: 'AWS/SQS', name: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: '${aws_sqs_queue.failed_stream_records.name}' } }],
    },
  ];
}

function gateway(name: string, apiId: string): WatchedMetric {
  return { namespace: 'AWS/ApiGateway', name, dimensions: { ApiId: apiId } };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Each expected alarm exists, reads its metrics with their dimensions, and notifies the topic; the
 * per-function alarms iterate over every function block of the configuration; the topic is
 * encrypted and subscribed to var.settings.alarm_email; the 429 metric is counted from the HTTP API's
 * access log. Every other alarm notifies the topic too.
 */
export function alarmProblems(config: TerraformConfig, references: StackReferences = STACK_REFERENCES): string[] {
  const problems: string[] = [];
  const alarms = blocks(config, 'aws_cloudwatch_metric_alarm');
  for (const spec of expectedAlarms(config, references)) {
    const alarm = alarms.find((a) => a.address === spec.address)?.body;
    if (!alarm) {
      problems.push(`${spec.address} is missing`);
      continue;
    }
    const read = watched(alarm);
    for (const metric of spec.metrics) {
      const found = read.find((m) => m.namespace === metric.namespace && m.name === metric.name);
      if (!found) problems.push(`${spec.address} does not read ${metric.namespace} ${metric.name}`);
      else if (!same(found.dimensions, metric.dimensions)) {
        problems.push(`${spec.address} reads ${metric.name} of ${JSON.stringify(found.dimensions)}, not ${JSON.stringify(metric.dimensions)}`);
      }
    }
  }
  for (const { address, body } of alarms) {
    const actions = locals(config)[String(body.alarm_actions).replace(/^\$\{local\.|\}$/g, '')] ?? body.alarm_actions;
    if (!list(actions).includes(TOPIC_ARN)) problems.push(`${address} notifies nobody (alarm_actions without the alarm topic)`);
  }

  // The per-function alarms: one per function of every function block.
  const functionBlocks = blocks(config, 'aws_lambda_function').map((b) => b.address);
  const iterated = String(locals(config).functions ?? '');
  for (const address of ['aws_cloudwatch_metric_alarm.function_errors', 'aws_cloudwatch_metric_alarm.function_throttles']) {
    const alarm = alarms.find((a) => a.address === address)?.body;
    if (alarm && alarm.for_each !== '${local.functions}') problems.push(`${address} iterates over ${alarm.for_each}, not local.functions`);
  }
  for (const fn of functionBlocks) {
    if (!new RegExp(`\\b${fn.replace('.', '\\.')}\\b`).test(iterated)) problems.push(`local.functions leaves out ${fn}: it has no error or throttle alarm`);
  }

  const topic = findBlock(config, 'aws_sns_topic.alarms');
  if (!topic) problems.push('aws_sns_topic.alarms is missing');
  else if (topic.kms_master_key_id !== references.keyArn) problems.push('aws_sns_topic.alarms is not encrypted with the customer-managed key');
  const subscription = blocks(config, 'aws_sns_topic_subscription').find((b) => b.body.topic_arn === TOPIC_ARN)?.body;
  if (!subscription || subscription.endpoint !== '${var.settings.alarm_email}' || subscription.protocol !== 'email') {
    problems.push('the alarm topic is not subscribed to var.settings.alarm_email');
  }
  const topicPolicy = blocks(config, 'aws_sns_topic_policy').find((b) => b.body.arn === TOPIC_ARN)?.body;
  const document = /^\$\{(data\.aws_iam_policy_document\.[a-z_]+)\.json\}$/.exec(String(topicPolicy?.policy))?.[1];
  const cloudWatchPublishes = policyStatements(config).some(
    (s) =>
      document !== undefined &&
      s.where.startsWith(`${document} `) &&
      s.actions.includes('sns:Publish') &&
      s.resources.includes(TOPIC_ARN) &&
      JSON.stringify(s.body.principals ?? []).includes('cloudwatch.amazonaws.com') &&
      JSON.stringify(s.body.condition ?? []).includes('aws:SourceAccount'),
  );
  if (!cloudWatchPublishes) problems.push("the topic's policy does not let this account's CloudWatch alarms publish to it");

  const filter = blocks(config, 'aws_cloudwatch_log_metric_filter').find((b) => nested(b.body, 'metric_transformation')?.name === 'Http429')?.body;
  if (!filter) problems.push('no log metric filter counts Http429');
  else {
    if (filter.log_group_name !== '${aws_cloudwatch_log_group.access.name}') problems.push(`Http429 is counted from ${filter.log_group_name}, not the HTTP API's access log`);
    if (!/\$\.status\s*=\s*"429"/.test(String(filter.pattern))) problems.push(`Http429's filter ${filter.pattern} does not match status 429`);
  }
  return problems;
}

/**
 * Stream records that still fail after the retries are kept: the mapping reports batch item
 * failures (so one bad record does not re-push its batch), has an on-failure destination, an SQS
 * queue encrypted with the key and kept for days, which the consumer's role may send to.
 */
export function failureDestinationProblems(config: TerraformConfig, references: StackReferences = STACK_REFERENCES): string[] {
  const problems: string[] = [];
  const mapping = findBlock(config, 'aws_lambda_event_source_mapping.push_from_stream');
  if (!mapping) return ['aws_lambda_event_source_mapping.push_from_stream is missing'];
  if (!list(mapping.function_response_types).includes('ReportBatchItemFailures')) {
    problems.push('aws_lambda_event_source_mapping.push_from_stream does not let the handler report batch item failures');
  }
  const destination = nested(nested(mapping, 'destination_config') ?? {}, 'on_failure')?.destination_arn;
  const queue = /^\$\{(aws_sqs_queue\.[a-z_]+)\.arn\}$/.exec(String(destination))?.[1];
  if (!queue) return [...problems, `aws_lambda_event_source_mapping.push_from_stream sends failed batches to ${destination}, not an SQS queue of this configuration`];
  const body = findBlock(config, queue);
  if (!body) return [...problems, `${queue} is missing`];
  if (body.kms_master_key_id !== references.keyArn) problems.push(`${queue} is not encrypted with the customer-managed key`);
  // SQS keeps messages 4 days unless told otherwise; an operator on leave needs longer.
  if (!(Number(body.message_retention_seconds) >= 7 * 86_400)) problems.push(`${queue} keeps messages ${body.message_retention_seconds ?? 'the default 345600'} s, under a week`);
  const role = roleOfFunction(config, STREAM_CONSUMER);
  const statements = role ? statementsOfRole(config, role) : [];
  if (!statements.some((s) => s.actions.includes('sqs:SendMessage') && s.resources.includes(`\${${queue}.arn}`))) {
    problems.push(`${role}, the stream consumer's, may not send to ${queue}`);
  }
  if (!statements.some((s) => s.actions.includes('kms:GenerateDataKey') && s.resources.includes(references.keyArn))) {
    problems.push(`${role}, the stream consumer's, may not encrypt for ${queue} (kms:GenerateDataKey)`);
  }
  return problems;
}

/**
 * The dashboard shows the HTTP API's request rate, latency p50 and p99, errors, and the app's
 * messages delivered and push counts (`appMetrics`, as the code names them, with this
 * deployment's service dimension).
 */
export function dashboardProblems(config: TerraformConfig, appMetrics: readonly string[]): string[] {
  const dashboard = findBlock(config, 'aws_cloudwatch_dashboard.main');
  if (!dashboard) return ['aws_cloudwatch_dashboard.main is missing'];
  const body = String(dashboard.dashboard_body);
  const http = `${apiOf(config, 'HTTP')}.id`;
  const problems: string[] = [];
  const shows = (what: string, pattern: RegExp) => {
    if (!pattern.test(body)) problems.push(`the dashboard does not show ${what}`);
  };
  const gatewayMetric = (name: string) => new RegExp(`\\["AWS/ApiGateway", "${name}", "ApiId", ${http.replace(/[.[\]]/g, '\\$&')}[,\\]]`);
  shows('the request rate (AWS/ApiGateway Count of the HTTP API)', gatewayMetric('Count'));
  for (const stat of ['p50', 'p99']) {
    shows(`latency ${stat}`, new RegExp(`\\["AWS/ApiGateway", "Latency", "ApiId", ${http.replace(/[.[\]]/g, '\\$&')}, \\{ stat = "${stat}"`));
  }
  shows('5xx errors', gatewayMetric('5xx'));
  for (const metric of appMetrics) shows(metric, new RegExp(`\\[local\\.metrics_namespace, "${metric}", "service", var\\.settings\\.name_prefix`));
  return problems;
}

/**
 * Every region's key (the root's aws_kms_key.main and aws_kms_key.replica) has a policy from the
 * one document, made for its own region (`key[local.region]`, `key[each.key]`), which lets that
 * region's CloudWatch Logs encrypt this deployment's log groups and its CloudWatch alarms publish
 * to the encrypted topic: services and ARNs of the document's own region (each.key).
 */
export function keyPolicyProblems(root: TerraformConfig): string[] {
  const problems: string[] = [];
  const policies: Record<string, string> = {
    'aws_kms_key_policy.main': '${data.aws_iam_policy_document.key[local.region].json}',
    'aws_kms_key_policy.replica': '${data.aws_iam_policy_document.key[each.key].json}',
  };
  for (const [address, policy] of Object.entries(policies)) {
    const body = findBlock(root, address);
    if (!body) problems.push(`${address} is missing`);
    else if (body.policy !== policy) problems.push(`${address}.policy is ${body.policy}, not ${policy} (its own region's document)`);
  }
  const document = findBlock(root, 'data.aws_iam_policy_document.key');
  if (!document) return [...problems, 'data.aws_iam_policy_document.key is missing'];
  if (document.for_each !== '${toset(local.regions)}') problems.push(`data.aws_iam_policy_document.key is made for ${document.for_each}, not each region (toset(local.regions))`);
  const statements = policyStatements(root).filter((s) => s.where.startsWith('data.aws_iam_policy_document.key '));
  const byService = (service: string) => statements.find((s) => JSON.stringify(s.body.principals ?? []).includes(service));
  const logs = byService('logs.${each.key}.amazonaws.com');
  if (!logs) problems.push("the key policy does not let the key's own region's CloudWatch Logs (logs.${each.key}.amazonaws.com) encrypt log groups");
  else if (!JSON.stringify(logs.body.condition ?? []).includes(':logs:${each.key}:')) problems.push("the key policy's CloudWatch Logs statement names log groups of another region");
  const alarms = byService('cloudwatch.amazonaws.com');
  if (!alarms) problems.push('the key policy does not let CloudWatch alarms publish to the encrypted topic');
  else if (!JSON.stringify(alarms.body.condition ?? []).includes(':cloudwatch:${each.key}:')) problems.push("the key policy's alarm statement names alarms of another region");
  return problems;
}
