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
  value = merge(
    { for name, fn in aws_lambda_function.route : name => fn.function_name },
    { for name, fn in aws_lambda_function.websocket : name => fn.function_name },
    { push_from_stream = aws_lambda_function.push_from_stream.function_name },
  )
}

output "access_log_group" {
  description = "CloudWatch log group of the API's access log."
  value       = aws_cloudwatch_log_group.access.name
}

output "websocket_access_log_group" {
  description = "CloudWatch log group of the push WebSocket API's access log."
  value       = aws_cloudwatch_log_group.websocket_access.name
}
