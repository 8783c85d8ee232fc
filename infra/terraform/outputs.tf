output "api_url" {
  description = "Base URL of the API: npm run test:integration -- --url=<api_url> --profile=<api_profile>."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "api_profile" {
  description = "API_PROFILE the functions serve (secure or seed), for the integration suite's --profile."
  value       = var.api_profile
}

output "table_name" {
  description = "Name of the DynamoDB table."
  value       = aws_dynamodb_table.main.name
}

output "websocket_url" {
  description = "wss:// URL of the push WebSocket API: a client connects to <websocket_url>?token=<token from /login> and receives each new message of its inbox as a frame."
  value       = aws_apigatewayv2_stage.websocket.invoke_url
}

output "function_names" {
  description = "Lambda function of each HTTP route and each push function (ws_connect, ws_disconnect, ws_message, push_from_stream), by name."
  value       = { for name, fn in local.functions : name => fn.function_name }
}

output "access_log_group" {
  description = "CloudWatch log group of the API's access log."
  value       = aws_cloudwatch_log_group.access.name
}

output "websocket_access_log_group" {
  description = "CloudWatch log group of the push WebSocket API's access log."
  value       = aws_cloudwatch_log_group.websocket_access.name
}

output "region" {
  description = "Region of this deployment (var.region, or the AWS configuration's when it is null)."
  value       = local.region
}

output "dashboard_url" {
  description = "The CloudWatch dashboard of this deployment: request rate, latency p50/p99, errors, messages delivered and pushes."
  value       = "https://${local.region}.console.aws.amazon.com/cloudwatch/home?region=${local.region}#dashboards/dashboard/${aws_cloudwatch_dashboard.main.dashboard_name}"
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies (subscribed to alarm_email when it is set)."
  value       = aws_sns_topic.alarms.arn
}

output "failed_stream_records_queue" {
  description = "SQS queue holding the stream batches the push consumer gave up on after its retries."
  value       = aws_sqs_queue.failed_stream_records.name
}

output "token_secret_parameter" {
  description = "SSM parameter (SecureString) holding the token secret; its value is never in the state."
  value       = aws_ssm_parameter.token_secret.name
}
