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

# Lambda throttles of every queue worker: a throttled mapping backs off while its queue grows.
resource "aws_cloudwatch_metric_alarm" "mapping_throttles" {
  for_each            = { for k, f in local.queue_functions : k => f if f.app }
  alarm_name          = "${local.prefix}-${each.key}-throttles"
  alarm_description   = local.platform.mappingThrottleAlarm.description
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.fn[each.key].function_name }
  statistic           = local.platform.mappingThrottleAlarm.statistic
  period              = local.platform.mappingThrottleAlarm.periodSeconds
  evaluation_periods  = local.platform.mappingThrottleAlarm.evaluationPeriods
  threshold           = local.platform.mappingThrottleAlarm.threshold
  comparison_operator = local.platform.mappingThrottleAlarm.comparison
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

locals {
  # Job types with a worker: one backlog and one age alarm each (the CDK app's Monitoring.queueTypes).
  queue_types = sort(distinct([for k, f in local.queue_functions : f.job_type if f.app && f.job_type != null]))
  queue_alarm = local.platform.queueAlarms
  # While jobs wait (depth > 0), a minute without a receipt counts as one second over the threshold, so a
  # mapping that stopped consuming alarms; without depth data it is 0 (dlq-metrics-missing covers that).
  age_expression = "IF(FILL(depth, 0) > 0, FILL(age, ${floor(local.queue_alarm.age.thresholdSeconds + 1)}), 0)"
}

resource "aws_cloudwatch_metric_alarm" "queue_backlog" {
  for_each            = toset(local.queue_types)
  alarm_name          = "${local.prefix}-queue-${each.key}-backlog"
  alarm_description   = local.queue_alarm.backlog.description
  namespace           = local.metrics
  metric_name         = "QueueDepth"
  dimensions          = { Namespace = local.ns, Type = each.key }
  statistic           = local.queue_alarm.backlog.statistic
  period              = local.queue_alarm.backlog.periodSeconds
  evaluation_periods  = local.queue_alarm.backlog.evaluationPeriods
  threshold           = local.queue_alarm.backlog.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "queue_age" {
  for_each            = toset(local.queue_types)
  alarm_name          = "${local.prefix}-queue-${each.key}-age"
  alarm_description   = local.queue_alarm.age.description
  evaluation_periods  = local.queue_alarm.age.evaluationPeriods
  threshold           = local.queue_alarm.age.thresholdSeconds
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "expr"
    expression  = local.age_expression
    label       = "${each.key} queue age, stalled counts as over"
    return_data = true
  }
  dynamic "metric_query" {
    for_each = { depth = "QueueDepth", age = "QueueAgeSeconds" }
    content {
      id = metric_query.key
      metric {
        namespace   = local.metrics
        metric_name = metric_query.value
        dimensions  = { Namespace = local.ns, Type = each.key }
        stat        = "Maximum"
        period      = local.queue_alarm.age.periodSeconds
      }
    }
  }
}

locals {
  api_alarm_dimensions = { ApiId = aws_apigatewayv2_api.this.id }
}

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "${local.prefix}-api-5xx"
  alarm_description   = local.platform.apiErrorAlarm.description
  namespace           = "AWS/ApiGateway"
  metric_name         = local.platform.apiErrorAlarm.metric
  dimensions          = local.api_alarm_dimensions
  statistic           = local.platform.apiErrorAlarm.statistic
  period              = local.platform.apiErrorAlarm.periodSeconds
  evaluation_periods  = local.platform.apiErrorAlarm.evaluationPeriods
  threshold           = local.platform.apiErrorAlarm.threshold
  comparison_operator = local.platform.apiErrorAlarm.comparison
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

# Amazon MQ's broker metrics (a cluster's are the sum over its nodes): memory used of the limit, free disk over its limit.
locals {
  broker_alarms = {
    memory = { expression = "100 * used / limit", label = "broker memory used, % of limit", threshold = local.platform.brokerAlarms.memoryUsedPercent,
    comparison = "GreaterThanThreshold", description = local.platform.brokerAlarms.memoryDescription, metrics = { used = "RabbitMQMemUsed", limit = "RabbitMQMemLimit" } }
    disk = { expression = "free / limit", label = "broker free disk over its limit", threshold = local.platform.brokerAlarms.diskFreeOverLimit,
    comparison = "LessThanThreshold", description = local.platform.brokerAlarms.diskDescription, metrics = { free = "RabbitMQDiskFree", limit = "RabbitMQDiskFreeLimit" } }
  }
}

resource "aws_cloudwatch_metric_alarm" "broker" {
  for_each            = local.broker_alarms
  alarm_name          = "${local.prefix}-broker-${each.key}"
  alarm_description   = each.value.description
  evaluation_periods  = local.platform.brokerAlarms.evaluationPeriods
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "expr"
    expression  = each.value.expression
    label       = each.value.label
    return_data = true
  }
  dynamic "metric_query" {
    for_each = each.value.metrics
    content {
      id = metric_query.key
      metric {
        namespace   = "AWS/AmazonMQ"
        metric_name = metric_query.value
        dimensions  = { Broker = aws_mq_broker.this.broker_name }
        stat        = "Maximum"
        period      = local.platform.brokerAlarms.periodSeconds
      }
    }
  }
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
          [local.metrics, "DlqParked", "Namespace", local.ns, { stat = "Maximum", period = 300, yAxis = "right" }],
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
      { type = "metric", x = 0, y = 14, width = 12, height = 6, properties = {
        title   = "Queues: jobs waiting per type", region = var.region, view = "timeSeries", stat = "Maximum", period = 60
        metrics = [for t in local.queue_types : [local.metrics, "QueueDepth", "Namespace", local.ns, "Type", t]]
      } },
      { type = "metric", x = 12, y = 14, width = 12, height = 6, properties = {
        title   = "Queues: longest wait per type (s)", region = var.region, view = "timeSeries", stat = "Maximum", period = 60
        metrics = [for t in local.queue_types : [local.metrics, "QueueAgeSeconds", "Namespace", local.ns, "Type", t]]
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

# Functions whose trigger is a schedule (functions.json {"kind": "schedule", "expression": ...}: the scheduler,
# every minute), invoked with EventBridge's own scheduled event. Same rule as the CDK app's FunctionSchedules.
resource "aws_cloudwatch_event_rule" "scheduled" {
  for_each            = local.schedule_functions
  name                = "${local.prefix}-${each.key}"
  description         = "Runs ${each.key} of ${local.prefix} on ${each.value.expression}"
  schedule_expression = each.value.expression
}

resource "aws_cloudwatch_event_target" "scheduled" {
  for_each = aws_cloudwatch_event_rule.scheduled
  rule     = each.value.name
  arn      = local.invoke[each.key].arn
}

resource "aws_lambda_permission" "scheduled" {
  for_each      = aws_cloudwatch_event_rule.scheduled
  statement_id  = "AllowEventBridgeSchedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn[each.key].function_name
  qualifier     = local.invoke[each.key].qualifier
  principal     = "events.amazonaws.com"
  source_arn    = each.value.arn
}
