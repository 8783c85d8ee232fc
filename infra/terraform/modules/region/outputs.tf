output "api_url" {
  description = "Base URL of this region's HTTP API (its execute-api endpoint)."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "http_api_id" {
  description = "Id of this region's HTTP API: custom domains map to it, the health check calls /health on it."
  value       = aws_apigatewayv2_api.main.id
}

output "http_api_host" {
  description = "Host name of this region's HTTP API endpoint (<api-id>.execute-api.<region>.<suffix>), which Route 53 health checks call."
  value       = "${aws_apigatewayv2_api.main.id}.execute-api.${var.region}.${local.dns_suffix}"
}

output "http_stage_name" {
  description = "Stage of the HTTP API a custom domain maps to ($default)."
  value       = aws_apigatewayv2_stage.default.name
}

output "websocket_url" {
  description = "wss:// URL of this region's push WebSocket API stage."
  value       = aws_apigatewayv2_stage.websocket.invoke_url
}

output "websocket_api_id" {
  description = "Id of this region's push WebSocket API."
  value       = aws_apigatewayv2_api.websocket.id
}

output "websocket_stage_name" {
  description = "Stage of the WebSocket API a custom domain maps to, and whose connections the Management API manages."
  value       = aws_apigatewayv2_stage.websocket.name
}

output "websocket_execution_arn" {
  description = "Execution ARN of this region's WebSocket API: other regions' push roles may close connections under it."
  value       = aws_apigatewayv2_api.websocket.execution_arn
}

output "push_role_name" {
  description = "Name of this region's push functions' role, to which the root adds closing other regions' connections."
  value       = aws_iam_role.push.name
}

output "function_names" {
  description = "Lambda function of each HTTP route and each push function here, by name."
  value       = { for name, fn in local.functions : name => fn.function_name }
}

output "access_log_group" {
  description = "CloudWatch log group of this region's HTTP API access log."
  value       = aws_cloudwatch_log_group.access.name
}

output "websocket_access_log_group" {
  description = "CloudWatch log group of this region's WebSocket API access log."
  value       = aws_cloudwatch_log_group.websocket_access.name
}

output "dashboard_url" {
  description = "This region's CloudWatch dashboard."
  value       = "https://${var.region}.console.aws.amazon.com/cloudwatch/home?region=${var.region}#dashboards/dashboard/${aws_cloudwatch_dashboard.main.dashboard_name}"
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm of this region notifies."
  value       = aws_sns_topic.alarms.arn
}

output "failed_stream_records_queue" {
  description = "SQS queue of the stream batches this region's push consumer gave up on."
  value       = aws_sqs_queue.failed_stream_records.name
}
