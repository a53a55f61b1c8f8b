output "api_url" {
  value = aws_apigatewayv2_api.this.api_endpoint
}

output "broker_amqps_uri" {
  value = local.base_env.JOBS_RABBITMQ_URI
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
  description = "Queue -> function of every event-source mapping."
  value       = { for q, m in local.mappings : q => "${local.prefix}-${m.function}" }
}

output "function_env_keys" {
  description = "Environment variable names per function (the values hold ARNs and endpoints)."
  value       = { for k, e in local.env : "${local.prefix}-${k}" => sort(keys(e)) }
}
