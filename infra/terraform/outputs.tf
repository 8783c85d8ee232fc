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

output "function_names" {
  description = "Lambda function of each route, by route name."
  value       = { for name, fn in aws_lambda_function.route : name => fn.function_name }
}

output "access_log_group" {
  description = "CloudWatch log group of the API's access log."
  value       = aws_cloudwatch_log_group.access.name
}
