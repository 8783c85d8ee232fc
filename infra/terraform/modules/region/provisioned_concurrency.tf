# Provisioned concurrency (var.settings.provisioned_concurrency, route name -> units; none by
# default): instances Lambda keeps initialised, so that the requests they serve skip the cold start.
# It is set on a published version through an alias, never on $LATEST: each route in the map
# publishes a version on every change of its code or configuration (publish in main.tf), the alias
# live follows the newest, and API Gateway invokes the alias (the integration's URI and the
# permission's qualifier, main.tf). Routes not in the map are unchanged. The same map applies in
# every region. Each unit is billed all month whether used or not (npm run cost; SCALING.md).

resource "aws_lambda_alias" "live" {
  for_each = var.settings.provisioned_concurrency

  region           = var.region
  name             = "live"
  description      = "The version API Gateway invokes: the newest, with ${each.value} provisioned instances"
  function_name    = aws_lambda_function.route[each.key].function_name
  function_version = aws_lambda_function.route[each.key].version
}

resource "aws_lambda_provisioned_concurrency_config" "live" {
  for_each = var.settings.provisioned_concurrency

  region                            = var.region
  function_name                     = aws_lambda_alias.live[each.key].function_name
  qualifier                         = aws_lambda_alias.live[each.key].name
  provisioned_concurrent_executions = each.value
}
