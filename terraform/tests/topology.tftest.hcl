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
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:123456789012:rule/mock" }
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
  # Distinct secret ARNs, so the tests can tell which secret a grant or a setting names.
  override_resource {
    target = aws_secretsmanager_secret.broker
    values = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:broker" }
  }
  override_resource {
    target = aws_secretsmanager_secret.redis
    values = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redis" }
  }
  override_resource {
    target = aws_secretsmanager_secret.api_keys
    values = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-keys" }
  }
  override_resource {
    target = aws_secretsmanager_secret.webhook_signing
    values = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhook-signing" }
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
    condition     = aws_lambda_event_source_mapping.queue["jobs.webhook.deliver"].batch_size == 500
    error_message = "webhook.deliver batch size comes from functions.json (500)"
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
      && aws_cloudwatch_metric_alarm.platform["ledger-mismatch"].metric_name == "LedgerMismatch"
    && aws_cloudwatch_metric_alarm.platform["dlq-parked"].metric_name == "DlqParked")
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
  # Runtime, logs, reserved concurrency and SnapStart come from functions.json.
  assert {
    condition = alltrue([for k, f in aws_lambda_function.fn :
    f.runtime == "java21" && f.logging_config[0].log_format == "JSON" && f.logging_config[0].log_group == "/aws/lambda/jobs-dev-${k}"])
    error_message = "every function runs java21 and logs in JSON to its own log group"
  }
  assert {
    condition = (aws_lambda_function.fn["webhook-worker"].reserved_concurrent_executions == 1
      && aws_lambda_function.fn["submit"].reserved_concurrent_executions == -1
      && aws_lambda_function.fn["store-api"].reserved_concurrent_executions == -1
    && aws_lambda_function.fn["dlq-consumer"].reserved_concurrent_executions == -1)
    error_message = "workers reserve one environment per mapping; concurrency null reserves nothing"
  }
  assert {
    condition = (length(aws_lambda_function.fn["webhook-worker"].snap_start) == 0 && keys(aws_lambda_alias.live) == ["store-api", "submit"]
      && alltrue([for k in ["submit", "store-api"] : aws_lambda_function.fn[k].publish && aws_lambda_function.fn[k].snap_start[0].apply_on == "PublishedVersions"
        && aws_lambda_alias.live[k].function_version == aws_lambda_function.fn[k].version
    && aws_apigatewayv2_integration.fn[k].integration_uri == aws_lambda_alias.live[k].invoke_arn]))
    error_message = "submit and store-api: SnapStart on published versions, and each API integration invokes its live alias"
  }
  assert {
    condition     = aws_lambda_permission.api["submit"].qualifier == "live" && aws_lambda_permission.api["store-api"].qualifier == "live"
    error_message = "the API may invoke the live aliases"
  }
  # The store routes go to store-api, every other route to submit.
  assert {
    condition = alltrue([for k, r in aws_apigatewayv2_route.this :
      r.target == "integrations/${aws_apigatewayv2_integration.fn[length(regexall("^[A-Z]+ /v1/(blobs/|dlq)", k)) > 0 ? "store-api" : "submit"].id}"
    ]) && length([for k, o in output.route_functions : k if o == "jobs-dev-store-api:live"]) == 7
    error_message = "the blob and dead-letter routes reach store-api, the others submit"
  }
  # A new broker is empty: its identity is a trigger of the topology step, and part of the payload.
  assert {
    condition = (aws_lambda_invocation.topology.triggers["broker"] == aws_mq_broker.this.id
    && jsondecode(aws_lambda_invocation.topology.input).ResourceProperties.BrokerId == aws_mq_broker.this.id)
    error_message = "the topology is declared again when the broker is replaced"
  }
  assert {
    condition = (aws_lambda_function.fn["dlq-consumer"].environment[0].variables["JOBS_QUEUE_DEPTH_TYPES"] == "example.hello,image.transform,pdf.render,webhook.deliver"
    && !contains(keys(aws_lambda_function.fn["submit"].environment[0].variables), "JOBS_QUEUE_DEPTH_TYPES"))
    error_message = "the DLQ consumer is told every worked type, sorted; nobody else"
  }
  assert {
    condition     = length(terraform_data.prod_guard) == 0
    error_message = "dev has no destroy guard"
  }
  # Operability: per-type backlog and age (stalled counts as over), throttles, API 5xx, broker memory and disk.
  assert {
    condition = (toset(keys(aws_cloudwatch_metric_alarm.queue_backlog)) == toset(["webhook.deliver", "image.transform", "pdf.render", "example.hello"])
      && aws_cloudwatch_metric_alarm.queue_backlog["webhook.deliver"].metric_name == "QueueDepth"
      && aws_cloudwatch_metric_alarm.queue_backlog["webhook.deliver"].dimensions["Type"] == "webhook.deliver"
    && toset(keys(aws_cloudwatch_metric_alarm.queue_age)) == toset(keys(aws_cloudwatch_metric_alarm.queue_backlog)))
    error_message = "every worked job type has a backlog and an age alarm"
  }
  assert {
    condition = (contains([for q in aws_cloudwatch_metric_alarm.queue_age["pdf.render"].metric_query : q.expression], "IF(FILL(depth, 0) > 0, FILL(age, 901), 0)")
    && aws_cloudwatch_metric_alarm.queue_age["pdf.render"].threshold == 900)
    error_message = "the age alarm counts waiting jobs without a receipt as over the threshold"
  }
  assert {
    condition = (toset(keys(aws_cloudwatch_metric_alarm.mapping_throttles)) == toset(["webhook-worker", "image-worker", "pdf-worker", "hello-worker", "dlq-consumer"])
      && aws_cloudwatch_metric_alarm.api_5xx.metric_name == "5xx" && aws_cloudwatch_metric_alarm.api_5xx.namespace == "AWS/ApiGateway"
    && toset(keys(aws_cloudwatch_metric_alarm.broker)) == toset(["memory", "disk"]))
    error_message = "throttle alarms for every mapped function, API 5xx, broker memory and disk"
  }
  assert {
    condition = (aws_vpc_endpoint.s3.vpc_endpoint_type == "Gateway" && aws_vpc_endpoint.s3.service_name == "com.amazonaws.eu-west-1.s3"
    && length(aws_vpc_endpoint.s3.route_table_ids) == 2)
    error_message = "S3 through a gateway endpoint on the private route tables"
  }
  assert {
    condition     = length(aws_apigatewayv2_route.this) == 19 && contains(keys(aws_apigatewayv2_route.this), "POST /v1/schedules")
    error_message = "the HTTP API has the nineteen product routes of platform.json"
  }
}

# Blob store, dead-letter store, metrics push and secrets: each function gets the settings of what it touches
# and the permissions for exactly that (infra/README.md "Runtime contract" and "IAM").
run "settings_and_least_privilege_per_function" {
  command = apply

  variables {
    stage = "dev"
  }

  # Blobs: the store API reads (presigned result URLs) and uploads, image and pdf workers read and write, nobody else.
  assert {
    condition = alltrue([for k in ["store-api", "image-worker", "pdf-worker"] :
      aws_lambda_function.fn[k].environment[0].variables["JOBS_BLOB_STORE"] == "s3"
      && aws_lambda_function.fn[k].environment[0].variables["JOBS_BLOB_BUCKET"] == "mock-bucket"
      && aws_lambda_function.fn[k].environment[0].variables["JOBS_BLOB_PREFIX"] == "blobs/"
    ])
    error_message = "store-api, image-worker and pdf-worker use the S3 blob store under blobs/"
  }
  assert {
    condition = alltrue([for k in ["submit", "webhook-worker", "hello-worker", "dlq-consumer", "topology-deployer"] :
    !contains(keys(aws_lambda_function.fn[k].environment[0].variables), "JOBS_BLOB_BUCKET")])
    error_message = "functions that touch no blob get no blob settings"
  }
  assert {
    condition = alltrue([for k in ["image-worker", "pdf-worker"] : contains(
      [for s in jsondecode(aws_iam_role_policy.fn[k].policy).Statement : jsonencode(s)],
      jsonencode({ Action = ["s3:GetObject", "s3:PutObject"], Effect = "Allow", Resource = ["arn:aws:s3:::mock-bucket/blobs/*"] })
    )])
    error_message = "blob workers: Get and PutObject on blobs/* only"
  }
  assert {
    condition = (contains([for s in jsondecode(aws_iam_role_policy.fn["store-api"].policy).Statement : jsonencode(s)],
      jsonencode({ Action = ["s3:GetObject", "s3:PutObject"], Effect = "Allow", Resource = ["arn:aws:s3:::mock-bucket/blobs/*"] }))
    && !strcontains(aws_iam_role_policy.fn["submit"].policy, "s3:"))
    error_message = "the store API reads blobs/* (HEAD and presigned GET) and uploads inputs (PUT /v1/blobs/...), never deletes them; submit has no S3 grant"
  }
  # Dead letters: the store API and the DLQ consumer, on dead-letters/ only.
  assert {
    condition = alltrue([for k in ["store-api", "dlq-consumer"] :
      aws_lambda_function.fn[k].environment[0].variables["JOBS_DEAD_LETTER_STORE"] == "s3"
      && aws_lambda_function.fn[k].environment[0].variables["JOBS_DEAD_LETTER_BUCKET"] == "mock-bucket"
      && aws_lambda_function.fn[k].environment[0].variables["JOBS_DEAD_LETTER_PREFIX"] == "dead-letters/"
      && contains([for s in jsondecode(aws_iam_role_policy.fn[k].policy).Statement : jsonencode(s)],
      jsonencode({ Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Effect = "Allow", Resource = ["arn:aws:s3:::mock-bucket/dead-letters/*"] }))
    ])
    error_message = "store-api and dlq-consumer: S3 dead-letter store, Get/Put/DeleteObject on dead-letters/*"
  }
  assert {
    condition = alltrue([for k in ["submit", "webhook-worker", "image-worker", "pdf-worker", "hello-worker", "topology-deployer"] :
    !contains(keys(aws_lambda_function.fn[k].environment[0].variables), "JOBS_DEAD_LETTER_BUCKET")])
    error_message = "submit, workers and the deploy step get no dead-letter settings"
  }
  # Every S3 grant is on one prefix; every ListBucket carries that prefix as a condition.
  assert {
    condition = alltrue(flatten([for p in aws_iam_role_policy.fn : [
      for s in jsondecode(p.policy).Statement : alltrue([for r in s.Resource :
        contains(s.Action, "s3:ListBucket")
        ? (r == "arn:aws:s3:::mock-bucket" && contains([["blobs/*"], ["dead-letters/*"]], s.Condition.StringLike["s3:prefix"]))
        : contains(["arn:aws:s3:::mock-bucket/blobs/*", "arn:aws:s3:::mock-bucket/dead-letters/*"], r)
      ]) if anytrue([for a in s.Action : startswith(a, "s3:")])
    ]]))
    error_message = "S3 permissions must be limited to blobs/ or dead-letters/ (ListBucket by an s3:prefix condition)"
  }
  # Metrics: only the DLQ consumer pushes (PutMetricData, namespace condition); everyone writes EMF.
  assert {
    condition = (aws_lambda_function.fn["dlq-consumer"].environment[0].variables["JOBS_METRICS_PUSH"] == "cloudwatch"
      && aws_lambda_function.fn["dlq-consumer"].environment[0].variables["JOBS_METRICS_NAMESPACE"] == "DurableJobs"
      && contains([for s in jsondecode(aws_iam_role_policy.fn["dlq-consumer"].policy).Statement : jsonencode(s)],
    jsonencode({ Action = ["cloudwatch:PutMetricData"], Condition = { StringEquals = { "cloudwatch:namespace" = "DurableJobs" } }, Effect = "Allow", Resource = ["*"] })))
    error_message = "the DLQ consumer pushes with PutMetricData, limited to the DurableJobs namespace"
  }
  assert {
    condition = alltrue([for k, f in aws_lambda_function.fn :
      k == "topology-deployer" || (lookup(f.environment[0].variables, "JOBS_METRICS_EMF", "") == "stdout"
        && lookup(f.environment[0].variables, "JOBS_METRICS_PUSH", "") == (k == "dlq-consumer" ? "cloudwatch" : "off")
      && (k == "dlq-consumer") == strcontains(aws_iam_role_policy.fn[k].policy, "cloudwatch:PutMetricData"))
    ])
    error_message = "EMF on stdout everywhere; PutMetricData (setting and grant) for the DLQ consumer only"
  }
  # Secrets: each *_SECRET_ARN setting has GetSecretValue on exactly that secret, and no other grant.
  assert {
    condition = alltrue([for k, f in aws_lambda_function.fn :
      toset([for n, v in f.environment[0].variables : v if endswith(n, "_SECRET_ARN")])
      == toset(flatten([for s in jsondecode(aws_iam_role_policy.fn[k].policy).Statement : s.Resource if contains(s.Action, "secretsmanager:GetSecretValue")]))
    ])
    error_message = "GetSecretValue must be granted on exactly the secrets a function's *_SECRET_ARN settings name"
  }
  assert {
    condition = (aws_lambda_function.fn["submit"].environment[0].variables["JOBS_API_KEYS_SECRET_ARN"] == aws_secretsmanager_secret.api_keys.arn
      && aws_lambda_function.fn["store-api"].environment[0].variables["JOBS_API_KEYS_SECRET_ARN"] == aws_secretsmanager_secret.api_keys.arn
      && aws_lambda_function.fn["webhook-worker"].environment[0].variables["JOBS_WEBHOOK_SIGNING_SECRET_ARN"] == aws_secretsmanager_secret.webhook_signing.arn
      && alltrue([for k in ["submit", "store-api", "webhook-worker", "image-worker", "pdf-worker", "hello-worker", "dlq-consumer"] :
        aws_lambda_function.fn[k].environment[0].variables["JOBS_REDIS_SECRET_ARN"] == aws_secretsmanager_secret.redis.arn
    && aws_lambda_function.fn[k].environment[0].variables["JOBS_RABBITMQ_SECRET_ARN"] == aws_secretsmanager_secret.broker.arn]))
    error_message = "broker and cache secrets for every app function; API keys for submit and store-api; signing key for webhook.*"
  }
  # Nothing in functions.json is sharded: JOBS_SHARDS is absent everywhere (not empty).
  assert {
    condition = local.jobs_shards == "" && alltrue([for k, f in aws_lambda_function.fn :
    !contains(keys(f.environment[0].variables), "JOBS_SHARDS")])
    error_message = "without a sharded type no function gets JOBS_SHARDS"
  }
  # The topology deployer: its real artifact, broker settings and the broker secret only.
  assert {
    condition = (endswith(local.functions["topology-deployer"].jar, "/functions/topology-deployer/target/topology-deployer-function-0.1.0-SNAPSHOT-lambda.jar")
    && aws_lambda_function.fn["topology-deployer"].handler == "io.durablejobs.functions.topology.TopologyDeployerHandler::handleRequest")
    error_message = "the topology deployer is functions/topology-deployer's shaded jar"
  }
  assert {
    condition = (sort(keys(aws_lambda_function.fn["topology-deployer"].environment[0].variables)) == sort(["JAVA_TOOL_OPTIONS", "JOBS_NAMESPACE", "JOBS_RABBITMQ_SECRET_ARN", "JOBS_RABBITMQ_URI"])
    && aws_lambda_function.fn["topology-deployer"].environment[0].variables["JOBS_RABBITMQ_SECRET_ARN"] == aws_secretsmanager_secret.broker.arn)
    error_message = "the topology deployer gets the broker settings and secret only"
  }
  assert {
    condition     = !strcontains(aws_iam_role_policy.fn["topology-deployer"].policy, "s3:") && !strcontains(aws_iam_role_policy.fn["topology-deployer"].policy, "secret:redis")
    error_message = "the topology deployer touches neither the bucket nor the cache secret"
  }
  # The scheduler runs every minute on its own rule, with EventBridge's scheduled event (no input).
  assert {
    condition = (length(aws_cloudwatch_event_rule.scheduled) == 1
      && aws_cloudwatch_event_rule.scheduled["scheduler"].name == "jobs-dev-scheduler"
      && aws_cloudwatch_event_rule.scheduled["scheduler"].schedule_expression == "rate(1 minute)"
      && aws_cloudwatch_event_target.scheduled["scheduler"].input == null
    && aws_lambda_permission.scheduled["scheduler"].principal == "events.amazonaws.com")
    error_message = "one EventBridge rule, rate(1 minute), invokes the scheduler"
  }
  # The DLQ consumer runs every minute with {}, so its metrics (and alarms) do not depend on dead letters arriving.
  assert {
    condition = (length(aws_cloudwatch_event_rule.dlq_metrics) == 1
      && aws_cloudwatch_event_rule.dlq_metrics["dlq-consumer"].name == "jobs-dev-dlq-consumer-metrics"
      && aws_cloudwatch_event_rule.dlq_metrics["dlq-consumer"].schedule_expression == "rate(1 minute)"
      && aws_cloudwatch_event_target.dlq_metrics["dlq-consumer"].input == "{}"
      && aws_cloudwatch_event_target.dlq_metrics["dlq-consumer"].arn == aws_lambda_function.fn["dlq-consumer"].arn
      && aws_lambda_permission.dlq_metrics["dlq-consumer"].principal == "events.amazonaws.com"
    && aws_lambda_permission.dlq_metrics["dlq-consumer"].source_arn == aws_cloudwatch_event_rule.dlq_metrics["dlq-consumer"].arn)
    error_message = "one EventBridge rule, rate(1 minute), invokes the DLQ consumer with {} (and may)"
  }
  # With a data point a minute, the DLQ alarms have data in every period, and silence is itself an alarm.
  assert {
    condition = alltrue([for k in ["dead-letters", "dlq-oldest-age", "ledger-mismatch", "dlq-metrics-missing"] :
    aws_cloudwatch_metric_alarm.platform[k].period >= 60 && aws_cloudwatch_metric_alarm.platform[k].period % 60 == 0])
    error_message = "DLQ alarm periods are whole multiples of the one-minute push"
  }
  assert {
    condition = (aws_cloudwatch_metric_alarm.platform["dlq-metrics-missing"].treat_missing_data == "breaching"
      && aws_cloudwatch_metric_alarm.platform["dlq-metrics-missing"].statistic == "SampleCount"
      && aws_cloudwatch_metric_alarm.platform["dlq-metrics-missing"].comparison_operator == "LessThanThreshold"
    && aws_cloudwatch_metric_alarm.platform["dlq-oldest-age"].treat_missing_data == "notBreaching")
    error_message = "dlq-metrics-missing fires when the per-minute push stops"
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
  # The broker and the bucket are guarded: the guard cannot be destroyed, and is replaced with either of them.
  assert {
    condition     = length(terraform_data.prod_guard) == 1
    error_message = "prod has the destroy guard over the broker and the bucket"
  }
  assert {
    condition = local.jobs_shards == "" && alltrue([for k, f in aws_lambda_function.fn :
    !contains(keys(f.environment[0].variables), "JOBS_SHARDS")])
    error_message = "prod, nothing sharded: no JOBS_SHARDS on any function"
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
  # SnapStart on the DLQ consumer (fixture): its mapping and its schedule invoke the live alias.
  assert {
    condition = (keys(aws_lambda_alias.live) == ["dlq-consumer", "submit"]
      && aws_lambda_permission.dlq_metrics["dlq-consumer"].qualifier == "live"
    && output.mapped_queues["jobs.dead"] == "jobs-dev-dlq-consumer:live")
    error_message = "a SnapStart queue function is invoked through its alias by its mapping and its schedule"
  }
  # The publisher learns the shard counts: the same JOBS_SHARDS on every function, the deploy step included.
  assert {
    condition = length(aws_lambda_function.fn) == 4 && alltrue([for k, f in aws_lambda_function.fn :
    lookup(f.environment[0].variables, "JOBS_SHARDS", "") == "webhook.deliver=3"])
    error_message = "every function gets JOBS_SHARDS=webhook.deliver=3"
  }
}

run "jobs_shards_lists_every_sharded_type_sorted" {
  command = plan

  variables {
    stage          = "dev"
    functions_file = "tests/functions-two-sharded.json"
  }

  assert {
    condition     = local.jobs_shards == "image.transform=2,webhook.deliver=4"
    error_message = "JOBS_SHARDS: <type>=<N> for each type with shards > 1, sorted by type; one-shard types omitted"
  }
  assert {
    condition = alltrue([for k, f in aws_lambda_function.fn :
    lookup(f.environment[0].variables, "JOBS_SHARDS", "") == "image.transform=2,webhook.deliver=4"])
    error_message = "every function gets the same JOBS_SHARDS"
  }
  assert {
    condition     = length(aws_lambda_event_source_mapping.queue) == 7
    error_message = "4 webhook + 2 image + 1 hello mappings"
  }
}
