# Offline: the AWS provider is mocked, so these need no credentials and no network.
# Run with terraform/test.sh (it sets up the provider mirror).
mock_provider "aws" {
  # Mocked computed values are random strings; ARNs must look like ARNs where other resources validate them.
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:mock" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mock" }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn        = "arn:aws:lambda:eu-west-1:123456789012:function:mock"
      invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mock/invocations"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mock" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mock-bucket", bucket = "mock-bucket" }
  }
  mock_resource "aws_apigatewayv2_api" {
    defaults = { execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:mockapi" }
  }
  override_resource {
    target = aws_mq_broker.this
    values = {
      arn       = "arn:aws:mq:eu-west-1:123456789012:broker:jobs-dev:b-mock"
      instances = [{ console_url = "https://b-mock.mq.eu-west-1.on.aws", ip_address = "", endpoints = ["amqps://b-mock.mq.eu-west-1.on.aws:5671"] }]
    }
  }
  override_resource {
    target = aws_elasticache_serverless_cache.this
    values = {
      endpoint = [{ address = "jobs-dev-mock.serverless.euw1.cache.amazonaws.com", port = 6379 }]
    }
  }
}

variables {
  broker_password     = "test-password-0123456789"
  redis_password      = "test-password-0123456789"
  api_keys            = { default = "test-key" }
  webhook_signing_key = "dGVzdC1zaWduaW5nLWtleS0wMTIzNDU2Nzg5MDEyMw=="
  require_artifacts   = false
}

run "dev_one_mapping_per_consumed_queue" {
  command = apply

  variables {
    stage = "dev"
  }

  # functions.json's queue functions, each on its topology.json work queue.
  assert {
    condition = length(aws_lambda_event_source_mapping.queue) == length([
      for f in jsondecode(file("../functions/functions.json")).functions : f if f.trigger.kind == "queue"
    ])
    error_message = "expected one mapping per queue-triggered function (no shards in functions.json)"
  }
  assert {
    condition = alltrue([for m in aws_lambda_event_source_mapping.queue :
      length(m.queues) == 1 && contains([for q in jsondecode(file("../infra/topology.json")).queues : q.name], m.queues[0])
    ])
    error_message = "every mapping must consume exactly one queue named in infra/topology.json"
  }
  assert {
    condition = alltrue([for m in aws_lambda_event_source_mapping.queue :
      length(m.source_access_configuration) == 2
      && contains([for s in m.source_access_configuration : s.type], "BASIC_AUTH")
      && contains([for s in m.source_access_configuration : "${s.type}=${s.uri}"], "VIRTUAL_HOST=/")
    ])
    error_message = "every mapping needs BASIC_AUTH (broker secret) and VIRTUAL_HOST=/"
  }
  assert {
    condition = alltrue([for m in aws_lambda_event_source_mapping.queue :
      one([for s in m.source_access_configuration : s.uri if s.type == "BASIC_AUTH"]) == aws_secretsmanager_secret.broker.arn
    ])
    error_message = "BASIC_AUTH must be the broker secret"
  }
  assert {
    condition     = aws_lambda_event_source_mapping.queue["jobs.webhook.deliver"].batch_size == 10
    error_message = "webhook.deliver batch size comes from functions.json (10)"
  }
  assert {
    condition     = aws_mq_broker.this.deployment_mode == "SINGLE_INSTANCE" && aws_mq_broker.this.publicly_accessible == false
    error_message = "dev broker: single instance, private"
  }
  assert {
    condition     = aws_mq_broker.this.engine_type == "RabbitMQ" && aws_mq_broker.this.engine_version == "4.2"
    error_message = "Amazon MQ for RabbitMQ 4.2"
  }
  assert {
    condition = alltrue([for f in jsondecode(file("../functions/functions.json")).functions :
      aws_lambda_function.fn[f.name].memory_size == f.memoryMb && aws_lambda_function.fn[f.name].timeout == f.timeoutSeconds
    ])
    error_message = "function memory and timeout must equal functions.json"
  }
  assert {
    condition     = aws_lambda_function.fn["submit"].environment[0].variables["JOBS_RABBITMQ_URI"] == "amqps://b-mock.mq.eu-west-1.on.aws:5671/%2f"
    error_message = "JOBS_RABBITMQ_URI is the broker's amqps endpoint with vhost /"
  }
  assert {
    condition     = aws_lambda_function.fn["submit"].environment[0].variables["JOBS_REDIS_URI"] == "rediss://jobs-dev-mock.serverless.euw1.cache.amazonaws.com:6379"
    error_message = "JOBS_REDIS_URI is rediss:// to the serverless cache"
  }
  # Alarms and their thresholds.
  assert {
    condition = (aws_cloudwatch_metric_alarm.platform["dead-letters"].threshold == 0
      && aws_cloudwatch_metric_alarm.platform["dead-letters"].metric_name == "DeadLetters"
      && aws_cloudwatch_metric_alarm.platform["dead-letters"].comparison_operator == "GreaterThanThreshold"
      && aws_cloudwatch_metric_alarm.platform["dlq-oldest-age"].threshold == 3600
      && aws_cloudwatch_metric_alarm.platform["breaker-open"].metric_name == "BreakerOpen"
    && aws_cloudwatch_metric_alarm.platform["ledger-mismatch"].metric_name == "LedgerMismatch")
    error_message = "platform alarms: DeadLetters > 0, DlqOldestAgeSeconds > 3600, BreakerOpen, LedgerMismatch"
  }
  assert {
    condition = alltrue([for a in aws_cloudwatch_metric_alarm.platform :
    a.namespace == "DurableJobs" && a.dimensions["Namespace"] == "jobs" && contains(a.alarm_actions, aws_sns_topic.alarms.arn)])
    error_message = "platform alarms watch DurableJobs/Namespace=jobs and page the SNS topic"
  }
  assert {
    condition     = length(aws_cloudwatch_metric_alarm.function_errors) == length(jsondecode(file("../functions/functions.json")).functions)
    error_message = "one error alarm per function of functions.json"
  }
  # Least privilege: Resource "*" only for actions without resource-level permissions.
  assert {
    condition = alltrue(flatten([for p in aws_iam_role_policy.fn : [
      for s in jsondecode(p.policy).Statement : alltrue([for a in s.Action : contains([
        "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses", "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs", "cloudwatch:PutMetricData"], a)])
      if contains(s.Resource, "*")
    ]]))
    error_message = "an IAM statement grants an action on Resource \"*\" that supports resource-level permissions"
  }
  assert {
    condition     = length(aws_apigatewayv2_route.this) == 8 && contains(keys(aws_apigatewayv2_route.this), "POST /v1/jobs")
    error_message = "the HTTP API has the eight routes of PRODUCT.md"
  }
}

run "prod_broker_is_a_private_cluster" {
  command = plan

  variables {
    stage = "prod"
  }

  assert {
    condition     = aws_mq_broker.this.deployment_mode == "CLUSTER_MULTI_AZ" && aws_mq_broker.this.publicly_accessible == false
    error_message = "prod broker: multi-AZ cluster, not publicly accessible"
  }
  assert {
    condition     = aws_mq_broker.this.host_instance_type == "mq.m7g.large"
    error_message = "prod broker instance type comes from platform.json"
  }
}

run "sharded_type_and_dead_queue_consumer" {
  command = plan

  variables {
    stage          = "dev"
    functions_file = "../infra/cdk/src/test/resources/functions-fixture.json"
  }

  assert {
    condition = toset(keys(aws_lambda_event_source_mapping.queue)) == toset([
    "jobs.webhook.deliver", "jobs.webhook.deliver.1", "jobs.webhook.deliver.2", "jobs.dead"])
    error_message = "shards 3 gives three webhook mappings; role dead maps the dead queue"
  }
  assert {
    condition     = aws_lambda_event_source_mapping.queue["jobs.webhook.deliver.2"].maximum_batching_window_in_seconds == 2
    error_message = "batchWindowMs 2000 is a 2 s window"
  }
  assert {
    condition     = contains([for q in jsondecode(local.deploy_topology).queues : q.name], "jobs.webhook.deliver.2")
    error_message = "the deploy-time topology declares the shard queues"
  }
}
