# The inputs of one region's stack. The root module (infra/terraform) validates what users set
# (variables.tf there) and passes it on; what is region-specific (the region, its replica's
# stream, its key, its copy of the token secret) comes from the root's table, keys and
# parameters. test/infra checks that module.primary and module.replica pass the same settings and
# each its own region's resources.

variable "region" {
  description = "The region this stack is made in: every regional resource here sets region = var.region (AWS provider 6's per-resource region)."
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

variable "apigateway_logging_role_exists" {
  description = "Whether API Gateway's account settings for this region name a logging role already (deploy.sh asks)."
  type        = bool
}

# What every region's stack is given alike: the root's local.settings, the same object for
# module.primary and each module.replica. Most are the root's variables of the same name, validated
# there; regions, lambda_zip, table_name and kms_key_arns are the root's own values.
variable "settings" {
  description = "The deployment's settings, the same in every region: its regions, names, bundle, table, keys, and the root's variables of the same names (sizes, limits, switches), passed on unchanged."
  type = object({
    # Every region of the deployment, the primary first. Its length says whether the deployment is
    # multi-region (MULTI_REGION); the functions' role may use the table in each.
    regions = list(string)
    # Prefix of every resource name (the root's name_prefix).
    name_prefix = string
    # API_PROFILE of the app (the root's api_profile).
    api_profile = string
    # Path of the Lambda bundle (dist/lambda.zip) every function runs.
    lambda_zip = string
    # Name of the table, the same in every region (a global table's replicas share it).
    table_name = string
    # Every region's key, for kms:Decrypt by the functions' role (a request served here may read or
    # write another region's replica).
    kms_key_arns = list(string)
    # REPLICATION_LAG_BOUND_MS of the app, and the threshold of the ReplicationLatency alarms (half
    # of it for the warning).
    replication_lag_bound_ms = number
    # Provisioned concurrency per HTTP route (route name -> units): those routes get a published
    # version and the alias live, which API Gateway invokes.
    provisioned_concurrency = map(number)
    # Retention of every log group here.
    log_retention_days = number
    # Requests per second the HTTP API stage accepts on average.
    throttling_rate_limit = number
    # Requests the HTTP API stage accepts in a burst.
    throttling_burst_limit = number
    # Memory (MB) of the HTTP routes that do not hash on every request.
    memory_size = number
    # Memory (MB) of register_user and login.
    hashing_memory_size = number
    # Reserved concurrency of register_user and of login each; null for none.
    hashing_reserved_concurrency = number
    # REGISTER_PER_MINUTE of the app.
    register_per_minute = number
    # UNKNOWN_USER_CHECKS_PER_MINUTE of the app.
    unknown_user_checks_per_minute = number
    # Memory (MB) of the push functions.
    push_memory_size = number
    # Connection requests and client frames per second the WebSocket stage accepts on average.
    websocket_throttling_rate_limit = number
    # Connection requests and client frames the WebSocket stage accepts in a burst.
    websocket_throttling_burst_limit = number
    # Whether to make API Gateway's logging role for this region and set it in the region's account
    # settings.
    create_apigateway_logging_role = bool
    # X-Ray tracing of every function.
    tracing = bool
    # Address this region's alarm topic sends to; empty for none.
    alarm_email = string
  })
}
