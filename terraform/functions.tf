# Every function of functions.json (and platform.json deployFunctions), one role each, permissions by trigger
# kind exactly as the CDK app grants them (infra/README.md "IAM"). Resource "*" only for the actions AWS
# offers no resource-level permission for (ENI management, Describe*, PutMetricData with a namespace condition).
locals {
  blob_objects = "${aws_s3_bucket.this.arn}/${local.platform.bucket.blobPrefix}*"
  dead_objects = "${aws_s3_bucket.this.arn}/${local.platform.bucket.deadLetterPrefix}*"

  # Each candidate statement with the condition under which a function gets it (a tuple, so statements
  # of different shapes can sit together; conditional lists of different lengths cannot).
  statements = { for k, f in local.functions : k => [for c in [
    { when = true, st = { Effect = "Allow", Action = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"], Resource = ["*"] } },
    { when = true, st = { Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = ["${aws_cloudwatch_log_group.fn[k].arn}:*"] } },
    { when = true, st = { Effect = "Allow", Action = ["secretsmanager:GetSecretValue"], Resource = [aws_secretsmanager_secret.broker.arn] } },
    { when = f.kind != "deploy", st = { Effect = "Allow", Action = ["secretsmanager:GetSecretValue"], Resource = [aws_secretsmanager_secret.redis.arn] } },
    { when = f.kind == "http", st = { Effect = "Allow", Action = ["secretsmanager:GetSecretValue"], Resource = [aws_secretsmanager_secret.api_keys.arn] } },
    { when = f.kind == "http", st = { Effect = "Allow", Action = ["s3:GetObject"], Resource = [local.blob_objects] } },
    { when = f.kind == "http", st = { Effect = "Allow", Action = ["s3:GetObject", "s3:DeleteObject"], Resource = [local.dead_objects] } },
    { when = f.kind == "http", st = { Effect = "Allow", Action = ["s3:ListBucket"], Resource = [aws_s3_bucket.this.arn] } },
    { when = f.kind == "queue", st = { Effect = "Allow", Action = ["mq:DescribeBroker"], Resource = [aws_mq_broker.this.arn] } },
    { when = f.kind == "queue", st = { Effect = "Allow", Action = ["ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"], Resource = ["*"] } },
    { when = f.kind == "queue" && f.job_type != null, st = { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = [local.blob_objects] } },
    { when = f.kind == "queue" && startswith(coalesce(f.job_type, "-"), "webhook."), st = { Effect = "Allow", Action = ["secretsmanager:GetSecretValue"], Resource = [aws_secretsmanager_secret.webhook_signing.arn] } },
    { when = f.kind == "queue" && f.job_type == null, st = { Effect = "Allow", Action = ["s3:PutObject"], Resource = [local.dead_objects] } },
    { when = f.kind == "queue" && f.job_type == null, st = { Effect = "Allow", Action = ["cloudwatch:PutMetricData"], Resource = ["*"], Condition = { StringEquals = { "cloudwatch:namespace" = local.metrics } } } },
  ] : c.st if c.when] }

  base_env = {
    JOBS_NAMESPACE           = local.ns
    JOBS_QUEUE_TYPE          = local.topology.queueType
    JOBS_DELIVERY_LIMIT      = tostring(local.topology.deliveryLimit)
    JOBS_RETRY_TIERS         = local.retry_tiers
    JOBS_RABBITMQ_URI        = "${aws_mq_broker.this.instances[0].endpoints[0]}/%2f"
    JOBS_RABBITMQ_SECRET_ARN = aws_secretsmanager_secret.broker.arn
    JOBS_REDIS_URI           = "rediss://${aws_elasticache_serverless_cache.this.endpoint[0].address}:${aws_elasticache_serverless_cache.this.endpoint[0].port}"
    JOBS_REDIS_CLUSTER       = "true"
    JOBS_REDIS_SECRET_ARN    = aws_secretsmanager_secret.redis.arn
    JOBS_BLOB_BUCKET         = aws_s3_bucket.this.bucket
    JOBS_BLOB_PREFIX         = local.platform.bucket.blobPrefix
    JOBS_DEAD_LETTER_BUCKET  = aws_s3_bucket.this.bucket
    JOBS_DEAD_LETTER_PREFIX  = local.platform.bucket.deadLetterPrefix
    JOBS_METRICS_NAMESPACE   = local.metrics
    JAVA_TOOL_OPTIONS        = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
  }
}

locals {
  env = { for k, f in local.functions : k => merge(local.base_env,
    f.kind == "http" ? { JOBS_API_KEYS_SECRET_ARN = aws_secretsmanager_secret.api_keys.arn } : {},
    startswith(coalesce(f.job_type, "-"), "webhook.") ? { JOBS_WEBHOOK_SIGNING_SECRET_ARN = aws_secretsmanager_secret.webhook_signing.arn } : {},
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
