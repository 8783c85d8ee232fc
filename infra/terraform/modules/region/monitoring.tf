# What the operators of a deployment see: alarms on what users notice or what needs a person (server
# errors, throttling, crashes, a stream consumer falling behind, DynamoDB throttling, WebSocket
# failures, stream records given up on), sent to one SNS topic; one dashboard with the request rate,
# latency, errors, messages delivered and pushes. The app's own metrics (messages delivered, group
# fan-out, lockouts, rate-limited requests, pushes sent and gone, storage 503s) come from Powertools
# Metrics in the functions' logs (Embedded Metric Format), in the namespace local.metrics_namespace
# with the dimension service = var.settings.name_prefix. Each region has its own topic, alarms and
# dashboard; with several regions, also replication.tf's alarms. test/infra checks that every
# function has its alarms and each alarm watches the right thing.
# The alarms on one metric are a resource per kind, not entries of one map over all: a deployed
# alarm keeps its address, and moved blocks cannot iterate, so one map would take a moved block per
# function for the per-function alarms, and one per region name, which cannot be listed ahead, for
# replication.tf's.

locals {
  # Every function, by the name each.key gives its alarms.
  functions = merge(
    aws_lambda_function.route,
    aws_lambda_function.websocket,
    { push_from_stream = aws_lambda_function.push_from_stream },
  )

  alarm_actions = [aws_sns_topic.alarms.arn]

  # Every alarm of this deployment: each alarm's name starts with the prefix.
  alarm_arns = "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.settings.name_prefix}-*"

  # The app's metrics, as src/adapters/lambda/ServiceMetrics.ts names them.
  service_dimension = { service = var.settings.name_prefix }
}

# ---------------------------------------------------------------------------------------------
# Where alarms go. Encrypted with this region's key, whose policy lets CloudWatch use it for this
# (the root's main.tf).

resource "aws_sns_topic" "alarms" {
  region            = var.region
  name              = "${var.settings.name_prefix}-alarms"
  kms_master_key_id = var.kms_key_arn
}

# This account may manage and use the topic as by default; CloudWatch may publish this
# deployment's alarms to it (and, main.tf, use the key for them), no other account's.
data "aws_iam_policy_document" "alarms_topic" {
  statement {
    sid = "ThisAccountManagesTheTopic"
    actions = [
      "sns:GetTopicAttributes",
      "sns:SetTopicAttributes",
      "sns:AddPermission",
      "sns:RemovePermission",
      "sns:DeleteTopic",
      "sns:Subscribe",
      "sns:ListSubscriptionsByTopic",
      "sns:Publish",
    ]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchPublishesThisDeploymentsAlarms"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.alarm_arns]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  region = var.region
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms_topic.json
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = var.settings.alarm_email == "" ? 0 : 1

  region    = var.region
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.settings.alarm_email
}

# ---------------------------------------------------------------------------------------------
# The HTTP API: the share of requests answered 5xx, and of those answered 429 (the stage's
# throttle, lockouts and per-address limits alike: API Gateway has no metric of its own for 429,
# so the access log's status is counted).

resource "aws_cloudwatch_log_metric_filter" "api_429" {
  region         = var.region
  name           = "${var.settings.name_prefix}-429"
  log_group_name = aws_cloudwatch_log_group.access.name
  pattern        = "{ $.status = \"429\" }"

  metric_transformation {
    name       = "Http429"
    namespace  = local.metrics_namespace
    value      = "1"
    unit       = "Count"
    dimensions = { ApiId = "$.apiId" }
  }
}

resource "aws_cloudwatch_metric_alarm" "api_5xx_rate" {
  region              = var.region
  alarm_name          = "${var.settings.name_prefix}-api-5xx-rate"
  alarm_description   = "More than 1% of the HTTP API's requests answered 5xx in two of three 5-minute periods: server errors or storage unavailable (503)."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 1
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "rate"
    expression  = "IF(requests > 0, 100 * errors / requests, 0)"
    label       = "5xx (% of requests)"
    return_data = true
  }

  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "5xx"
      dimensions  = { ApiId = aws_apigatewayv2_api.main.id }
      period      = 300
      stat        = "Sum"
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "Count"
      dimensions  = { ApiId = aws_apigatewayv2_api.main.id }
      period      = 300
      stat        = "Sum"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "api_429_rate" {
  region              = var.region
  alarm_name          = "${var.settings.name_prefix}-api-429-rate"
  alarm_description   = "More than 5% of the HTTP API's requests answered 429 in two of three 5-minute periods: the stage throttle (throttling_rate_limit), lockouts or per-address limits are refusing clients."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 5
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "rate"
    expression  = "IF(requests > 0, 100 * refused / requests, 0)"
    label       = "429 (% of requests)"
    return_data = true
  }

  metric_query {
    id = "refused"
    metric {
      namespace   = local.metrics_namespace
      metric_name = "Http429"
      dimensions  = { ApiId = aws_apigatewayv2_api.main.id }
      period      = 300
      stat        = "Sum"
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "Count"
      dimensions  = { ApiId = aws_apigatewayv2_api.main.id }
      period      = 300
      stat        = "Sum"
    }
  }
}

# ---------------------------------------------------------------------------------------------
# Every function: errors (a crash or a timeout: the app answers its own failures, so a Lambda
# error is one it could not) and throttles (the account's or the function's concurrency is used up).

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each = local.functions

  region              = var.region
  alarm_name          = "${each.value.function_name}-errors"
  alarm_description   = "${each.value.function_name} failed (crashed or timed out) in a 5-minute period."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = each.value.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "function_throttles" {
  for_each = local.functions

  region              = var.region
  alarm_name          = "${each.value.function_name}-throttles"
  alarm_description   = "${each.value.function_name} was throttled in a 5-minute period: concurrency used up (reserved, or the account's quota)."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = each.value.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# The stream consumer falling behind: pushes arrive late (each minute here is a minute of delay).
resource "aws_cloudwatch_metric_alarm" "stream_iterator_age" {
  region              = var.region
  alarm_name          = "${var.settings.name_prefix}-push-iterator-age"
  alarm_description   = "The push stream consumer is more than a minute behind the table's stream for 5 minutes: pushes are late."
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  dimensions          = { FunctionName = aws_lambda_function.push_from_stream.function_name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = 60000
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# Stream batches given up on after the retries: their descriptions wait in the queue.
resource "aws_cloudwatch_metric_alarm" "failed_stream_records" {
  region              = var.region
  alarm_name          = "${var.settings.name_prefix}-failed-stream-records"
  alarm_description   = "Stream records the push consumer gave up on are waiting in ${aws_sqs_queue.failed_stream_records.name}."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.failed_stream_records.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# ---------------------------------------------------------------------------------------------
# DynamoDB throttling (on demand too, past a partition's or the account's limits): the adapter
# retries, then answers 503.

resource "aws_cloudwatch_metric_alarm" "dynamodb_throttles" {
  region              = var.region
  alarm_name          = "${var.settings.name_prefix}-dynamodb-throttles"
  alarm_description   = "DynamoDB throttled reads or writes of the table ${var.settings.table_name} in a 5-minute period."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "throttled"
    expression  = "reads + writes"
    label       = "Throttled reads and writes"
    return_data = true
  }

  metric_query {
    id = "reads"
    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "ReadThrottleEvents"
      dimensions  = { TableName = var.settings.table_name }
      period      = 300
      stat        = "Sum"
    }
  }

  metric_query {
    id = "writes"
    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "WriteThrottleEvents"
      dimensions  = { TableName = var.settings.table_name }
      period      = 300
      stat        = "Sum"
    }
  }
}

# ---------------------------------------------------------------------------------------------
# The WebSocket API: API Gateway could not run or reach a route's function.

resource "aws_cloudwatch_metric_alarm" "websocket_errors" {
  region              = var.region
  alarm_name          = "${var.settings.name_prefix}-websocket-errors"
  alarm_description   = "The push WebSocket API failed to run (ExecutionError) or reach (IntegrationError) its functions in a 5-minute period."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "failed"
    expression  = "execution + integration"
    label       = "WebSocket execution and integration errors"
    return_data = true
  }

  metric_query {
    id = "execution"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "ExecutionError"
      dimensions  = { ApiId = aws_apigatewayv2_api.websocket.id }
      period      = 300
      stat        = "Sum"
    }
  }

  metric_query {
    id = "integration"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "IntegrationError"
      dimensions  = { ApiId = aws_apigatewayv2_api.websocket.id }
      period      = 300
      stat        = "Sum"
    }
  }
}

# ---------------------------------------------------------------------------------------------
# One dashboard. Its name is global to the account, hence the region in it.

resource "aws_cloudwatch_dashboard" "main" {
  region         = var.region
  dashboard_name = local.global_name
  dashboard_body = jsonencode({
    widgets = concat([
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title   = "Requests per minute"
          region  = local.region
          view    = "timeSeries"
          stat    = "Sum"
          period  = 60
          metrics = [["AWS/ApiGateway", "Count", "ApiId", aws_apigatewayv2_api.main.id, { label = "requests" }]]
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title  = "Latency (ms)"
          region = local.region
          view   = "timeSeries"
          period = 60
          metrics = [
            ["AWS/ApiGateway", "Latency", "ApiId", aws_apigatewayv2_api.main.id, { stat = "p50", label = "p50" }],
            ["AWS/ApiGateway", "Latency", "ApiId", aws_apigatewayv2_api.main.id, { stat = "p99", label = "p99" }],
          ]
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title  = "Errors per minute"
          region = local.region
          view   = "timeSeries"
          stat   = "Sum"
          period = 60
          metrics = [
            ["AWS/ApiGateway", "5xx", "ApiId", aws_apigatewayv2_api.main.id, { label = "5xx" }],
            ["AWS/ApiGateway", "4xx", "ApiId", aws_apigatewayv2_api.main.id, { label = "4xx" }],
            [local.metrics_namespace, "Http429", "ApiId", aws_apigatewayv2_api.main.id, { label = "429" }],
            [local.metrics_namespace, "StorageUnavailable", "service", var.settings.name_prefix, { label = "storage 503" }],
            ["AWS/ApiGateway", "IntegrationError", "ApiId", aws_apigatewayv2_api.websocket.id, { label = "WebSocket integration errors" }],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 6, width = 12, height = 6
        properties = {
          title  = "Messages delivered and pushed per minute"
          region = local.region
          view   = "timeSeries"
          stat   = "Sum"
          period = 60
          metrics = [
            [local.metrics_namespace, "MessagesDelivered", "service", var.settings.name_prefix, { label = "delivered to inboxes" }],
            [local.metrics_namespace, "PushesSent", "service", var.settings.name_prefix, { label = "pushes sent" }],
            [local.metrics_namespace, "PushesGone", "service", var.settings.name_prefix, { label = "pushes to gone connections" }],
          ]
        }
      },
      {
        type = "metric", x = 0, y = 12, width = 12, height = 6
        properties = {
          title  = "Refusals per minute"
          region = local.region
          view   = "timeSeries"
          stat   = "Sum"
          period = 60
          metrics = [
            [local.metrics_namespace, "Lockouts", "service", var.settings.name_prefix, { label = "lockouts (429 too_many_attempts)" }],
            [local.metrics_namespace, "RateLimited", "service", var.settings.name_prefix, { label = "rate limited (429 rate_limited)" }],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 12, width = 12, height = 6
        properties = {
          title  = "Group fan-out (recipients per group message)"
          region = local.region
          view   = "timeSeries"
          period = 300
          metrics = [
            [local.metrics_namespace, "GroupFanOut", "service", var.settings.name_prefix, { stat = "Average", label = "average" }],
            [local.metrics_namespace, "GroupFanOut", "service", var.settings.name_prefix, { stat = "Maximum", label = "largest" }],
          ]
        }
      },
    ], local.multi_region ? [local.replication_widget] : [])
  })
}
