# Alarms to one SNS topic and the dashboard. RabbitMQ 4 brokers publish no per-queue metrics: the platform
# alarms watch our own (namespace platform.json metricsNamespace, dimension Namespace), see infra/README.md.
# The DLQ consumer pushes them every minute (dlq_metrics below), so dlq-metrics-missing treats silence as breaching.
resource "aws_sns_topic" "alarms" {
  name         = "${local.prefix}-alarms"
  display_name = "Durable jobs alarms (${local.prefix})"
}

resource "aws_sns_topic_policy" "alarms" {
  arn = aws_sns_topic.alarms.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EnforceSsl"
      Effect    = "Deny"
      Principal = "*"
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.alarms.arn
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_metric_alarm" "platform" {
  for_each            = { for a in local.platform.alarms : a.id => a }
  alarm_name          = "${local.prefix}-${each.key}"
  alarm_description   = each.value.description
  namespace           = local.metrics
  metric_name         = each.value.metric
  dimensions          = { Namespace = local.ns }
  statistic           = each.value.statistic
  period              = each.value.periodSeconds
  evaluation_periods  = each.value.evaluationPeriods
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = try(each.value.treatMissingData, "notBreaching")
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each            = { for k, f in local.functions : k => f if f.app }
  alarm_name          = "${local.prefix}-${each.key}-errors"
  alarm_description   = local.platform.functionErrorAlarm.description
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.fn[each.key].function_name }
  statistic           = local.platform.functionErrorAlarm.statistic
  period              = local.platform.functionErrorAlarm.periodSeconds
  evaluation_periods  = local.platform.functionErrorAlarm.evaluationPeriods
  threshold           = local.platform.functionErrorAlarm.threshold
  comparison_operator = local.platform.functionErrorAlarm.comparison
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = local.prefix
  dashboard_body = jsonencode({
    widgets = [
      { type = "text", x = 0, y = 0, width = 24, height = 2, properties = { markdown = "# Durable jobs `${local.prefix}`\nDead letters: `GET /v1/dlq`, replay with `POST /v1/dlq/{jobId}/replay`. See infra/README.md." } },
      { type = "metric", x = 0, y = 2, width = 12, height = 6, properties = {
        title = "DLQ: dead letters (sum) and depth", region = var.region, view = "timeSeries"
        metrics = [
          [local.metrics, "DeadLetters", "Namespace", local.ns, { stat = "Sum", period = 300 }],
          [local.metrics, "DlqDepth", "Namespace", local.ns, { stat = "Maximum", period = 300, yAxis = "right" }],
        ]
      } },
      { type = "metric", x = 12, y = 2, width = 12, height = 6, properties = {
        title   = "DLQ: oldest dead letter (s)", region = var.region, view = "timeSeries"
        metrics = [[local.metrics, "DlqOldestAgeSeconds", "Namespace", local.ns, { stat = "Maximum", period = 300 }]]
      } },
      { type = "metric", x = 0, y = 8, width = 12, height = 6, properties = {
        title = "Breakers open / ledger mismatch", region = var.region, view = "timeSeries"
        metrics = [
          [local.metrics, "BreakerOpen", "Namespace", local.ns, { stat = "Maximum", period = 60 }],
          [local.metrics, "LedgerMismatch", "Namespace", local.ns, { stat = "Maximum", period = 300 }],
        ]
      } },
      { type = "metric", x = 12, y = 8, width = 12, height = 6, properties = {
        title   = "Function errors", region = var.region, view = "timeSeries", stat = "Sum", period = 300
        metrics = [for k, f in local.functions : ["AWS/Lambda", "Errors", "FunctionName", "${local.prefix}-${k}"] if f.app]
      } },
    ]
  })
}

# The DLQ consumer on a schedule (platform.json dlqMetricsSchedule, every minute), with {}: it records nothing
# and pushes DlqDepth, DlqOldestAgeSeconds and LedgerMismatch, so those alarms see data when no dead letter
# arrives. Same rule as the CDK app's DlqMetricsSchedule.
resource "aws_cloudwatch_event_rule" "dlq_metrics" {
  for_each            = { for k, f in local.queue_functions : k => f if f.role == "dead" }
  name                = "${local.prefix}-${each.key}-metrics"
  description         = "Pushes the DLQ and ledger metrics of ${local.prefix} even when no dead letter arrives"
  schedule_expression = local.platform.dlqMetricsSchedule
}

resource "aws_cloudwatch_event_target" "dlq_metrics" {
  for_each = aws_cloudwatch_event_rule.dlq_metrics
  rule     = each.value.name
  arn      = local.invoke[each.key].arn
  input    = jsonencode({})
}

resource "aws_lambda_permission" "dlq_metrics" {
  for_each      = aws_cloudwatch_event_rule.dlq_metrics
  statement_id  = "AllowEventBridgeSchedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn[each.key].function_name
  qualifier     = local.invoke[each.key].qualifier
  principal     = "events.amazonaws.com"
  source_arn    = each.value.arn
}
