# The inputs of one region's stack. The root module (infra/terraform) validates what users set
# (variables.tf there) and passes it on; what is region-specific (the region, its replica's
# stream, its key, its copy of the token secret) comes from the root's table, keys and
# parameters. test/infra checks that module.primary and module.replica pass the same settings and
# each its own region's resources.

variable "region" {
  description = "The region this stack is made in: every regional resource here sets region = var.region (AWS provider 6's per-resource region)."
  type        = string
}

variable "regions" {
  description = "Every region of the deployment, the primary first. Its length says whether the deployment is multi-region (MULTI_REGION); the functions' role may use the table in each."
  type        = list(string)
}

variable "name_prefix" {
  description = "Prefix of every resource name (the root's name_prefix)."
  type        = string
}

variable "api_profile" {
  description = "API_PROFILE of the app (the root's api_profile)."
  type        = string
}

variable "lambda_zip" {
  description = "Path of the Lambda bundle (dist/lambda.zip) every function runs."
  type        = string
}

variable "table_name" {
  description = "Name of the table, the same in every region (a global table's replicas share it)."
  type        = string
}

variable "stream_arn" {
  description = "Stream of this region's replica of the table: the push consumer here reads it (every insert, local or replicated)."
  type        = string
}

variable "kms_key_arn" {
  description = "This region's customer-managed key: the functions' environment, the log groups, the alarm topic and the failed-records queue here."
  type        = string
}

variable "kms_key_arns" {
  description = "Every region's key, for kms:Decrypt by the functions' role (a request served here may read or write another region's replica)."
  type        = list(string)
}

variable "kms_key_policy_id" {
  description = "The id of this region's key policy (aws_kms_key_policy): what uses the key here waits for it (terraform_data.key_policy), since CloudWatch Logs checks the key's policy when a log group is made."
  type        = string
}

variable "token_secret_parameter_name" {
  description = "Name of this region's SSM SecureString holding the token secret (the same value in every region)."
  type        = string
}

variable "token_secret_parameter_arn" {
  description = "ARN of this region's token secret parameter, which the functions' roles may read."
  type        = string
}

variable "replication_lag_bound_ms" {
  description = "REPLICATION_LAG_BOUND_MS of the app, and the threshold of the ReplicationLatency alarms (half of it for the warning)."
  type        = number
}

variable "provisioned_concurrency" {
  description = "Provisioned concurrency per HTTP route (route name -> units): those routes get a published version and the alias live, which API Gateway invokes."
  type        = map(number)
}

variable "log_retention_days" {
  description = "Retention of every log group here."
  type        = number
}

variable "throttling_rate_limit" {
  description = "Requests per second the HTTP API stage accepts on average."
  type        = number
}

variable "throttling_burst_limit" {
  description = "Requests the HTTP API stage accepts in a burst."
  type        = number
}

variable "memory_size" {
  description = "Memory (MB) of the HTTP routes that do not hash on every request."
  type        = number
}

variable "hashing_memory_size" {
  description = "Memory (MB) of register_user and login."
  type        = number
}

variable "hashing_reserved_concurrency" {
  description = "Reserved concurrency of register_user and of login each; null for none."
  type        = number
  nullable    = true
}

variable "register_per_minute" {
  description = "REGISTER_PER_MINUTE of the app."
  type        = number
}

variable "unknown_user_checks_per_minute" {
  description = "UNKNOWN_USER_CHECKS_PER_MINUTE of the app."
  type        = number
}

variable "push_memory_size" {
  description = "Memory (MB) of the push functions."
  type        = number
}

variable "websocket_throttling_rate_limit" {
  description = "Connection requests and client frames per second the WebSocket stage accepts on average."
  type        = number
}

variable "websocket_throttling_burst_limit" {
  description = "Connection requests and client frames the WebSocket stage accepts in a burst."
  type        = number
}

variable "create_apigateway_logging_role" {
  description = "Whether to make API Gateway's logging role for this region and set it in the region's account settings."
  type        = bool
}

variable "apigateway_logging_role_exists" {
  description = "Whether API Gateway's account settings for this region name a logging role already (deploy.sh asks)."
  type        = bool
}

variable "tracing" {
  description = "X-Ray tracing of every function."
  type        = bool
}

variable "alarm_email" {
  description = "Address this region's alarm topic sends to; empty for none."
  type        = string
}
