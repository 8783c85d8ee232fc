# The custom domain (var.domain_name, in the Route 53 zone var.hosted_zone_id; nothing here
# without it): the HTTP API at https://<domain_name> and the WebSocket API at
# wss://ws.<domain_name> (a name mapped to a WebSocket API cannot also map an HTTP API), in every
# region of the deployment.
# - Certificates: ACM, one per region (a regional custom domain needs a certificate in its own
#   region, and ACM cannot copy one between regions), for both names, validated by DNS.
# - Validation records: ACM asks for the same CNAME for a name in every region of an account, so
#   there is one record per name (two in all), taken from the primary's certificate; a region
#   added or removed never creates or deletes another region's renewal record. Each region's
#   certificate_validation names these records, and the provider fails it if its certificate
#   asks for a record that is not among them.
# - API Gateway regional custom domains, TLS 1.2 minimum, each mapped to its API's stage.
# - Route 53 alias A records: with one region, plain; with several, one per region and name,
#   latency-based (the nearest region answers), each with a health check of that region's
#   /health on its execute-api endpoint: an unhealthy region drops out of the answers. Alias
#   queries to API Gateway cost nothing (Route 53 pricing).
# The health check calls /health, which answers from the function without DynamoDB (SPEC): it
# sees a region whose API Gateway or Lambda fails, not one whose table fails. The region's 5xx
# alarm cannot stand in (Route 53 accepts only alarms on a single metric, and that alarm is a
# rate of two); the alarm pages, and an operator can turn the region off in Route 53.
# Going from one region to several replaces the plain records with latency records: a plain and
# a latency record cannot share a name, so the name has no answer for the seconds between.
# The HTTP and WebSocket names' domains, mappings and records are written twice, not generated
# from one map over both: their instances are keyed by region, and moving a deployed one to a new
# key takes a moved block per region name, which cannot be listed ahead (moved blocks cannot
# iterate).

locals {
  websocket_domain_name = var.domain_name == null ? null : "ws.${var.domain_name}"
  domain_regions        = var.domain_name == null ? toset([]) : toset(local.regions)
  health_check_regions  = local.multi_region ? local.domain_regions : toset([])
}

resource "aws_acm_certificate" "region" {
  for_each = local.domain_regions

  region                    = each.key
  domain_name               = var.domain_name
  subject_alternative_names = [local.websocket_domain_name]
  validation_method         = "DNS"

  # A certificate in use by a custom domain cannot be deleted: make the new one first.
  lifecycle {
    create_before_destroy = true
  }
}

# One record per name: keyed by the names (known before the certificate exists), valued from the
# primary region's certificate.
resource "aws_route53_record" "certificate_validation" {
  for_each = var.domain_name == null ? {} : { for option in aws_acm_certificate.region[local.region].domain_validation_options : option.domain_name => option }

  zone_id         = var.hosted_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "region" {
  for_each = local.domain_regions

  region                  = each.key
  certificate_arn         = aws_acm_certificate.region[each.key].arn
  validation_record_fqdns = [for record in aws_route53_record.certificate_validation : record.fqdn]
}

resource "aws_apigatewayv2_domain_name" "http" {
  for_each = local.domain_regions

  region      = each.key
  domain_name = var.domain_name

  domain_name_configuration {
    certificate_arn = aws_acm_certificate_validation.region[each.key].certificate_arn
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}

resource "aws_apigatewayv2_domain_name" "websocket" {
  for_each = local.domain_regions

  region      = each.key
  domain_name = local.websocket_domain_name

  domain_name_configuration {
    certificate_arn = aws_acm_certificate_validation.region[each.key].certificate_arn
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}

resource "aws_apigatewayv2_api_mapping" "http" {
  for_each = local.domain_regions

  region      = each.key
  api_id      = local.stacks[each.key].http_api_id
  domain_name = aws_apigatewayv2_domain_name.http[each.key].id
  stage       = local.stacks[each.key].http_stage_name
}

resource "aws_apigatewayv2_api_mapping" "websocket" {
  for_each = local.domain_regions

  region      = each.key
  api_id      = local.stacks[each.key].websocket_api_id
  domain_name = aws_apigatewayv2_domain_name.websocket[each.key].id
  stage       = local.stacks[each.key].websocket_stage_name
}

# Route 53's checkers, from several places, call https://<api-id>.execute-api.<region>.../health
# every 30 s each (uncoordinated, so the endpoint sees a request every few seconds); three
# failures in a row make the region unhealthy.
resource "aws_route53_health_check" "region" {
  for_each = local.health_check_regions

  type              = "HTTPS"
  fqdn              = local.stacks[each.key].http_api_host
  port              = 443
  resource_path     = "/health"
  enable_sni        = true
  request_interval  = 30
  failure_threshold = 3

  tags = {
    Name = "${var.name_prefix}-${each.key}-health"
  }
}

resource "aws_route53_record" "http" {
  for_each = local.domain_regions

  zone_id         = var.hosted_zone_id
  name            = var.domain_name
  type            = "A"
  set_identifier  = local.multi_region ? each.key : null
  health_check_id = local.multi_region ? aws_route53_health_check.region[each.key].id : null

  alias {
    name                   = aws_apigatewayv2_domain_name.http[each.key].domain_name_configuration[0].target_domain_name
    zone_id                = aws_apigatewayv2_domain_name.http[each.key].domain_name_configuration[0].hosted_zone_id
    evaluate_target_health = true
  }

  dynamic "latency_routing_policy" {
    for_each = local.multi_region ? [each.key] : []
    content {
      region = latency_routing_policy.value
    }
  }
}

resource "aws_route53_record" "websocket" {
  for_each = local.domain_regions

  zone_id         = var.hosted_zone_id
  name            = local.websocket_domain_name
  type            = "A"
  set_identifier  = local.multi_region ? each.key : null
  health_check_id = local.multi_region ? aws_route53_health_check.region[each.key].id : null

  alias {
    name                   = aws_apigatewayv2_domain_name.websocket[each.key].domain_name_configuration[0].target_domain_name
    zone_id                = aws_apigatewayv2_domain_name.websocket[each.key].domain_name_configuration[0].hosted_zone_id
    evaluate_target_health = true
  }

  dynamic "latency_routing_policy" {
    for_each = local.multi_region ? [each.key] : []
    content {
      region = latency_routing_policy.value
    }
  }
}
