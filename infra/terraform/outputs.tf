output "api_url" {
  description = "Base URL of the API: https://<domain_name> with a custom domain, else the primary region's execute-api URL. npm run test:integration -- --url=<api_url> --profile=<api_profile>."
  value       = var.domain_name == null ? module.primary.api_url : "https://${var.domain_name}"
}

output "websocket_url" {
  description = "wss:// URL of the push WebSocket API (wss://ws.<domain_name> with a custom domain, else the primary region's): a client connects to <websocket_url>?token=<token from /login> and receives each new message of its inbox as a frame."
  value       = var.domain_name == null ? module.primary.websocket_url : "wss://${local.websocket_domain_name}"
}

output "regional_urls" {
  description = "Each region's own URLs (execute-api, reachable whether or not there is a custom domain) and dashboard, by region (output regions lists the primary first)."
  value = {
    for region, stack in local.stacks : region => {
      api       = stack.api_url
      websocket = stack.websocket_url
      dashboard = stack.dashboard_url
    }
  }
}

output "regions" {
  description = "Every region of the deployment, the primary first (the app's REGIONS)."
  value       = local.regions
}

output "custom_domain" {
  description = "The custom domain names (http and websocket), or null without domain_name."
  value       = var.domain_name == null ? null : { http = var.domain_name, websocket = local.websocket_domain_name }
}

output "api_profile" {
  description = "API_PROFILE the functions serve (secure or seed), for the integration suite's --profile."
  value       = var.api_profile
}

output "table_name" {
  description = "Name of the DynamoDB table (the same in every region)."
  value       = aws_dynamodb_table.main.name
}

output "function_names" {
  description = "Lambda function of each HTTP route and each push function (ws_connect, ws_disconnect, ws_message, push_from_stream), by name; the same names in every region."
  value       = module.primary.function_names
}

output "access_log_group" {
  description = "CloudWatch log group of the API's access log (the same name in every region)."
  value       = module.primary.access_log_group
}

output "websocket_access_log_group" {
  description = "CloudWatch log group of the push WebSocket API's access log (the same name in every region)."
  value       = module.primary.websocket_access_log_group
}

output "region" {
  description = "The deployment's (primary) region: var.region, or the AWS configuration's when it is null."
  value       = local.region
}

output "dashboard_url" {
  description = "The primary region's CloudWatch dashboard: request rate, latency p50/p99, errors, messages delivered and pushes (regional_urls has each region's)."
  value       = module.primary.dashboard_url
}

output "alarm_topic_arns" {
  description = "SNS topic every alarm of a region notifies (subscribed to alarm_email when it is set), by region."
  value       = { for region, stack in local.stacks : region => stack.alarm_topic_arn }
}

output "failed_stream_records_queue" {
  description = "SQS queue holding the stream batches a region's push consumer gave up on after its retries (the same name in every region)."
  value       = module.primary.failed_stream_records_queue
}

output "token_secret_parameter" {
  description = "SSM parameter (SecureString) holding the token secret, the same name and value in every region; its value is never in the state."
  value       = aws_ssm_parameter.token_secret.name
}
