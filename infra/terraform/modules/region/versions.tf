# The providers this module uses; the root pins their versions (infra/terraform/versions.tf).
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}
