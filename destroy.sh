#!/usr/bin/env bash
# Destroys everything deploy.sh created in the deployment's state, in every region of it:
# functions, APIs, table (and its data, every replica included), log groups, roles, alarms, topic,
# queue, dashboard, the token secret's parameters, the custom domain's records and certificates;
# the KMS keys are scheduled for deletion (30 days, cancellable).
#   ./destroy.sh                     asks before destroying
#   ./destroy.sh --yes               does not ask
#   ./destroy.sh --unprotect-table   first turns the table's deletion protection off (the
#                                    replicas' too); needed for a deployment made with
#                                    `deploy.sh --no-test`, whose table is protected (a test
#                                    deployment's is not)
# The regions are resolved as deploy.sh resolves them (scripts/deployRegion.mjs), and only the
# state (workspace) of the deployment whose primary region that is is destroyed. Environment:
# AWS_PROFILE, REPLICA_REGIONS, DOMAIN_NAME, HOSTED_ZONE_ID and TF_VAR_* as given to deploy.sh
# (the same replica regions: turning deletion protection off with fewer would delete the others'
# replicas first, as a change of replica_regions).
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
read -r replicas replicas_json replicas_source < <(node scripts/deployRegion.mjs --replicas "$tf_dir")
export AWS_REGION="$region"
tf_args=(-var "region=$region" -var "replica_regions=$replicas_json")
if [[ -n "${DOMAIN_NAME:-}" ]]; then tf_args+=(-var "domain_name=$DOMAIN_NAME"); fi
if [[ -n "${HOSTED_ZONE_ID:-}" ]]; then tf_args+=(-var "hosted_zone_id=$HOSTED_ZONE_ID"); fi
echo "Destroying the deployment in region $region (from $region_source; AWS_PROFILE=${AWS_PROFILE:-default})"
echo "and in its replica regions: ${replicas/#-/none} (from $replicas_source)"

init_args=(-input=false)
if [[ -f "$tf_dir/backend.hcl" ]]; then
  cp "$tf_dir/s3_backend.tf.example" "$tf_dir/s3_backend.tf"
  init_args+=(-backend-config=backend.hcl)
fi
terraform -chdir="$tf_dir" init "${init_args[@]}"
if ! terraform -chdir="$tf_dir" workspace select "$region"; then
  echo "No state for a deployment with primary region $region in this clone: nothing deployed there to destroy." >&2
  exit 1
fi

if [[ "$unprotect" == true ]]; then
  terraform -chdir="$tf_dir" apply ${approve[@]+"${approve[@]}"} "${tf_args[@]}" \
    -var table_deletion_protection=false -target=aws_dynamodb_table.main
fi
terraform -chdir="$tf_dir" destroy ${approve[@]+"${approve[@]}"} "${tf_args[@]}"
