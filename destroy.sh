#!/usr/bin/env bash
# Destroys everything deploy.sh created in the region's state: functions, APIs, table (and its
# data), log groups, roles, alarms, topic, queue, dashboard, the token secret's parameter; the KMS
# key is scheduled for deletion (30 days, cancellable).
#   ./destroy.sh                     asks before destroying
#   ./destroy.sh --yes               does not ask
#   ./destroy.sh --unprotect-table   first turns the table's deletion protection off; needed for
#                                    a deployment made with `deploy.sh --no-test`, whose table is
#                                    protected (a test deployment's is not)
# The region is resolved as deploy.sh resolves it (scripts/deployRegion.mjs), and only that
# region's state (workspace) is destroyed. Environment: AWS_PROFILE and TF_VAR_* as given to deploy.sh.
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

tf_dir=infra/terraform
# Terraform reads the bundle's hash (filebase64sha256) even to destroy; the region resolver needs
# the dev dependencies.
if [[ ! -f dist/lambda.zip || ! -d node_modules ]]; then
  npm ci --no-audit --no-fund
  npm run build:lambda
fi

read -r region region_source < <(node scripts/deployRegion.mjs "$tf_dir")
export AWS_REGION="$region"
echo "Destroying the deployment in region $region (from $region_source; AWS_PROFILE=${AWS_PROFILE:-default})"

init_args=(-input=false)
if [[ -f "$tf_dir/backend.hcl" ]]; then
  cp "$tf_dir/s3_backend.tf.example" "$tf_dir/s3_backend.tf"
  init_args+=(-backend-config=backend.hcl)
fi
terraform -chdir="$tf_dir" init "${init_args[@]}"
if ! terraform -chdir="$tf_dir" workspace select "$region"; then
  echo "No state for region $region in this clone: nothing deployed there to destroy." >&2
  exit 1
fi

if [[ "$unprotect" == true ]]; then
  terraform -chdir="$tf_dir" apply ${approve[@]+"${approve[@]}"} -var "region=$region" \
    -var table_deletion_protection=false -target=aws_dynamodb_table.main
fi
terraform -chdir="$tf_dir" destroy ${approve[@]+"${approve[@]}"} -var "region=$region"
