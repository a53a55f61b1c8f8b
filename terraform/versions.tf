terraform {
  # mock_provider in `terraform test` needs 1.7; write-only and other newer features are not used.
  required_version = ">= 1.7.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}

provider "aws" {
  region = var.region

  # Only for the offline parity plan (terraform/test.sh and TerraformParityTest): fake credentials, no API calls.
  skip_credentials_validation = var.offline_plan
  skip_requesting_account_id  = var.offline_plan
  skip_metadata_api_check     = var.offline_plan
  skip_region_validation      = var.offline_plan

  default_tags {
    tags = {
      "jobs:namespace" = local.ns
      "jobs:stage"     = var.stage
    }
  }
}
