output "api_url" {
  value = aws_apigatewayv2_api.this.api_endpoint
}

output "broker_amqps_uri" {
  value = local.broker_env.JOBS_RABBITMQ_URI
}

output "broker_secret_arn" {
  value = aws_secretsmanager_secret.broker.arn
}

output "api_keys_secret_arn" {
  value = aws_secretsmanager_secret.api_keys.arn
}

output "bucket" {
  value = aws_s3_bucket.this.bucket
}

output "alarm_topic_arn" {
  value = aws_sns_topic.alarms.arn
}

output "mapped_queues" {
  description = "Queue -> function (with :live where it is invoked through its SnapStart alias) of every event-source mapping."
  value       = { for q, m in local.mappings : q => "${local.prefix}-${m.function}${local.functions[m.function].snap_start ? ":live" : ""}" }
}

output "route_functions" {
  description = "Route key -> the function (with :live where it is invoked through its SnapStart alias) its integration invokes."
  value       = { for k, r in local.routes : k => "${local.prefix}-${r.owner}${local.functions[r.owner].snap_start ? ":live" : ""}" }
}

output "function_env_keys" {
  description = "Environment variable names per function (the values hold ARNs and endpoints)."
  value       = { for k, e in local.env : "${local.prefix}-${k}" => sort(keys(e)) }
}

output "function_jobs_shards" {
  description = "JOBS_SHARDS per function (null where absent), for the CDK parity test."
  value       = { for k, e in local.env : "${local.prefix}-${k}" => lookup(e, "JOBS_SHARDS", null) }
}

output "function_permissions" {
  description = "Per function, each IAM statement as its sorted actions and condition, without resources (for the CDK parity test)."
  value = { for k, sts in local.statements : "${local.prefix}-${k}" => sort([
    for s in sts : "${join(",", sort(s.Action))} ${jsonencode(try(s.Condition, {}))}"
  ]) }
}

output "schedules" {
  description = "EventBridge schedule rule -> expression, target function and input."
  value = merge({ for k, r in aws_cloudwatch_event_rule.dlq_metrics : r.name => {
    expression = r.schedule_expression
    function   = "${local.prefix}-${k}${local.functions[k].snap_start ? ":live" : ""}"
    input      = aws_cloudwatch_event_target.dlq_metrics[k].input
    } }, { for k, r in aws_cloudwatch_event_rule.scheduled : r.name => {
    expression = r.schedule_expression
    function   = "${local.prefix}-${k}${local.functions[k].snap_start ? ":live" : ""}"
    input      = aws_cloudwatch_event_target.scheduled[k].input
  } })
}

output "vpc_endpoints" {
  description = "Gateway/interface endpoints: service suffix -> type and route table count (for the CDK parity test)."
  # The route table count from the tables the endpoint is given (their IDs are unknown until apply).
  value = { (element(split(".", aws_vpc_endpoint.s3.service_name), length(split(".", aws_vpc_endpoint.s3.service_name)) - 1)) = "${aws_vpc_endpoint.s3.vpc_endpoint_type} | ${length(aws_route_table.private)}" }
}

output "api_alarm_dimension_names" {
  description = "Dimension names of the API 5xx alarm (its values are known only after apply), for the CDK parity test."
  value       = { "${local.prefix}-api-5xx" = sort(keys(local.api_alarm_dimensions)) }
}

output "topology_step" {
  description = "The topology the deploy step declares and the property names it is invoked with (the input holds the broker ID, known only after apply), for the CDK parity test."
  value       = { topology = local.deploy_topology, properties = sort(keys(local.topology_properties)) }
}
