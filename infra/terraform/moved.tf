# A deployment made before the regional module existed (issue 16 and earlier) has these resources at
# the root of its state; they are module.primary's now. Each moved block moves one resource, all
# its instances, so that applying this configuration to such a state moves them and recreates
# nothing (test/infra checks every resource of that state, test/fixtures/terraform).

moved {
  from = aws_api_gateway_account.main
  to   = module.primary.aws_api_gateway_account.main
}

moved {
  from = aws_apigatewayv2_api.main
  to   = module.primary.aws_apigatewayv2_api.main
}

moved {
  from = aws_apigatewayv2_api.websocket
  to   = module.primary.aws_apigatewayv2_api.websocket
}

moved {
  from = aws_apigatewayv2_deployment.websocket
  to   = module.primary.aws_apigatewayv2_deployment.websocket
}

moved {
  from = aws_apigatewayv2_integration.route
  to   = module.primary.aws_apigatewayv2_integration.route
}

moved {
  from = aws_apigatewayv2_integration.websocket
  to   = module.primary.aws_apigatewayv2_integration.websocket
}

moved {
  from = aws_apigatewayv2_route.route
  to   = module.primary.aws_apigatewayv2_route.route
}

moved {
  from = aws_apigatewayv2_route.websocket
  to   = module.primary.aws_apigatewayv2_route.websocket
}

moved {
  from = aws_apigatewayv2_stage.default
  to   = module.primary.aws_apigatewayv2_stage.default
}

moved {
  from = aws_apigatewayv2_stage.websocket
  to   = module.primary.aws_apigatewayv2_stage.websocket
}

moved {
  from = aws_cloudwatch_dashboard.main
  to   = module.primary.aws_cloudwatch_dashboard.main
}

moved {
  from = aws_cloudwatch_log_group.access
  to   = module.primary.aws_cloudwatch_log_group.access
}

moved {
  from = aws_cloudwatch_log_group.function
  to   = module.primary.aws_cloudwatch_log_group.function
}

moved {
  from = aws_cloudwatch_log_group.push_from_stream
  to   = module.primary.aws_cloudwatch_log_group.push_from_stream
}

moved {
  from = aws_cloudwatch_log_group.websocket
  to   = module.primary.aws_cloudwatch_log_group.websocket
}

moved {
  from = aws_cloudwatch_log_group.websocket_access
  to   = module.primary.aws_cloudwatch_log_group.websocket_access
}

moved {
  from = aws_cloudwatch_log_metric_filter.api_429
  to   = module.primary.aws_cloudwatch_log_metric_filter.api_429
}

moved {
  from = aws_cloudwatch_metric_alarm.api_429_rate
  to   = module.primary.aws_cloudwatch_metric_alarm.api_429_rate
}

moved {
  from = aws_cloudwatch_metric_alarm.api_5xx_rate
  to   = module.primary.aws_cloudwatch_metric_alarm.api_5xx_rate
}

moved {
  from = aws_cloudwatch_metric_alarm.dynamodb_throttles
  to   = module.primary.aws_cloudwatch_metric_alarm.dynamodb_throttles
}

moved {
  from = aws_cloudwatch_metric_alarm.failed_stream_records
  to   = module.primary.aws_cloudwatch_metric_alarm.failed_stream_records
}

moved {
  from = aws_cloudwatch_metric_alarm.function_errors
  to   = module.primary.aws_cloudwatch_metric_alarm.function_errors
}

moved {
  from = aws_cloudwatch_metric_alarm.function_throttles
  to   = module.primary.aws_cloudwatch_metric_alarm.function_throttles
}

moved {
  from = aws_cloudwatch_metric_alarm.stream_iterator_age
  to   = module.primary.aws_cloudwatch_metric_alarm.stream_iterator_age
}

moved {
  from = aws_cloudwatch_metric_alarm.websocket_errors
  to   = module.primary.aws_cloudwatch_metric_alarm.websocket_errors
}

moved {
  from = aws_iam_role_policy_attachment.apigateway_logs
  to   = module.primary.aws_iam_role_policy_attachment.apigateway_logs
}

moved {
  from = aws_iam_role_policy.function
  to   = module.primary.aws_iam_role_policy.function
}

moved {
  from = aws_iam_role_policy.push
  to   = module.primary.aws_iam_role_policy.push
}

moved {
  from = aws_iam_role.apigateway_logs
  to   = module.primary.aws_iam_role.apigateway_logs
}

moved {
  from = aws_iam_role.function
  to   = module.primary.aws_iam_role.function
}

moved {
  from = aws_iam_role.push
  to   = module.primary.aws_iam_role.push
}

moved {
  from = aws_lambda_event_source_mapping.push_from_stream
  to   = module.primary.aws_lambda_event_source_mapping.push_from_stream
}

moved {
  from = aws_lambda_function.push_from_stream
  to   = module.primary.aws_lambda_function.push_from_stream
}

moved {
  from = aws_lambda_function.route
  to   = module.primary.aws_lambda_function.route
}

moved {
  from = aws_lambda_function.websocket
  to   = module.primary.aws_lambda_function.websocket
}

moved {
  from = aws_lambda_permission.route
  to   = module.primary.aws_lambda_permission.route
}

moved {
  from = aws_lambda_permission.websocket
  to   = module.primary.aws_lambda_permission.websocket
}

moved {
  from = aws_sns_topic_policy.alarms
  to   = module.primary.aws_sns_topic_policy.alarms
}

moved {
  from = aws_sns_topic_subscription.alarm_email
  to   = module.primary.aws_sns_topic_subscription.alarm_email
}

moved {
  from = aws_sns_topic.alarms
  to   = module.primary.aws_sns_topic.alarms
}

moved {
  from = aws_sqs_queue.failed_stream_records
  to   = module.primary.aws_sqs_queue.failed_stream_records
}
