# Every function of functions.json (and platform.json deployFunctions), one role each. What a function reads
# and writes (local.access) follows the same rules as the CDK app's FunctionAccess (infra/README.md "IAM"):
# settings and permissions both come from it. Resource "*" only for the actions AWS offers no resource-level
# permission for (ENI management, Describe*, PutMetricData with a namespace condition).
locals {
  blob_prefix  = local.platform.bucket.blobPrefix
  dead_prefix  = local.platform.bucket.deadLetterPrefix
  blob_objects = "${aws_s3_bucket.this.arn}/${local.blob_prefix}*"
  dead_objects = "${aws_s3_bucket.this.arn}/${local.dead_prefix}*"

  # The paths of the routes each http function serves (api.tf local.routes): its stores follow from them, so
  # the submit function, which serves no store route, gets no bucket setting or grant.
  served_paths = { for k, f in local.functions : k => [for rk, r in local.routes : r.path if r.owner == k] }

  access = { for k, f in local.functions : k => {
    # readwrite: the http function serving /v1/blobs/... (PUT uploads, GET presigns) and workers of bucket.blobJobTypes; else none.
    blobs = anytrue([for p in local.served_paths[k] : startswith(p, "/v1/blobs/")]) ? "readwrite" : (f.kind == "queue" && contains(local.platform.bucket.blobJobTypes, coalesce(f.job_type, "-")) ? "readwrite" : "none")
    # The http function serving /v1/dlq... (inspect, replay, discard) and the DLQ consumer.
    dead_letters = anytrue([for p in local.served_paths[k] : startswith(p, "/v1/dlq")]) || (f.kind == "queue" && f.role == "dead")
    push_metrics = f.kind == "queue" && f.role == "dead"
    broker_only  = f.kind == "deploy"
    # Secret -> the setting naming it, for exactly the secrets the function reads (shared/lambda SecretSettings).
    secrets = merge(
      { JOBS_RABBITMQ_SECRET_ARN = aws_secretsmanager_secret.broker.arn },
      f.kind != "deploy" ? { JOBS_REDIS_SECRET_ARN = aws_secretsmanager_secret.redis.arn } : {},
      f.kind == "http" ? { JOBS_API_KEYS_SECRET_ARN = aws_secretsmanager_secret.api_keys.arn } : {},
      startswith(coalesce(f.job_type, "-"), "webhook.") ? { JOBS_WEBHOOK_SIGNING_SECRET_ARN = aws_secretsmanager_secret.webhook_signing.arn } : {},
    )
  } }

  # Each candidate statement with the condition under which a function gets it (a tuple, so statements
  # of different shapes can sit together; conditional lists of different lengths cannot).
  statements = { for k, f in local.functions : k => concat(
    [for arn in values(local.access[k].secrets) : { Effect = "Allow", Action = ["secretsmanager:GetSecretValue"], Resource = [arn] }],
    [for c in [
      { when = true, st = { Effect = "Allow", Action = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"], Resource = ["*"] } },
      { when = true, st = { Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = ["${aws_cloudwatch_log_group.fn[k].arn}:*"] } },
      { when = local.access[k].blobs == "read", st = { Effect = "Allow", Action = ["s3:GetObject"], Resource = [local.blob_objects] } },
      { when = local.access[k].blobs == "readwrite", st = { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = [local.blob_objects] } },
      { when = local.access[k].blobs != "none", st = { Effect = "Allow", Action = ["s3:ListBucket"], Resource = [aws_s3_bucket.this.arn], Condition = { StringLike = { "s3:prefix" = ["${local.blob_prefix}*"] } } } },
      { when = local.access[k].dead_letters, st = { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource = [local.dead_objects] } },
      { when = local.access[k].dead_letters, st = { Effect = "Allow", Action = ["s3:ListBucket"], Resource = [aws_s3_bucket.this.arn], Condition = { StringLike = { "s3:prefix" = ["${local.dead_prefix}*"] } } } },
      { when = local.access[k].push_metrics, st = { Effect = "Allow", Action = ["cloudwatch:PutMetricData"], Resource = ["*"], Condition = { StringEquals = { "cloudwatch:namespace" = local.metrics } } } },
      { when = f.kind == "queue", st = { Effect = "Allow", Action = ["mq:DescribeBroker"], Resource = [aws_mq_broker.this.arn] } },
      { when = f.kind == "queue", st = { Effect = "Allow", Action = ["ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"], Resource = ["*"] } },
    ] : c.st if c.when]
  ) }

  # What every function needs to reach the broker (the deploy step gets only this).
  broker_env = {
    JOBS_NAMESPACE    = local.ns
    JOBS_RABBITMQ_URI = "${aws_mq_broker.this.instances[0].endpoints[0]}/%2f"
    JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
  }
  base_env = merge(local.broker_env, {
    JOBS_QUEUE_TYPE        = local.topology.queueType
    JOBS_DELIVERY_LIMIT    = tostring(local.topology.deliveryLimit)
    JOBS_RETRY_TIERS       = local.retry_tiers
    JOBS_REDIS_URI         = "rediss://${aws_elasticache_serverless_cache.this.endpoint[0].address}:${aws_elasticache_serverless_cache.this.endpoint[0].port}"
    JOBS_REDIS_CLUSTER     = "true"
    JOBS_METRICS_NAMESPACE = local.metrics
    # Explicit: the runtime's defaults depend on other settings. EMF on stdout everywhere; PutMetricData where granted.
    JOBS_METRICS_EMF = "stdout"
  })
  blob_env = {
    JOBS_BLOB_STORE  = "s3"
    JOBS_BLOB_BUCKET = aws_s3_bucket.this.bucket
    JOBS_BLOB_PREFIX = local.blob_prefix
  }
  dead_letter_env = {
    JOBS_DEAD_LETTER_STORE  = "s3"
    JOBS_DEAD_LETTER_BUCKET = aws_s3_bucket.this.bucket
    JOBS_DEAD_LETTER_PREFIX = local.dead_prefix
  }
}

locals {
  # Which job types are sharded (locals.tf jobs_shards): the same value on every function, absent (not empty)
  # when nothing is sharded; the runtime reads both as "no sharding".
  shards_env = local.jobs_shards == "" ? {} : { JOBS_SHARDS = local.jobs_shards }

  env = { for k, a in local.access : k => a.broker_only ? merge(local.broker_env, local.shards_env, a.secrets) : merge(local.base_env,
    local.shards_env,
    { JOBS_METRICS_PUSH = a.push_metrics ? "cloudwatch" : "off" },
    # The types whose queue depth the DLQ consumer pushes every minute: every deployed worker's, whatever its jar holds.
    a.push_metrics && length(local.queue_types) > 0 ? { JOBS_QUEUE_DEPTH_TYPES = join(",", local.queue_types) } : {},
    a.blobs != "none" ? local.blob_env : {},
    a.dead_letters ? local.dead_letter_env : {},
    a.secrets,
  ) }
}

resource "aws_iam_role" "fn" {
  for_each    = local.functions
  name_prefix = substr("${local.prefix}-${each.key}-", 0, 38)
  description = "Lambda ${local.prefix}-${each.key}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "fn" {
  for_each = local.functions
  name     = "least-privilege"
  role     = aws_iam_role.fn[each.key].id
  policy   = jsonencode({ Version = "2012-10-17", Statement = local.statements[each.key] })
}

resource "aws_cloudwatch_log_group" "fn" {
  for_each          = local.functions
  name              = "/aws/lambda/${local.prefix}-${each.key}"
  retention_in_days = local.settings.logRetentionDays
}

resource "aws_lambda_function" "fn" {
  for_each         = local.functions
  function_name    = "${local.prefix}-${each.key}"
  description      = "${each.value.module} (${each.value.kind})"
  role             = aws_iam_role.fn[each.key].arn
  runtime          = each.value.runtime
  architectures    = [local.platform.lambdaArchitecture]
  handler          = each.value.handler
  memory_size      = each.value.memory_mb
  timeout          = each.value.timeout_seconds
  filename         = fileexists(each.value.jar) ? each.value.jar : local.placeholder_zip
  source_code_hash = filebase64sha256(fileexists(each.value.jar) ? each.value.jar : local.placeholder_zip)
  # -1: no reserved concurrency (functions.json "concurrency": null).
  reserved_concurrent_executions = coalesce(local.reserved_concurrency[each.key], -1)
  publish                        = each.value.snap_start

  dynamic "snap_start" {
    for_each = each.value.snap_start ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  # Lambda's JSON log format; the platform's EMF lines are JSON objects already and stay as they are.
  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.fn[each.key].name
  }

  vpc_config {
    subnet_ids         = aws_subnet.private[*].id
    security_group_ids = [aws_security_group.functions.id]
  }

  environment {
    variables = local.env[each.key]
  }

  lifecycle {
    precondition {
      condition     = !var.require_artifacts || fileexists(each.value.jar)
      error_message = "${each.value.jar} is not built: run mvn -pl ${each.value.module} -am package -DskipTests (or set require_artifacts = false for a placeholder)."
    }
  }

  depends_on = [aws_iam_role_policy.fn, aws_cloudwatch_log_group.fn]
}

# SnapStart restores published versions only: a SnapStart function gets a "live" alias on the version this
# apply published, and every invoker (API integration, mapping, schedule) calls the alias (local.invoke).
resource "aws_lambda_alias" "live" {
  for_each         = { for k, f in local.functions : k => f if f.snap_start }
  name             = "live"
  function_name    = aws_lambda_function.fn[each.key].function_name
  function_version = aws_lambda_function.fn[each.key].version
}

locals {
  # What invokes each function: the live alias where SnapStart is on, else the function itself.
  invoke = { for k, f in local.functions : k => f.snap_start ? {
    arn        = aws_lambda_alias.live[k].arn
    invoke_arn = aws_lambda_alias.live[k].invoke_arn
    qualifier  = aws_lambda_alias.live[k].name
    } : {
    arn        = aws_lambda_function.fn[k].arn
    invoke_arn = aws_lambda_function.fn[k].invoke_arn
    qualifier  = null
  } }
}
