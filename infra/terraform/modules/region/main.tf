# One region's stack of the messaging API: an HTTP API (payload format 2.0) with one route per
# endpoint and one Lambda function per route, all from the one bundle (var.settings.lambda_zip);
# push delivery (a WebSocket API, one function per route, and a consumer of this region's replica's
# stream that posts each new inbox item to its owner's connections held here); their roles, log
# groups and the failed-records queue; monitoring.tf: the alarms, their topic and the dashboard;
# provisioned_concurrency.tf: published versions and aliases for the routes that ask for it.
# infra/terraform instantiates it as module.primary and as module.replica[<region>] for each of
# replica_regions; the table, the keys and the token secret stay in the root. Every regional
# resource sets region = var.region (AWS provider 6's per-resource region), so one provider serves
# every region. test/infra checks this module against the code (routes, handlers, IAM actions), the
# provider's schema and the scanners' rules, as the root passes it its inputs.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix
  # The region of this stack (the root resolves the primary's once, from var.region or the AWS
  # configuration).
  region = var.region

  # Several regions (the table a global table, the functions told so by MULTI_REGION).
  multi_region  = length(var.settings.regions) > 1
  other_regions = [for r in var.settings.regions : r if r != var.region]

  # The table in this region, and its replica in each region: a request served here may read or
  # write another region's replica (the data's home region, docs/multi-region.md section 3).
  table_arn  = "arn:${local.partition}:dynamodb:${var.region}:${local.account_id}:table/${var.settings.table_name}"
  table_arns = [for r in var.settings.regions : "arn:${local.partition}:dynamodb:${r}:${local.account_id}:table/${var.settings.table_name}"]

  # The Lambda runtime of every function: the newest Node.js runtime with the longest support
  # (nodejs24.x: deprecated April 30, 2028 by AWS's schedule; nodejs22.x on April 30, 2027).
  # scripts/bundleOptions.mjs builds the bundle for the same major (LAMBDA_NODE_MAJOR), and the
  # Dockerfile's Node is the same major; test/infra fails when the three disagree.
  lambda_runtime = "nodejs24.x"

  # Built by `npm run build:lambda` (scripts/buildLambda.mjs, LAMBDA_ZIP); the root names it.
  lambda_zip = var.settings.lambda_zip

  # One entry per route of src/adapters/lambda/routes.ts (ROUTES), keyed by the route's name, with
  # its API Gateway route key ("METHOD /path") and the export of handlers.mjs that serves it; plus
  # `router` on API Gateway's $default route, so every other method and path gets the API's own
  # 404 not_found or 405 method_not_allowed (with Allow) instead of API Gateway's bare 404.
  # test/infra/terraform.test.ts fails when this map and ROUTES disagree.
  #
  # Memory: Lambda's CPU grows with memory up to one full vCPU at 1,769 MB, and scrypt-js hashes on
  # one thread. register_user and login run scrypt on every request, so they get
  # var.settings.hashing_memory_size (1,769 MB: about a second per hash; below that the hash takes
  # longer for about the same GB-seconds). Every other route hashes only when body credentials miss
  # the per-instance cache (a user's first request on an instance, then every 15 minutes; never with
  # a token) and otherwise waits on DynamoDB, where memory buys nothing: var.settings.memory_size
  # (1,024 MB) keeps such a miss near two seconds while the common request costs about 40% less than
  # at 1,769 MB.
  #
  # Reserved concurrency: register_user and login hash for anyone, with or without an account, so
  # they are the routes a flood runs up the bill on; var.settings.hashing_reserved_concurrency caps
  # each (null where the account's quota cannot reserve any). The other routes hash only for ids
  # that exist or within the per-address limit of checks for unknown ids, and the stage throttle
  # bounds everything.
  routes = {
    health             = { route_key = "GET /health", handler = "health", memory_size = var.settings.memory_size, reserved_concurrency = null }
    openapi            = { route_key = "GET /openapi.json", handler = "openapi", memory_size = var.settings.memory_size, reserved_concurrency = null }
    register_user      = { route_key = "POST /register_user", handler = "registerUser", memory_size = var.settings.hashing_memory_size, reserved_concurrency = var.settings.hashing_reserved_concurrency }
    login              = { route_key = "POST /login", handler = "login", memory_size = var.settings.hashing_memory_size, reserved_concurrency = var.settings.hashing_reserved_concurrency }
    send_message       = { route_key = "POST /send_message", handler = "sendMessage", memory_size = var.settings.memory_size, reserved_concurrency = null }
    check_messages     = { route_key = "POST /check_messages", handler = "checkMessages", memory_size = var.settings.memory_size, reserved_concurrency = null }
    block_user         = { route_key = "POST /block_user", handler = "blockUser", memory_size = var.settings.memory_size, reserved_concurrency = null }
    unblock_user       = { route_key = "POST /unblock_user", handler = "unblockUser", memory_size = var.settings.memory_size, reserved_concurrency = null }
    create_group       = { route_key = "POST /create_group", handler = "createGroup", memory_size = var.settings.memory_size, reserved_concurrency = null }
    add_remove_users   = { route_key = "POST /add_remove_users", handler = "addRemoveUsers", memory_size = var.settings.memory_size, reserved_concurrency = null }
    send_group_message = { route_key = "POST /send_group_message", handler = "sendGroupMessage", memory_size = var.settings.memory_size, reserved_concurrency = null }
    get_group          = { route_key = "POST /get_group", handler = "getGroup", memory_size = var.settings.memory_size, reserved_concurrency = null }
    list_groups        = { route_key = "POST /list_groups", handler = "listGroups", memory_size = var.settings.memory_size, reserved_concurrency = null }
    router             = { route_key = "$default", handler = "router", memory_size = var.settings.memory_size, reserved_concurrency = null }
  }

  # Which calls of the API may invoke each function (the end of API Gateway's source ARN,
  # <stage>/<METHOD>/<path>): only its own route's ("GET /health" -> */GET/health), from any stage;
  # the catch-all serves every method and path, so anything from this API.
  route_callers = {
    for name, route in local.routes : name => route.route_key == "$default" ? "*" : "*/${replace(route.route_key, " ", "")}"
  }

  # One entry per route of the push WebSocket API (WEBSOCKET_ROUTES of
  # src/adapters/lambda/pushRoutes.ts), keyed by the function's name, with its route key and the
  # export of handlers.mjs that serves it. test/infra/terraform.test.ts fails when this map and
  # WEBSOCKET_ROUTES disagree. $connect authenticates the `?token=` of a login itself, as the HTTP
  # routes authenticate their callers; $default answers a ping and ignores anything else.
  websocket_routes = {
    ws_connect    = { route_key = "$connect", handler = "wsConnect" }
    ws_disconnect = { route_key = "$disconnect", handler = "wsDisconnect" }
    ws_message    = { route_key = "$default", handler = "wsMessage" }
  }

  # The WebSocket API's one stage. Clients connect to wss://<api>/<stage>, the functions post to the
  # Management API at https://<api>/<stage>. The URL is written from the API's id and this name,
  # not read from the stage: the stage serves a deployment of the routes, whose functions get this
  # URL in their environment, so reading it from the stage would be a dependency cycle.
  websocket_stage        = "push"
  websocket_callback_url = "https://${aws_apigatewayv2_api.websocket.id}.execute-api.${local.region}.${local.dns_suffix}/${local.websocket_stage}"

  # The stream records the push consumer is invoked for: new items of an inbox partition (keys.ts,
  # inboxPartition). Lambda drops every other record (connections, claims, counters, lockouts)
  # before it costs an invocation.
  push_stream_filter = {
    eventName = ["INSERT"]
    dynamodb  = { NewImage = { PK = { S = [{ prefix = "INBOX#" }] } } }
  }

  # The app's configuration (README "Configuration"); AWS_REGION is set by Lambda itself. Every
  # function gets the same, the HTTP ones included: the app requires WEBSOCKET_CALLBACK_URL on
  # Lambda, though only the push functions call the Management API. The token secret is not in
  # it: TOKEN_SECRET_PARAMETER names the SSM parameter each instance reads once, at start-up.
  # POWERTOOLS_*: the log's and the metrics' service (this deployment's prefix, so that two
  # deployments in one account keep apart on the dashboard) and the metrics' namespace.
  # Several regions (docs/multi-region.md): MULTI_REGION on when there are replicas, REGIONS every
  # region with the primary first (ids without a region tag belong to it), and the bound on
  # replication lag the cursor's settle window allows for; WEBSOCKET_CALLBACK_URL is this region's.
  environment = {
    STORAGE                        = "dynamodb"
    TABLE_NAME                     = var.settings.table_name
    API_PROFILE                    = var.settings.api_profile
    TOKEN_SECRET_PARAMETER         = var.token_secret_parameter_name
    LOG_LEVEL                      = "info"
    REGISTER_PER_MINUTE            = tostring(var.settings.register_per_minute)
    UNKNOWN_USER_CHECKS_PER_MINUTE = tostring(var.settings.unknown_user_checks_per_minute)
    NODE_OPTIONS                   = "--enable-source-maps"
    WEBSOCKET_CALLBACK_URL         = local.websocket_callback_url
    POWERTOOLS_SERVICE_NAME        = var.settings.name_prefix
    POWERTOOLS_METRICS_NAMESPACE   = local.metrics_namespace
    TRACING                        = var.settings.tracing ? "on" : "off"
    MULTI_REGION                   = local.multi_region ? "on" : "off"
    REGIONS                        = join(",", var.settings.regions)
    REPLICATION_LAG_BOUND_MS       = tostring(var.settings.replication_lag_bound_ms)
  }

  # The namespace of the app's own metrics (Powertools Metrics, Embedded Metric Format).
  metrics_namespace = "MessagingApi"

  # Whether the WebSocket stage keeps an access log: only with a role in API Gateway's account
  # settings to write it (made here, or there already).
  websocket_access_log = var.settings.create_apigateway_logging_role || var.apigateway_logging_role_exists

  # IAM role and CloudWatch dashboard names are global to the account, not per region: the region
  # in their names lets the same prefix be deployed in a second region.
  global_name = "${var.settings.name_prefix}-${local.region}"
}

# ---------------------------------------------------------------------------------------------
# The key's policy is the root's (aws_kms_key_policy): CloudWatch Logs checks that it may use the
# key when a log group is made with it, so the log groups wait for this, which stands for it.

resource "terraform_data" "key_policy" {
  input = var.kms_key_policy_id
}

# ---------------------------------------------------------------------------------------------
# Logs: one group per function and one for each API's access log, all with retention and the key.

resource "aws_cloudwatch_log_group" "function" {
  for_each = local.routes

  region            = var.region
  name              = "/aws/lambda/${var.settings.name_prefix}-${each.key}"
  retention_in_days = var.settings.log_retention_days
  kms_key_id        = var.kms_key_arn

  # CloudWatch Logs checks that it may use the key when the group is created.
  depends_on = [terraform_data.key_policy]
}

resource "aws_cloudwatch_log_group" "websocket" {
  for_each = local.websocket_routes

  region            = var.region
  name              = "/aws/lambda/${var.settings.name_prefix}-${each.key}"
  retention_in_days = var.settings.log_retention_days
  kms_key_id        = var.kms_key_arn

  depends_on = [terraform_data.key_policy]
}

resource "aws_cloudwatch_log_group" "push_from_stream" {
  region            = var.region
  name              = "/aws/lambda/${var.settings.name_prefix}-push_from_stream"
  retention_in_days = var.settings.log_retention_days
  kms_key_id        = var.kms_key_arn

  depends_on = [terraform_data.key_policy]
}

resource "aws_cloudwatch_log_group" "access" {
  region            = var.region
  name              = "/aws/vendedlogs/${var.settings.name_prefix}/access"
  retention_in_days = var.settings.log_retention_days
  kms_key_id        = var.kms_key_arn

  depends_on = [terraform_data.key_policy]
}

resource "aws_cloudwatch_log_group" "websocket_access" {
  region            = var.region
  name              = "/aws/vendedlogs/${var.settings.name_prefix}/websocket-access"
  retention_in_days = var.settings.log_retention_days
  kms_key_id        = var.kms_key_arn

  depends_on = [terraform_data.key_policy]
}

# ---------------------------------------------------------------------------------------------
# The HTTP API functions' role: the table's actions the adapter calls (DYNAMODB_ACTIONS of
# src/adapters/dynamodb/permissions.ts, exactly) on the table alone (its replica in each region of
# the deployment: a decision is taken in the data's home region), their own log groups, and
# decrypting with the keys (their environment, the table; every region's, for the replicas
# there). No wildcard action or resource: the
# log streams Lambda names itself are the only "*", under groups named here. Nothing of push:
# these functions neither read the stream nor post to connections (on Lambda the stream pushes).

data "aws_iam_policy_document" "lambda_assume_role" {
  statement {
    sid     = "LambdaRunsTheFunctions"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  name               = "${local.global_name}-function"
  description        = "Role of the ${var.settings.name_prefix} HTTP API functions"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume_role.json
}

data "aws_iam_policy_document" "function" {
  statement {
    sid = "Table"
    actions = [
      "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:PartiQLInsert",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]
    resources = local.table_arns
  }

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for group in aws_cloudwatch_log_group.function : "${group.arn}:*"]
  }

  # Read once per instance, at start-up.
  statement {
    sid       = "ReadTheTokenSecret"
    actions   = ["ssm:GetParameter"]
    resources = [var.token_secret_parameter_arn]
  }

  # Lambda decrypts the functions' environment with this region's key at start-up, SSM the token
  # secret, and DynamoDB a replica's key on the caller's behalf (then caches it for a few
  # minutes): every region's, since a request may be served away from its data's home. (Whether
  # DynamoDB needs the caller's Decrypt for another region's replica is not said in what was
  # read; granting it keeps the one pattern.)
  statement {
    sid       = "DecryptWithTheKey"
    actions   = ["kms:Decrypt"]
    resources = var.settings.kms_key_arns
  }

  dynamic "statement" {
    for_each = var.settings.tracing ? [1] : []
    content {
      sid = "SendTraces"
      # X-Ray's write actions take no resource but "*".
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "function" {
  name   = "least-privilege"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.function.json
}

# ---------------------------------------------------------------------------------------------
# The push functions' role (the WebSocket routes and the stream consumer), kept apart from the
# HTTP API's so that only push can post to connections or read the stream:
# - the table's actions the connection records need (PUSH_DYNAMODB_ACTIONS of permissions.ts,
#   exactly: GetItem, PutItem, DeleteItem, UpdateItem; transactions of Put and Delete are authorised
#   as those), not the HTTP side's eight: a test on DynamoDB Local records what these handlers call;
#   on this region's replica (connection items replicate; each region pushes to its own);
# - reading this replica's stream, for the consumer's event source mapping, on that stream alone;
# - execute-api:ManageConnections on this WebSocket API's stage: POST (a push, a pong) and
#   DELETE (closing a user's oldest connection past ten) to @connections/<id>, whose "*" is the
#   connection id API Gateway makes at run time. With several regions the root adds DELETE on
#   the other regions' stages (aws_iam_role_policy.push_remote_close): a user's eleventh
#   connection may close an older one held elsewhere; posting stays local;
# - their own log groups, and decrypting with the key (environment, table, stream).

resource "aws_iam_role" "push" {
  name               = "${local.global_name}-push"
  description        = "Role of the ${var.settings.name_prefix} push functions: WebSocket routes and stream consumer"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume_role.json
}

data "aws_iam_policy_document" "push" {
  statement {
    sid = "ConnectionRecords"
    actions = [
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    ]
    resources = [local.table_arn]
  }

  statement {
    sid = "ReadTheTableStream"
    actions = [
      "dynamodb:DescribeStream",
      "dynamodb:GetRecords",
      "dynamodb:GetShardIterator",
      "dynamodb:ListStreams",
    ]
    resources = [var.stream_arn]
  }

  statement {
    sid     = "PostToAndCloseConnectionsOfThisApi"
    actions = ["execute-api:ManageConnections"]
    resources = [
      "${aws_apigatewayv2_api.websocket.execution_arn}/${local.websocket_stage}/POST/@connections/*",
      "${aws_apigatewayv2_api.websocket.execution_arn}/${local.websocket_stage}/DELETE/@connections/*",
    ]
  }

  statement {
    sid       = "OwnWebSocketFunctionLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for group in aws_cloudwatch_log_group.websocket : "${group.arn}:*"]
  }

  statement {
    sid       = "OwnStreamConsumerLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.push_from_stream.arn}:*"]
  }

  statement {
    sid       = "ReadTheTokenSecret"
    actions   = ["ssm:GetParameter"]
    resources = [var.token_secret_parameter_arn]
  }

  # The stream records that still fail after the retries go to this queue (the event source
  # mapping sends them with this role), encrypted with the key.
  statement {
    sid       = "KeepFailedStreamRecords"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.failed_stream_records.arn]
  }

  statement {
    sid       = "DecryptWithTheKey"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }

  statement {
    sid       = "EncryptFailedStreamRecords"
    actions   = ["kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }

  dynamic "statement" {
    for_each = var.settings.tracing ? [1] : []
    content {
      sid = "SendTraces"
      # X-Ray's write actions take no resource but "*".
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "push" {
  name   = "least-privilege"
  role   = aws_iam_role.push.id
  policy = data.aws_iam_policy_document.push.json
}

# ---------------------------------------------------------------------------------------------
# One function per route, all from the one zip.

resource "aws_lambda_function" "route" {
  for_each = local.routes

  region           = var.region
  function_name    = "${var.settings.name_prefix}-${each.key}"
  description      = "${each.value.route_key} of the messaging API"
  role             = aws_iam_role.function.arn
  filename         = local.lambda_zip
  source_code_hash = filebase64sha256(local.lambda_zip)
  handler          = "handlers.${each.value.handler}"
  runtime          = local.lambda_runtime
  architectures    = ["arm64"]
  memory_size      = each.value.memory_size
  # The longest legitimate requests: a password check that waits up to 10 s for other checks of
  # the same user before hashing, and a group message to 1,023 inboxes under throttling (its
  # lease, 20 s, outlives the function, so an interrupted send stays completable). Below API
  # Gateway's 30 s integration limit.
  timeout                        = 20
  reserved_concurrent_executions = each.value.reserved_concurrency
  kms_key_arn                    = var.kms_key_arn
  # A version is published only for the routes with provisioned concurrency, which lives on a
  # version (through the alias live), never on $LATEST (provisioned_concurrency.tf).
  publish = contains(keys(var.settings.provisioned_concurrency), each.key)

  environment {
    variables = local.environment
  }

  dynamic "tracing_config" {
    for_each = var.settings.tracing ? [1] : []
    content {
      mode = "Active"
    }
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function[each.key].name
  }

  depends_on = [aws_iam_role_policy.function]
}

# ---------------------------------------------------------------------------------------------
# The HTTP API: one route and one integration per function. Routes need no API Gateway
# authorizer: the app authenticates every acting user itself (body credentials or a bearer token).
# A route with provisioned concurrency is integrated with its alias live (and may be invoked only
# through it), so that its requests reach the provisioned instances; the others, the function.

resource "aws_apigatewayv2_api" "main" {
  region        = var.region
  name          = var.settings.name_prefix
  description   = "Messaging API (${var.settings.api_profile} profile)"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "route" {
  for_each = local.routes

  region                 = var.region
  api_id                 = aws_apigatewayv2_api.main.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = contains(keys(var.settings.provisioned_concurrency), each.key) ? aws_lambda_alias.live[each.key].invoke_arn : aws_lambda_function.route[each.key].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "route" {
  for_each = local.routes

  region             = var.region
  api_id             = aws_apigatewayv2_api.main.id
  route_key          = each.value.route_key
  target             = "integrations/${aws_apigatewayv2_integration.route[each.key].id}"
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "route" {
  for_each = local.routes

  region        = var.region
  statement_id  = "AllowApiGatewayRoute"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.route[each.key].function_name
  qualifier     = contains(keys(var.settings.provisioned_concurrency), each.key) ? aws_lambda_alias.live[each.key].name : null
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.main.execution_arn}/${local.route_callers[each.key]}"
}

resource "aws_apigatewayv2_stage" "default" {
  region      = var.region
  api_id      = aws_apigatewayv2_api.main.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = var.settings.throttling_rate_limit
    throttling_burst_limit = var.settings.throttling_burst_limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      apiId              = "$context.apiId"
      ip                 = "$context.identity.sourceIp"
      requestTime        = "$context.requestTime"
      method             = "$context.httpMethod"
      path               = "$context.path"
      routeKey           = "$context.routeKey"
      status             = "$context.status"
      protocol           = "$context.protocol"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
      userAgent          = "$context.identity.userAgent"
    })
  }
}

# ---------------------------------------------------------------------------------------------
# Push: the WebSocket API clients keep open, one function per route from the same zip. Routes
# need no API Gateway authorizer: $connect authenticates the login token of `?token=` itself (a
# Lambda authorizer would verify the same token in a second function), and API Gateway allows
# authorization on $connect only, so $disconnect and $default serve connections already accepted.

resource "aws_apigatewayv2_api" "websocket" {
  region        = var.region
  name          = "${var.settings.name_prefix}-push"
  description   = "Push connections of the messaging API: each new message as it arrives"
  protocol_type = "WEBSOCKET"
  # Clients send only {"type":"ping"}; no route is named "ping", so every frame goes to $default.
  route_selection_expression = "$request.body.type"
}

resource "aws_lambda_function" "websocket" {
  for_each = local.websocket_routes

  region           = var.region
  function_name    = "${var.settings.name_prefix}-${each.key}"
  description      = "${each.value.route_key} of the messaging API's push WebSocket API"
  role             = aws_iam_role.push.arn
  filename         = local.lambda_zip
  source_code_hash = filebase64sha256(local.lambda_zip)
  handler          = "handlers.${each.value.handler}"
  runtime          = local.lambda_runtime
  architectures    = ["arm64"]
  memory_size      = var.settings.push_memory_size
  # $connect, the longest: a token check, up to three DynamoDB calls (each at most 3.6 s with the
  # SDK's retries, docs/dynamodb.md) and closing an evicted connection. Below API Gateway's 29 s.
  timeout     = 20
  kms_key_arn = var.kms_key_arn

  environment {
    variables = local.environment
  }

  dynamic "tracing_config" {
    for_each = var.settings.tracing ? [1] : []
    content {
      mode = "Active"
    }
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.websocket[each.key].name
  }

  depends_on = [aws_iam_role_policy.push]
}

resource "aws_apigatewayv2_integration" "websocket" {
  for_each = local.websocket_routes

  region             = var.region
  api_id             = aws_apigatewayv2_api.websocket.id
  integration_type   = "AWS_PROXY"
  integration_method = "POST"
  integration_uri    = aws_lambda_function.websocket[each.key].invoke_arn
}

resource "aws_apigatewayv2_route" "websocket" {
  for_each = local.websocket_routes

  region             = var.region
  api_id             = aws_apigatewayv2_api.websocket.id
  route_key          = each.value.route_key
  target             = "integrations/${aws_apigatewayv2_integration.websocket[each.key].id}"
  authorization_type = "NONE"
}

# Each function may be invoked by its own route of this API's stage (<stage>/<route key>) only.
resource "aws_lambda_permission" "websocket" {
  for_each = local.websocket_routes

  region        = var.region
  statement_id  = "AllowApiGatewayRoute"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.websocket[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.websocket.execution_arn}/${local.websocket_stage}/${each.value.route_key}"
}

# A WebSocket stage serves a deployment (auto_deploy is for HTTP APIs only): a new one whenever a
# route or integration changes.
resource "aws_apigatewayv2_deployment" "websocket" {
  region      = var.region
  api_id      = aws_apigatewayv2_api.websocket.id
  description = "Routes ${join(", ", sort([for route in local.websocket_routes : route.route_key]))}"

  triggers = {
    redeployment = sha1(jsonencode([aws_apigatewayv2_route.websocket, aws_apigatewayv2_integration.websocket]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_apigatewayv2_stage" "websocket" {
  region        = var.region
  api_id        = aws_apigatewayv2_api.websocket.id
  name          = local.websocket_stage
  deployment_id = aws_apigatewayv2_deployment.websocket.id

  # Connection requests and client frames (pings) per second, across all clients.
  default_route_settings {
    throttling_rate_limit  = var.settings.websocket_throttling_rate_limit
    throttling_burst_limit = var.settings.websocket_throttling_burst_limit
  }

  # No query string: `?token=` is a credential. Only where API Gateway's account settings name a
  # role to write it with (see below): otherwise the stage could not be deployed.
  dynamic "access_log_settings" {
    for_each = local.websocket_access_log ? [1] : []
    content {
      destination_arn = aws_cloudwatch_log_group.websocket_access.arn
      format = jsonencode({
        requestId          = "$context.requestId"
        ip                 = "$context.identity.sourceIp"
        requestTime        = "$context.requestTime"
        eventType          = "$context.eventType"
        routeKey           = "$context.routeKey"
        connectionId       = "$context.connectionId"
        status             = "$context.status"
        integrationLatency = "$context.integrationLatency"
        error              = "$context.error.message"
        userAgent          = "$context.identity.userAgent"
      })
    }
  }

  # Unlike an HTTP API's, a WebSocket stage logs through the role in API Gateway's account settings.
  depends_on = [aws_api_gateway_account.main]
}

# ---------------------------------------------------------------------------------------------
# API Gateway writes a WebSocket stage's access log with the role of its account settings (one per
# account and region, shared by every REST and WebSocket API there; a stage cannot log without
# one, and API Gateway checks the role when the setting is saved). Off by default: deploy.sh asks
# `aws apigateway get-account` and sets var.apigateway_logging_role_exists when a role is there.
# With var.settings.create_apigateway_logging_role this deployment makes one with the policy AWS's
# guide names for it, AmazonAPIGatewayPushToCloudWatchLogs, and sets it, replacing any role set
# before (AWS provider 6 clears the setting on destroy). Without either, the WebSocket stage keeps
# no access log rather than fail to deploy (local.websocket_access_log).

data "aws_iam_policy_document" "apigateway_assume_role" {
  statement {
    sid     = "ApiGatewayWritesLogs"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }

    # Only API Gateway acting for this account.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "apigateway_logs" {
  count = var.settings.create_apigateway_logging_role ? 1 : 0

  name               = "${local.global_name}-apigw-logs"
  description        = "API Gateway's account role in ${local.region}: writes REST and WebSocket API logs"
  assume_role_policy = data.aws_iam_policy_document.apigateway_assume_role.json
}

resource "aws_iam_role_policy_attachment" "apigateway_logs" {
  count = var.settings.create_apigateway_logging_role ? 1 : 0

  role       = aws_iam_role.apigateway_logs[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "main" {
  count = var.settings.create_apigateway_logging_role ? 1 : 0

  region              = var.region
  cloudwatch_role_arn = aws_iam_role.apigateway_logs[0].arn

  depends_on = [aws_iam_role_policy_attachment.apigateway_logs]
}

# ---------------------------------------------------------------------------------------------
# Push: the consumer of the table's stream. For each new inbox item it posts a frame to the
# owner's open connections through the Management API, and forgets those that are gone.

resource "aws_lambda_function" "push_from_stream" {
  region           = var.region
  function_name    = "${var.settings.name_prefix}-push_from_stream"
  description      = "Pushes each new inbox item of the table's stream to its owner's WebSocket connections"
  role             = aws_iam_role.push.arn
  filename         = local.lambda_zip
  source_code_hash = filebase64sha256(local.lambda_zip)
  handler          = "handlers.pushFromStream"
  runtime          = local.lambda_runtime
  architectures    = ["arm64"]
  memory_size      = var.settings.push_memory_size
  # A batch of up to 100 records is pushed 16 at a time (StreamPushHandler): 7 rounds of a Query
  # and a few posts, each call bounded by the SDK's retries. Only a hung call gets near 60 s.
  timeout     = 60
  kms_key_arn = var.kms_key_arn

  environment {
    variables = local.environment
  }

  dynamic "tracing_config" {
    for_each = var.settings.tracing ? [1] : []
    content {
      mode = "Active"
    }
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.push_from_stream.name
  }

  depends_on = [aws_iam_role_policy.push]
}

# From LATEST: messages written before the consumer existed are in their inboxes already. No
# batching window: a record is pushed as soon as Lambda reads it, and batches grow under load. The
# handler reports the records whose push failed (ReportBatchItemFailures, Powertools' batch
# processing), so a retry takes the batch from the first failed record on, not the whole batch
# again; a crash or timeout fails the batch, which is then split in two to isolate the record that
# breaks it. At most two retries, and records older than an hour are not pushed (a push is a hint;
# the client's next poll has the message); what still fails goes to the on-failure queue below.
resource "aws_lambda_event_source_mapping" "push_from_stream" {
  region                         = var.region
  event_source_arn               = var.stream_arn
  function_name                  = aws_lambda_function.push_from_stream.arn
  starting_position              = "LATEST"
  batch_size                     = 100
  maximum_retry_attempts         = 2
  maximum_record_age_in_seconds  = 3600
  bisect_batch_on_function_error = true
  function_response_types        = ["ReportBatchItemFailures"]

  filter_criteria {
    filter {
      pattern = jsonencode(local.push_stream_filter)
    }
  }

  # What Lambda sends here is a description of the failed batch (its shard and sequence numbers),
  # not the records: enough to find them in the stream, which keeps them 24 hours.
  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.failed_stream_records.arn
    }
  }

  depends_on = [aws_iam_role_policy.push]
}

# Failed stream batches, kept 14 days (SQS's longest) for an operator to look at; an alarm in
# monitoring.tf says when one arrives.
resource "aws_sqs_queue" "failed_stream_records" {
  region                            = var.region
  name                              = "${var.settings.name_prefix}-failed-stream-records"
  message_retention_seconds         = 1209600
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = 3600
}
