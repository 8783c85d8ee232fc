# The messaging API on AWS, in one region or several (active-active). This root module holds what
# the whole deployment shares: the DynamoDB table of src/adapters/dynamodb/tableDefinition.ts (a
# global table with a replica in each of var.replica_regions), a customer-managed KMS key per
# region, the token secret (an SSM SecureString per region, one value), and the guard that keeps
# one state per deployment. Everything regional (the HTTP API with one function per route from the
# one bundle dist/lambda.zip, push delivery, their roles and logs, alarms and dashboard) is the
# module modules/region, instantiated as module.primary in the deployment's region and as
# module.replica[<region>] in each replica region; moved.tf keeps a deployment made before the
# module existed in place. domain.tf: the custom domain with TLS and, with several regions,
# latency-based routing with health checks.
# test/infra checks this directory and the module against the code (routes, handlers, table, IAM
# actions), the provider's schema and the scanners' rules; README "Deploy to AWS" says how to use it.

# The region: var.region when it is set (terraform.tfvars, TF_VAR_region, -var), else the AWS
# provider's own choice (AWS_REGION, AWS_DEFAULT_REGION, the profile's region). deploy.sh resolves
# it the same way, prints it before applying, and keeps one state per deployment (a workspace
# named after this, the primary, region). Resources in other regions set their own region
# argument (AWS provider 6), so this one provider serves every region.
provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Application = "messaging-api"
      Deployment  = var.name_prefix
      ManagedBy   = "terraform"
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  # Where this deployment is (its primary region), whichever way the region was chosen.
  region = data.aws_region.current.region

  # Every region of the deployment, the primary first (the order the app's REGIONS has).
  regions      = concat([local.region], var.replica_regions)
  multi_region = length(var.replica_regions) > 0

  # Built by `npm run build:lambda` (scripts/buildLambda.mjs, LAMBDA_ZIP).
  lambda_zip = "${path.module}/../../dist/lambda.zip"

  # Each region's key, and each replica region's stream (every replica has its own, fed by every
  # write wherever it was made: each region's push consumer reads its own).
  key_arns            = merge({ (local.region) = aws_kms_key.main.arn }, { for region, key in aws_kms_key.replica : region => key.arn })
  replica_stream_arns = { for replica in aws_dynamodb_table.main.replica : replica.region_name => replica.stream_arn }

  # The regional stacks by region: module.primary and each module.replica.
  stacks = merge({ (local.region) = module.primary }, module.replica)
}

# ---------------------------------------------------------------------------------------------
# One state per deployment: the region (and prefix) this state's resources were made in, kept as
# first applied (ignore_changes). Applied again with another region, the AWS provider would look
# for them there, find nothing, and make a second deployment while the first, table included, is
# left behind unmanaged: the plan stops here instead. deploy.sh keeps a workspace per deployment,
# named after its primary region; its replica regions are in the same state, and may change.

resource "terraform_data" "deployment" {
  input = {
    region      = local.region
    name_prefix = var.name_prefix
  }

  lifecycle {
    ignore_changes = [input]

    # var.region's validation cannot see the AWS configuration's region when var.region is null.
    precondition {
      condition     = !contains(var.replica_regions, local.region)
      error_message = "replica_regions lists ${local.region}, the deployment's own (primary) region."
    }

    precondition {
      condition     = contains(["default", local.region], terraform.workspace)
      error_message = "This is workspace ${terraform.workspace}, kept for region ${terraform.workspace}, not ${local.region}: terraform workspace select -or-create ${local.region} (deploy.sh does)."
    }

    postcondition {
      condition     = self.output.region == local.region && self.output.name_prefix == var.name_prefix
      error_message = "This state holds the deployment ${self.output.name_prefix} in ${self.output.region}; this run asks for ${var.name_prefix} in ${local.region}. Applying would leave the first one's resources behind, unmanaged. Use the region's own workspace (terraform workspace select -or-create ${local.region}) or another clone."
    }
  }
}

# ---------------------------------------------------------------------------------------------
# Encryption: a customer-managed key in each region, for the table's replica there, the token
# secret, the functions' environment, the queue, the topic and the logs of that region (a key
# cannot leave its region). aws_kms_key.main is the primary region's.

resource "aws_kms_key" "main" {
  description             = "${var.name_prefix}: DynamoDB table, token secret, Lambda environment, queue, topic and log groups"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "main" {
  name          = "alias/${var.name_prefix}"
  target_key_id = aws_kms_key.main.key_id
}

resource "aws_kms_key" "replica" {
  for_each = toset(var.replica_regions)

  region                  = each.key
  description             = "${var.name_prefix} in ${each.key}: DynamoDB replica, token secret, Lambda environment, queue, topic and log groups"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "replica" {
  for_each = toset(var.replica_regions)

  region        = each.key
  name          = "alias/${var.name_prefix}"
  target_key_id = aws_kms_key.replica[each.key].key_id
}

# The key policy's first statement is AWS's default one: the account, that is its IAM policies,
# governs the key; without it no IAM policy (the functions' role included) could use the key. In a
# key policy, Resource "*" means this key. The second lets CloudWatch Logs encrypt this
# deployment's log groups, and no others; the third lets this account's alarms publish to the
# encrypted alarm topic. One document per region: the services and ARNs are the key's region's.
data "aws_iam_policy_document" "key" {
  for_each = toset(local.regions)

  statement {
    sid       = "AccountGovernsTheKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid = "CloudWatchLogsEncryptsThisDeploymentsLogGroups"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:DescribeKey",
    ]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${each.key}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values = [
        "arn:${local.partition}:logs:${each.key}:${local.account_id}:log-group:/aws/lambda/${var.name_prefix}-*",
        "arn:${local.partition}:logs:${each.key}:${local.account_id}:log-group:/aws/vendedlogs/${var.name_prefix}/*",
      ]
    }
  }

  # CloudWatch alarms publish to the encrypted alarm topic (modules/region/monitoring.tf): this
  # deployment's alarms (their names start with the prefix) only.
  statement {
    sid       = "CloudWatchAlarmsPublishToTheEncryptedTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["*"]

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
      values   = ["arn:${local.partition}:cloudwatch:${each.key}:${local.account_id}:alarm:${var.name_prefix}-*"]
    }
  }
}

resource "aws_kms_key_policy" "main" {
  key_id = aws_kms_key.main.id
  policy = data.aws_iam_policy_document.key[local.region].json
}

resource "aws_kms_key_policy" "replica" {
  for_each = toset(var.replica_regions)

  region = each.key
  key_id = aws_kms_key.replica[each.key].id
  policy = data.aws_iam_policy_document.key[each.key].json
}

# ---------------------------------------------------------------------------------------------
# Storage: the single table, exactly as src/adapters/dynamodb/tableDefinition.ts defines it; with
# replica_regions, a global table (multi-Region eventual consistency, version 2019.11.21: last
# writer wins, asynchronous replication; docs/multi-region.md says why not strong consistency)
# with a replica in each, under that region's key, with point-in-time recovery and the same
# deletion protection. Adding a region to a table with data copies it there (billed like a
# restore; hours for a large table); removing one deletes that replica and its data.

resource "aws_dynamodb_table" "main" {
  name                        = var.name_prefix
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "PK"
  range_key                   = "SK"
  deletion_protection_enabled = var.table_deletion_protection

  attribute {
    name = "PK"
    type = "S"
  }

  attribute {
    name = "SK"
    type = "S"
  }

  # Every change, with the item as written: the push consumer reads the new inbox items from it.
  # Each replica has its own stream, with the same view type (which cannot change once there is
  # a replica). Whether AWS accepts a replica on a NEW_IMAGE stream, rather than
  # NEW_AND_OLD_IMAGES, is not said in what was read: check on the first apply with a replica.
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"

  # Idempotency claims, attempt counters, lockout records and connections expire by themselves.
  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.main.arn
  }

  dynamic "replica" {
    for_each = var.replica_regions
    content {
      region_name                 = replica.value
      kms_key_arn                 = aws_kms_key.replica[replica.value].arn
      point_in_time_recovery      = true
      deletion_protection_enabled = var.table_deletion_protection
      propagate_tags              = true
      consistency_mode            = "EVENTUAL"
    }
  }
}

# ---------------------------------------------------------------------------------------------
# The token secret: drawn by an ephemeral resource (never written to the state or the plan),
# handed to SSM as a write-only value, and kept there as a SecureString encrypted with the key
# above. Each function instance reads it once, when it starts (Powertools Parameters). Raise
# token_secret_version to draw a new one (every token signed with the old one stops working).
# Each replica region has its own parameter with the same value, under its own key, so that a
# token from a login in one region verifies in every other without a call: the value is read back
# from the primary's parameter (an ephemeral read, never in the state either), since an
# ephemeral random_password draws a new value in every run.

ephemeral "random_password" "token_secret" {
  length  = 64
  special = false
}

resource "aws_ssm_parameter" "token_secret" {
  name             = "/${var.name_prefix}/token-secret"
  description      = "Signs and verifies the ${var.name_prefix} login tokens"
  type             = "SecureString"
  key_id           = aws_kms_key.main.arn
  value_wo         = ephemeral.random_password.token_secret.result
  value_wo_version = var.token_secret_version
}

ephemeral "aws_ssm_parameter" "token_secret" {
  count = local.multi_region ? 1 : 0

  arn             = aws_ssm_parameter.token_secret.arn
  with_decryption = true
}

resource "aws_ssm_parameter" "token_secret_replica" {
  for_each = toset(var.replica_regions)

  region           = each.key
  name             = "/${var.name_prefix}/token-secret"
  description      = "Signs and verifies the ${var.name_prefix} login tokens (the same value as in ${local.region})"
  type             = "SecureString"
  key_id           = aws_kms_key.replica[each.key].arn
  value_wo         = ephemeral.aws_ssm_parameter.token_secret[0].value
  value_wo_version = var.token_secret_version
}

# ---------------------------------------------------------------------------------------------
# The regional stacks: the same module in the primary region and in each replica region, each
# given its own region's replica stream, key and token secret parameter, and the same settings
# (local.settings, modules/region's var.settings).

locals {
  # What every region's stack is given alike: the deployment's regions, names, bundle, table and
  # keys, and the root's variables of the same names, validated in variables.tf.
  settings = {
    regions                          = local.regions
    name_prefix                      = var.name_prefix
    api_profile                      = var.api_profile
    lambda_zip                       = local.lambda_zip
    table_name                       = aws_dynamodb_table.main.name
    kms_key_arns                     = values(local.key_arns)
    replication_lag_bound_ms         = var.replication_lag_bound_ms
    provisioned_concurrency          = var.provisioned_concurrency
    log_retention_days               = var.log_retention_days
    throttling_rate_limit            = var.throttling_rate_limit
    throttling_burst_limit           = var.throttling_burst_limit
    memory_size                      = var.memory_size
    hashing_memory_size              = var.hashing_memory_size
    hashing_reserved_concurrency     = var.hashing_reserved_concurrency
    register_per_minute              = var.register_per_minute
    unknown_user_checks_per_minute   = var.unknown_user_checks_per_minute
    push_memory_size                 = var.push_memory_size
    websocket_throttling_rate_limit  = var.websocket_throttling_rate_limit
    websocket_throttling_burst_limit = var.websocket_throttling_burst_limit
    create_apigateway_logging_role   = var.create_apigateway_logging_role
    tracing                          = var.tracing
    alarm_email                      = var.alarm_email
  }
}

module "primary" {
  source = "./modules/region"

  region                         = local.region
  stream_arn                     = aws_dynamodb_table.main.stream_arn
  kms_key_arn                    = aws_kms_key.main.arn
  kms_key_policy_id              = aws_kms_key_policy.main.id
  token_secret_parameter_name    = aws_ssm_parameter.token_secret.name
  token_secret_parameter_arn     = aws_ssm_parameter.token_secret.arn
  apigateway_logging_role_exists = var.apigateway_logging_role_exists
  settings                       = local.settings
}

module "replica" {
  source   = "./modules/region"
  for_each = toset(var.replica_regions)

  region                         = each.key
  stream_arn                     = local.replica_stream_arns[each.key]
  kms_key_arn                    = aws_kms_key.replica[each.key].arn
  kms_key_policy_id              = aws_kms_key_policy.replica[each.key].id
  token_secret_parameter_name    = aws_ssm_parameter.token_secret_replica[each.key].name
  token_secret_parameter_arn     = aws_ssm_parameter.token_secret_replica[each.key].arn
  apigateway_logging_role_exists = contains(var.apigateway_logging_role_replica_regions, each.key)
  settings                       = local.settings
}

# ---------------------------------------------------------------------------------------------
# A user's eleventh connection closes the oldest, wherever it is held (docs/multi-region.md,
# section 5.4): each region's push role may also DELETE (close) connections of every other
# region's WebSocket stage. Posting a frame stays local (each region pushes to its own
# connections, from its own stream). Here, not in the module: a module instance cannot refer to
# the others.

data "aws_iam_policy_document" "push_remote_close" {
  for_each = local.multi_region ? toset(local.regions) : toset([])

  statement {
    sid       = "CloseConnectionsOfOtherRegions"
    actions   = ["execute-api:ManageConnections"]
    resources = [for region, stack in local.stacks : "${stack.websocket_execution_arn}/${stack.websocket_stage_name}/DELETE/@connections/*" if region != each.key]
  }
}

resource "aws_iam_role_policy" "push_remote_close" {
  for_each = local.multi_region ? toset(local.regions) : toset([])

  name   = "close-other-regions-connections"
  role   = local.stacks[each.key].push_role_name
  policy = data.aws_iam_policy_document.push_remote_close[each.key].json
}
