# With several regions (the table a global table): how far behind replication is, watched from
# this region, the source of what it replicates. DynamoDB publishes ReplicationLatency (ms) for
# every source and receiving region pair, in the source's region, averaged over the items that
# arrive; AWS gives it no SLA. The cursor's settle window allows for REPLICATION_LAG_BOUND_MS (L):
# a message replicated later than 5 s + L after it was written can be missed by cursors that
# already passed its place (docs/multi-region.md, section 12). So: a warning when the lag stays
# above L/2, a page when it passes L, and the app's own count of inbox items that arrived here
# later than the window (LateReplicatedInbox, emitted by the stream consumer), which says a
# message may have been missed. Missing data is not an alarm: the metric comes from arriving
# items, so a region nobody writes in has none (and a stalled replication has none either, which
# is why LateReplicatedInbox exists). All notify this region's alarm topic.

locals {
  # The app's count of late replicated inbox items (ServiceMetrics.ts names it).
  late_replicated_inbox_metric = "LateReplicatedInbox"

  replication_widget = {
    type = "metric", x = 0, y = 18, width = 24, height = 6
    properties = {
      title  = "Replication latency from ${var.region} (ms, maximum) and late replicated inbox items"
      region = local.region
      view   = "timeSeries"
      period = 60
      metrics = concat(
        [for receiving in local.other_regions : ["AWS/DynamoDB", "ReplicationLatency", "TableName", var.settings.table_name, "ReceivingRegion", receiving, { stat = "Maximum", label = "to ${receiving}" }]],
        [[local.metrics_namespace, local.late_replicated_inbox_metric, "service", var.settings.name_prefix, { stat = "Sum", label = "late replicated inbox items", yAxis = "right" }]],
      )
    }
  }
}

# Paged: one minute whose slowest replicated item took longer than L to reach the other region.
resource "aws_cloudwatch_metric_alarm" "replication_latency" {
  for_each = toset(local.other_regions)

  region              = var.region
  alarm_name          = "${var.settings.name_prefix}-replication-to-${each.key}"
  alarm_description   = "Items written in ${var.region} took more than REPLICATION_LAG_BOUND_MS (${var.settings.replication_lag_bound_ms} ms) to reach ${each.key}: messages replicated this late can be missed by cursors there. LateReplicatedInbox says whether any was."
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReplicationLatency"
  dimensions          = { TableName = var.settings.table_name, ReceivingRegion = each.key }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.settings.replication_lag_bound_ms
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# Warned: the lag above half the bound in three of five minutes, before it reaches the bound.
resource "aws_cloudwatch_metric_alarm" "replication_latency_warning" {
  for_each = toset(local.other_regions)

  region              = var.region
  alarm_name          = "${var.settings.name_prefix}-replication-to-${each.key}-warning"
  alarm_description   = "Items written in ${var.region} took more than half of REPLICATION_LAG_BOUND_MS (${var.settings.replication_lag_bound_ms / 2} ms) to reach ${each.key} in three of five minutes."
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReplicationLatency"
  dimensions          = { TableName = var.settings.table_name, ReceivingRegion = each.key }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.settings.replication_lag_bound_ms / 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# An inbox item replicated here later than the settle window: a cursor in this region may have
# passed its place. The consumer logs (recipient, message_id, origin region, age) for each.
resource "aws_cloudwatch_metric_alarm" "late_replicated_inbox" {
  count = local.multi_region ? 1 : 0

  region              = var.region
  alarm_name          = "${var.settings.name_prefix}-late-replicated-inbox"
  alarm_description   = "An inbox item reached ${var.region} by replication later than the cursor's settle window (5 s + REPLICATION_LAG_BOUND_MS): cursors here may have missed it. The push consumer's log has each one."
  namespace           = local.metrics_namespace
  metric_name         = local.late_replicated_inbox_metric
  dimensions          = local.service_dimension
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}
