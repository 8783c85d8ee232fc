#!/usr/bin/env bash
# Destroys everything deploy.sh created in infra/terraform's state: functions, API, table (and its
# data), log groups, role; the KMS key is scheduled for deletion (30 days, cancellable).
#   ./destroy.sh                     asks before destroying
#   ./destroy.sh --yes               does not ask
#   ./destroy.sh --unprotect-table   first turns the table's deletion protection off; needed for
#                                    a deployment made with `deploy.sh --no-test`, whose table is
#                                    protected (a test deployment's is not)
# Environment: AWS_PROFILE, AWS_REGION (default us-east-1) and TF_VAR_* as given to deploy.sh.
set -euo pipefail
cd "$(dirname "$0")"

approve=()
unprotect=false
for arg in "$@"; do
  case "$arg" in
    --yes) approve=(-auto-approve) ;;
    --unprotect-table) unprotect=true ;;
    *) echo "usage: $0 [--yes] [--unprotect-table]" >&2; exit 2 ;;
  esac
done

region="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"
export AWS_REGION="$region"
tf_dir=infra/terraform

# Terraform reads the bundle's hash (filebase64sha256) even to destroy.
if [[ ! -f dist/lambda.zip ]]; then
  npm ci --no-audit --no-fund
  npm run build:lambda
fi

terraform -chdir="$tf_dir" init -input=false
if [[ "$unprotect" == true ]]; then
  terraform -chdir="$tf_dir" apply ${approve[@]+"${approve[@]}"} -var "region=$region" \
    -var table_deletion_protection=false -target=aws_dynamodb_table.main
fi
terraform -chdir="$tf_dir" destroy ${approve[@]+"${approve[@]}"} -var "region=$region"
