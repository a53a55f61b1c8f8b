# Broker, cache, bucket and secrets.

resource "aws_secretsmanager_secret" "broker" {
  name_prefix = "${local.prefix}-broker-"
  description = "Amazon MQ admin credentials (${local.prefix}); BASIC_AUTH of the event-source mappings"
}

resource "aws_secretsmanager_secret_version" "broker" {
  secret_id     = aws_secretsmanager_secret.broker.id
  secret_string = jsonencode({ username = local.broker_username, password = var.broker_password })
}

locals {
  # The user the functions and mappings log in as; another one after a blue/green rotation (infra/README.md).
  broker_username = var.broker_username != "" ? var.broker_username : local.platform.broker.username
}

resource "aws_mq_broker" "this" {
  broker_name                = local.prefix
  engine_type                = "RabbitMQ"
  engine_version             = local.platform.broker.engineVersion
  auto_minor_version_upgrade = true
  deployment_mode            = local.settings.brokerDeploymentMode
  host_instance_type         = local.settings.brokerInstanceType
  publicly_accessible        = local.settings.brokerPubliclyAccessible
  subnet_ids                 = local.settings.brokerDeploymentMode == "SINGLE_INSTANCE" ? [aws_subnet.private[0].id] : aws_subnet.private[*].id
  security_groups            = [aws_security_group.broker.id]

  user {
    username = local.platform.broker.username
    password = var.broker_password
  }

  # Amazon MQ applies a RabbitMQ broker's users only at creation, and the provider replaces the broker (and
  # its queued jobs) when the block changes. The block seeds the first admin; later credentials are managed
  # on the broker and reach the functions through the secret (broker_username, broker_password).
  lifecycle {
    ignore_changes = [user]
  }

  logs {
    general = true
  }

  maintenance_window_start_time {
    day_of_week = "SUNDAY"
    time_of_day = "03:00"
    time_zone   = "UTC"
  }
}

resource "aws_secretsmanager_secret" "redis" {
  name_prefix = "${local.prefix}-redis-"
  description = "ElastiCache RBAC user for the job platform (${local.prefix})"
}

resource "aws_secretsmanager_secret_version" "redis" {
  secret_id     = aws_secretsmanager_secret.redis.id
  secret_string = jsonencode({ username = "jobs-app", password = var.redis_password })
}

resource "aws_elasticache_user" "default" {
  engine        = "valkey"
  user_id       = "${local.prefix}-default"
  user_name     = "default"
  access_string = "off -@all"
  authentication_mode {
    type = "no-password-required"
  }
}

resource "aws_elasticache_user" "app" {
  engine        = "valkey"
  user_id       = "${local.prefix}-app"
  user_name     = "jobs-app"
  access_string = "on ~${local.ns}:* &* +@all"
  authentication_mode {
    type      = "password"
    passwords = [var.redis_password]
  }
}

resource "aws_elasticache_user_group" "this" {
  engine        = "valkey"
  user_group_id = "${local.prefix}-users"
  user_ids      = [aws_elasticache_user.default.user_id, aws_elasticache_user.app.user_id]
}

resource "aws_elasticache_serverless_cache" "this" {
  name                 = local.prefix
  engine               = "valkey"
  major_engine_version = "8"
  security_group_ids   = [aws_security_group.cache.id]
  subnet_ids           = aws_subnet.private[*].id
  user_group_id        = aws_elasticache_user_group.this.user_group_id
  cache_usage_limits {
    data_storage {
      maximum = local.settings.cacheMaxStorageGb
      unit    = "GB"
    }
    ecpu_per_second {
      maximum = local.settings.cacheMaxEcpuPerSecond
    }
  }
}

resource "aws_secretsmanager_secret" "api_keys" {
  name_prefix = "${local.prefix}-api-keys-"
  description = "API keys per tenant (${local.prefix}): {\"tenant\":\"key\",...}"
}

resource "aws_secretsmanager_secret_version" "api_keys" {
  secret_id     = aws_secretsmanager_secret.api_keys.id
  secret_string = jsonencode(var.api_keys)
}

resource "aws_secretsmanager_secret" "webhook_signing" {
  name_prefix = "${local.prefix}-webhook-signing-"
  description = "Standard Webhooks signing key (${local.prefix}): {\"key\":\"<base64>\"}"
}

resource "aws_secretsmanager_secret_version" "webhook_signing" {
  secret_id     = aws_secretsmanager_secret.webhook_signing.id
  secret_string = jsonencode({ key = var.webhook_signing_key })
}

resource "aws_s3_bucket" "this" {
  bucket_prefix = "${local.prefix}-"
  # force_destroy stays false: S3 refuses to delete a bucket that still holds objects (or versions).
}

# prod: the broker (queued jobs) and the bucket (outputs, dead letters) must not be destroyed by accident.
# prevent_destroy takes a literal only, so it sits on this guard, created in prod only, which Terraform has
# to replace whenever the broker or the bucket is replaced (their IDs change): any plan that destroys or
# replaces either one (terraform destroy, a replacing change, removing them from the configuration) fails
# with "Instance cannot be destroyed". To tear prod down on purpose: terraform state rm terraform_data.prod_guard.
resource "terraform_data" "prod_guard" {
  count            = var.stage == "prod" ? 1 : 0
  triggers_replace = [aws_mq_broker.this.id, aws_s3_bucket.this.id]
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_policy" "enforce_ssl" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = { AWS = "*" }
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    id     = "blobs-expire"
    status = "Enabled"
    filter {
      prefix = local.platform.bucket.blobPrefix
    }
    expiration {
      days = local.platform.bucket.blobExpireDays
    }
  }
  rule {
    id     = "dead-letters-age"
    status = "Enabled"
    filter {
      prefix = local.platform.bucket.deadLetterPrefix
    }
    transition {
      days          = local.platform.bucket.deadLetterInfrequentAccessDays
      storage_class = "STANDARD_IA"
    }
    expiration {
      days = local.platform.bucket.deadLetterExpireDays
    }
  }
  rule {
    id     = "housekeeping"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = local.platform.bucket.noncurrentVersionExpireDays
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = local.platform.bucket.abortIncompleteMultipartDays
    }
  }
}
