variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-west-1"
}

variable "stage" {
  description = "A key of infra/platform.json \"stages\": dev (single broker) or prod (cluster)."
  type        = string
  default     = "dev"
}

variable "availability_zones" {
  description = "AZs to use; empty means <region>a and <region>b (kept static so plan needs no API call)."
  type        = list(string)
  default     = []
}

variable "functions_file" {
  description = "The function table; empty means ../functions/functions.json."
  type        = string
  default     = ""
}

variable "require_artifacts" {
  description = "Fail when a function's shaded jar is not built. false ships the placeholder zip (tests only)."
  type        = bool
  default     = true
}

variable "broker_password" {
  description = "Amazon MQ admin password: 12+ chars, no , : = (e.g. openssl rand -hex 16). Creates the broker's user; afterwards only updates the secret (rotate on the broker first, infra/README.md). Stored in Secrets Manager and in state."
  type        = string
  sensitive   = true
  validation {
    condition     = length(var.broker_password) >= 12 && !can(regex("[,:=]", var.broker_password))
    error_message = "broker_password needs 12+ characters and no , : or =."
  }
}

variable "broker_username" {
  description = "User in the broker secret; empty means platform.json broker.username (the user created with the broker). Set it to the new user after a blue/green rotation."
  type        = string
  default     = ""
}

variable "redis_password" {
  description = "ElastiCache RBAC password for the app user: 16-128 chars (e.g. openssl rand -hex 16)."
  type        = string
  sensitive   = true
  validation {
    condition     = length(var.redis_password) >= 16 && length(var.redis_password) <= 128
    error_message = "redis_password needs 16 to 128 characters."
  }
}

variable "api_keys" {
  description = "API keys per tenant: { tenant = key }. Stored in Secrets Manager as JSON."
  type        = map(string)
  sensitive   = true
}

variable "webhook_signing_key" {
  description = "Standard Webhooks key: base64 of 24-64 random bytes (openssl rand -base64 32), without whsec_."
  type        = string
  sensitive   = true
}

variable "alarm_email" {
  description = "Optional address subscribed to the alarm topic."
  type        = string
  default     = ""
}

variable "offline_plan" {
  description = "Skip credential and account checks so `terraform plan` runs with fake credentials (tests only)."
  type        = bool
  default     = false
}
