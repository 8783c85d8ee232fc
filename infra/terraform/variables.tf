variable "region" {
  description = "AWS region to deploy to. null (the default): the AWS provider's own choice, as the AWS CLI makes it (AWS_REGION, AWS_DEFAULT_REGION, the profile's region). Set it here, in terraform.tfvars or as TF_VAR_region to fix it; deploy.sh prints the region it resolved before applying."
  type        = string
  default     = null
  nullable    = true

  validation {
    # Region codes: us-east-1, ap-southeast-5, us-gov-west-1... at most 14 characters so far, and
    # 16 keeps every global name (<prefix>-<region>-apigateway-logs) within IAM's 64.
    condition     = var.region == null ? true : can(regex("^[a-z]{2}(-[a-z]+){1,2}-[0-9]$", var.region)) && length(var.region) <= 16
    error_message = "region must be an AWS region code such as eu-west-1, or null to use the AWS configuration's."
  }
}

variable "name_prefix" {
  description = "Prefix of every resource name (functions are <prefix>-<route>, the table is <prefix>). One deployment per prefix and region."
  type        = string
  default     = "messaging-api"

  validation {
    # At least 3: the table is named the prefix, and DynamoDB table names have 3 to 255 characters.
    # At most 32: Lambda function names (the prefix, a dash and the longest function name, 18) and
    # IAM role names (the prefix, the region, "-apigateway-logs") have at most 64.
    # test/infra checks these bounds against every name made from the prefix.
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3 to 32 characters: lower-case letters, digits and dashes, starting with a letter and not ending with a dash."
  }
}

variable "api_profile" {
  description = "API_PROFILE of the app: secure (the product) or seed (clients of the original system, with open group management; see the README)."
  type        = string
  default     = "secure"

  validation {
    condition     = contains(["secure", "seed"], var.api_profile)
    error_message = "api_profile must be secure or seed."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the functions' logs and the API access log. 30 keeps log storage cheap; compliance regimes often ask for 365 or more."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "throttling_rate_limit" {
  description = "Requests per second the API stage accepts on average, across all clients; more get 429 from API Gateway. Bounds what a flood can cost."
  type        = number
  default     = 50

  validation {
    condition     = var.throttling_rate_limit > 0
    error_message = "throttling_rate_limit must be positive."
  }
}

variable "throttling_burst_limit" {
  description = "Requests the API stage accepts in a burst above the rate limit."
  type        = number
  default     = 100

  validation {
    condition     = var.throttling_burst_limit > 0 && var.throttling_burst_limit == floor(var.throttling_burst_limit)
    error_message = "throttling_burst_limit must be a positive whole number."
  }
}

variable "memory_size" {
  description = "Memory (MB) of the functions that hash a password only when body credentials miss the per-instance cache (every route but register_user and login). CPU grows with memory."
  type        = number
  default     = 1024

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && var.memory_size == floor(var.memory_size)
    error_message = "memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "hashing_memory_size" {
  description = "Memory (MB) of register_user and login, which run scrypt on every request. 1769 MB is one full vCPU, the most a single-threaded hash can use."
  type        = number
  default     = 1769

  validation {
    condition     = var.hashing_memory_size >= 128 && var.hashing_memory_size <= 10240 && var.hashing_memory_size == floor(var.hashing_memory_size)
    error_message = "hashing_memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "hashing_reserved_concurrency" {
  description = "Reserved (and so maximum) concurrent executions of register_user and of login each, which anyone can make hash. null reserves none: new AWS accounts, whose concurrency quota of 10 leaves nothing to reserve (AWS keeps 100 unreserved)."
  type        = number
  default     = 10
  nullable    = true

  validation {
    condition     = var.hashing_reserved_concurrency == null || try(var.hashing_reserved_concurrency >= 1 && var.hashing_reserved_concurrency == floor(var.hashing_reserved_concurrency), false)
    error_message = "hashing_reserved_concurrency must be null or a whole number of at least 1 (0 would switch the routes off)."
  }
}

variable "register_per_minute" {
  description = "REGISTER_PER_MINUTE of the app: registrations per client address and minute. Raise it for the integration suite, which registers hundreds of users from one address."
  type        = number
  default     = 30

  validation {
    condition     = var.register_per_minute >= 1 && var.register_per_minute == floor(var.register_per_minute)
    error_message = "register_per_minute must be a whole number of at least 1."
  }
}

variable "unknown_user_checks_per_minute" {
  description = "UNKNOWN_USER_CHECKS_PER_MINUTE of the app: password checks for user ids that do not exist, per client address and minute."
  type        = number
  default     = 30

  validation {
    condition     = var.unknown_user_checks_per_minute >= 1 && var.unknown_user_checks_per_minute == floor(var.unknown_user_checks_per_minute)
    error_message = "unknown_user_checks_per_minute must be a whole number of at least 1."
  }
}

variable "table_deletion_protection" {
  description = "Whether DynamoDB refuses to delete the table. Keep it on for real data; a throwaway test deployment turns it off so destroy.sh can remove everything."
  type        = bool
  default     = true
}

variable "push_memory_size" {
  description = "Memory (MB) of the push functions (the three WebSocket routes and the stream consumer). They never hash a password: they verify a token, call DynamoDB and post to connections, so memory buys little but a faster cold start."
  type        = number
  default     = 512

  validation {
    condition     = var.push_memory_size >= 128 && var.push_memory_size <= 10240 && var.push_memory_size == floor(var.push_memory_size)
    error_message = "push_memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "websocket_throttling_rate_limit" {
  description = "Connection requests and client frames (pings) per second the push WebSocket stage accepts on average, across all clients; more are refused by API Gateway. Bounds what a flood of connections can cost."
  type        = number
  default     = 50

  validation {
    condition     = var.websocket_throttling_rate_limit > 0
    error_message = "websocket_throttling_rate_limit must be positive."
  }
}

variable "websocket_throttling_burst_limit" {
  description = "Connection requests and client frames the push WebSocket stage accepts in a burst above the rate limit."
  type        = number
  default     = 100

  validation {
    condition     = var.websocket_throttling_burst_limit > 0 && var.websocket_throttling_burst_limit == floor(var.websocket_throttling_burst_limit)
    error_message = "websocket_throttling_burst_limit must be a positive whole number."
  }
}

variable "create_apigateway_logging_role" {
  description = "Whether to create the role API Gateway writes REST and WebSocket API logs with (the managed policy AmazonAPIGatewayPushToCloudWatchLogs) and set it in API Gateway's account settings for the region, replacing any role set before (destroy clears the setting). Only where no role is set (aws apigateway get-account shows no cloudwatchRoleArn) and nothing else in the region relies on the setting."
  type        = bool
  default     = false
}

variable "apigateway_logging_role_exists" {
  description = "Whether API Gateway's account settings for the (primary) region already name a logging role (aws apigateway get-account shows a cloudwatchRoleArn); deploy.sh sets it. The WebSocket stage keeps an access log only with such a role, or with create_apigateway_logging_role."
  type        = bool
  default     = false
}

variable "apigateway_logging_role_replica_regions" {
  description = "The replica regions whose API Gateway account settings already name a logging role (apigateway_logging_role_exists, for each replica region); deploy.sh sets it."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for r in var.apigateway_logging_role_replica_regions : contains(var.replica_regions, r)])
    error_message = "apigateway_logging_role_replica_regions may list only regions of replica_regions."
  }
}

variable "token_secret_version" {
  description = "Version of the token secret in SSM. The secret is drawn once and never written to the state; raise this number to draw a new one (tokens signed with the old one stop working at once)."
  type        = number
  default     = 1

  validation {
    condition     = var.token_secret_version >= 1 && var.token_secret_version == floor(var.token_secret_version)
    error_message = "token_secret_version must be a whole number of at least 1."
  }
}

variable "tracing" {
  description = "X-Ray tracing of every function (Lambda's active tracing and Powertools Tracer's subsegments for each AWS SDK call). Off by default: it adds to every cold start (README, Deploy to AWS, for the measured cost) and X-Ray bills per trace."
  type        = bool
  default     = false
}

variable "alarm_email" {
  description = "Address the alarms' SNS topic sends to (AWS asks it to confirm the subscription first). Empty: the topic has no subscriber; subscribe one yourself (chat, paging)."
  type        = string
  default     = ""

  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be an email address, or empty."
  }
}

# ---------------------------------------------------------------------------------------------
# The scaling switches (issue 17), each off by default; npm run cost prices them, SCALING.md says
# when each is worth it.

variable "replica_regions" {
  description = "Regions where the whole stack runs too, active-active (docs/multi-region.md): the table becomes a global table with a replica in each (multi-Region eventual consistency, a KMS key per region, point-in-time recovery on each), and each region gets the API, the functions, the WebSocket API and the stream consumer. Empty (the default): one region. Adding a region to a table with data copies it there; removing one deletes that replica."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for r in var.replica_regions : can(regex("^[a-z]{2}(-[a-z]+){1,2}-[0-9]$", r)) && length(r) <= 16])
    error_message = "replica_regions must be AWS region codes such as eu-west-1."
  }

  validation {
    condition     = length(distinct(var.replica_regions)) == length(var.replica_regions)
    error_message = "replica_regions must not list a region twice."
  }

  validation {
    condition     = var.region == null ? true : !contains(var.replica_regions, var.region)
    error_message = "replica_regions must not list the deployment's own region (var.region): it is the primary."
  }
}

variable "replication_lag_bound_ms" {
  description = "REPLICATION_LAG_BOUND_MS of the app: the replication lag the cursor's settle window allows for in multi-region mode (5 s + this), and the threshold of the ReplicationLatency alarms (a warning at half). Larger: fewer messages missed under slow replication, longer hold-back for busy inboxes."
  type        = number
  default     = 10000

  validation {
    # At least a second (replication is typically under one, AWS says); at most 5 minutes, beyond
    # which a busy inbox's cursor would hold messages back for minutes.
    condition     = var.replication_lag_bound_ms >= 1000 && var.replication_lag_bound_ms <= 300000 && var.replication_lag_bound_ms == floor(var.replication_lag_bound_ms)
    error_message = "replication_lag_bound_ms must be a whole number of milliseconds from 1000 to 300000."
  }
}

variable "provisioned_concurrency" {
  description = "Provisioned concurrency per HTTP route, in every region: { check_messages = 5, ... }. Those routes get a published version and an alias live that API Gateway invokes, and that many instances kept initialised (no cold start for the requests they serve), each billed all month. Empty (the default): none."
  type        = map(number)
  default     = {}
  nullable    = false

  validation {
    # The keys of local.routes in modules/region/main.tf; test/infra fails when the two lists differ.
    condition     = alltrue([for route in keys(var.provisioned_concurrency) : contains(["health", "openapi", "register_user", "login", "send_message", "check_messages", "block_user", "unblock_user", "create_group", "add_remove_users", "send_group_message", "get_group", "list_groups", "router"], route)])
    error_message = "provisioned_concurrency's keys must be HTTP routes: health, openapi, register_user, login, send_message, check_messages, block_user, unblock_user, create_group, add_remove_users, send_group_message, get_group, list_groups, router."
  }

  validation {
    condition     = alltrue([for units in values(var.provisioned_concurrency) : units >= 1 && units == floor(units)])
    error_message = "provisioned_concurrency's values must be whole numbers of at least 1 (leave a route out for none)."
  }

  validation {
    # Lambda refuses more provisioned than reserved concurrency on a function.
    condition     = var.hashing_reserved_concurrency == null ? true : alltrue([for route in ["register_user", "login"] : lookup(var.provisioned_concurrency, route, 0) <= var.hashing_reserved_concurrency])
    error_message = "provisioned_concurrency for register_user and login must not exceed hashing_reserved_concurrency, their reserved concurrency."
  }
}

variable "domain_name" {
  description = "Custom domain of the API, with TLS (1.2 minimum): the HTTP API at https://<domain_name>, the WebSocket API at wss://ws.<domain_name>, an ACM certificate per region validated by DNS, and Route 53 records in hosted_zone_id (latency-based with health checks on /health when there are replica_regions). null (the default): the execute-api URLs only."
  type        = string
  default     = null
  nullable    = true

  validation {
    # A DNS name of lower-case labels; 250 characters at most, so that ws.<domain_name> fits 253.
    condition     = var.domain_name == null ? true : can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name)) && length(var.domain_name) <= 250
    error_message = "domain_name must be a lower-case DNS name such as chat.example.com, or null."
  }
}

variable "hosted_zone_id" {
  description = "Route 53 public hosted zone holding domain_name (its records and the certificates' validation records go there). Required with domain_name, and only with it."
  type        = string
  default     = null
  nullable    = true

  validation {
    condition     = (var.hosted_zone_id == null) == (var.domain_name == null)
    error_message = "hosted_zone_id must be set exactly when domain_name is."
  }

  validation {
    condition     = var.hosted_zone_id == null ? true : can(regex("^Z[A-Z0-9]{1,31}$", var.hosted_zone_id))
    error_message = "hosted_zone_id must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ."
  }
}
