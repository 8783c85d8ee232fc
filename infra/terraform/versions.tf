# 1.11: write-only arguments (the token secret reaches SSM without entering the state) after
# ephemeral resources (1.10), and S3 state locking without DynamoDB (backend.hcl.example).
terraform {
  required_version = ">= 1.11.0, < 2.0.0"

  # Exact versions: a plan made today is the plan made next month. Raise them on purpose, then
  # commit the .terraform.lock.hcl that `terraform init` writes.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.32.1"
    }
    random = {
      source  = "hashicorp/random"
      version = "3.8.1"
    }
  }
}
