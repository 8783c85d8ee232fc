#!/usr/bin/env bash
# Deploys the API to AWS with Terraform (infra/terraform), then runs the integration suite and the
# pytest suite against the deployment:
#   npm ci, npm run build:lambda (dist/lambda.zip), terraform init, the region's workspace,
#   terraform apply, print the API, push and dashboard URLs,
#   npm run test:integration -- --url=<api_url> --profile=<api_profile>, pytest --url=<api_url>
#
#   ./deploy.sh              a test deployment (infra/terraform/integration.tfvars: rate limits raised
#                            for the suites, which register hundreds of users from one address; table
#                            unprotected, so destroy.sh can remove it), then the suites
#   ./deploy.sh --no-test    a deployment with the variables' own defaults; no suite
#   --yes                    apply without asking (terraform apply -auto-approve)
#
# The region: region in infra/terraform (terraform.tfvars, TF_VAR_region), else AWS_REGION,
# AWS_DEFAULT_REGION or the AWS profile's region (scripts/deployRegion.mjs); printed before the
# plan. Each region has its own state (a Terraform workspace named after it). With
# infra/terraform/backend.hcl (see backend.hcl.example) the state is kept in S3, with locking.
# Environment: AWS_PROFILE, API_PROFILE (secure or seed, default secure), any other variable as
# TF_VAR_<name> (variables.tf).
set -euo pipefail
cd "$(dirname "$0")"

run_suite=true
approve=()
for arg in "$@"; do
  case "$arg" in
    --no-test) run_suite=false ;;
    --yes) approve=(-auto-approve) ;;
    *) echo "usage: $0 [--no-test] [--yes]" >&2; exit 2 ;;
  esac
done

for tool in node npm terraform aws; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (./build_and_run.sh has them all)" >&2; exit 1; }
done

tf_dir=infra/terraform
npm ci --no-audit --no-fund

# One source of truth for the region, resolved before anything touches AWS.
read -r region region_source < <(node scripts/deployRegion.mjs "$tf_dir")
export AWS_REGION="$region"
tf_args=(-var "region=$region" -var "api_profile=${API_PROFILE:-secure}")
if [[ "$run_suite" == true ]]; then tf_args+=(-var-file=integration.tfvars); fi

echo "Deploying to account $(aws sts get-caller-identity --query Account --output text) in region $region (from $region_source; AWS_PROFILE=${AWS_PROFILE:-default})"

# register_user and login reserve concurrency (hashing_reserved_concurrency, 10 each by default),
# and AWS keeps 100 of an account's concurrency unreserved: a new account, whose quota is 10,
# cannot reserve any. Deploy such an account without the reservation, and say so.
quota="$(aws lambda get-account-settings --query AccountLimit.ConcurrentExecutions --output text)"
reserved="${TF_VAR_hashing_reserved_concurrency:-10}"
if [[ "$reserved" =~ ^[0-9]+$ ]] && ((quota < 100 + 2 * reserved)); then
  echo "Lambda concurrency quota of this account: $quota. Too small to reserve $reserved for register_user and for login;" >&2
  echo "deploying without reserved concurrency. Ask AWS for more (Service Quotas > AWS Lambda > Concurrent executions)." >&2
  no_reservation="$(mktemp)"
  trap 'rm -f "$no_reservation"' EXIT
  echo 'hashing_reserved_concurrency = null' > "$no_reservation"
  tf_args+=("-var-file=$no_reservation")
fi

# API Gateway's logging role is one per account and region, shared by every REST and WebSocket API
# there. The WebSocket stage can keep an access log only if one is set; this deployment sets one
# only when asked (TF_VAR_create_apigateway_logging_role=true), since that replaces the region's.
logging_role="$(aws apigateway get-account --query cloudwatchRoleArn --output text 2>/dev/null || true)"
if [[ -n "$logging_role" && "$logging_role" != "None" ]]; then
  echo "API Gateway's logging role in $region: $logging_role (the WebSocket access log uses it)"
  tf_args+=(-var apigateway_logging_role_exists=true)
  if [[ "${TF_VAR_create_apigateway_logging_role:-false}" == true ]]; then
    echo "create_apigateway_logging_role=true replaces it for every API of the region." >&2
  fi
elif [[ "${TF_VAR_create_apigateway_logging_role:-false}" != true ]]; then
  echo "API Gateway has no logging role in $region: the WebSocket API keeps no access log." >&2
  echo "TF_VAR_create_apigateway_logging_role=true makes and sets one (see README, Deploy to AWS)." >&2
fi

npm run build:lambda

# The state: in S3 when backend.hcl says where, else in this clone; one workspace per region.
init_args=(-input=false)
if [[ -f "$tf_dir/backend.hcl" ]]; then
  cp "$tf_dir/s3_backend.tf.example" "$tf_dir/s3_backend.tf"
  init_args+=(-backend-config=backend.hcl)
fi
terraform -chdir="$tf_dir" init "${init_args[@]}"
terraform -chdir="$tf_dir" workspace select -or-create "$region"
terraform -chdir="$tf_dir" apply ${approve[@]+"${approve[@]}"} "${tf_args[@]}"

api_url="$(terraform -chdir="$tf_dir" output -raw api_url)"
api_profile="$(terraform -chdir="$tf_dir" output -raw api_profile)"
echo
echo "API URL:   $api_url (profile $api_profile, region $region)"
echo "Push:      $(terraform -chdir="$tf_dir" output -raw websocket_url)?token=<token from login>"
echo "Dashboard: $(terraform -chdir="$tf_dir" output -raw dashboard_url)"

if [[ "$run_suite" == false ]]; then exit 0; fi

# A new stage and new functions can take a few seconds to answer.
curl --silent --show-error --fail --retry 10 --retry-delay 3 --retry-all-errors "${api_url%/}/health" >/dev/null
npm run test:integration -- --url="$api_url" --profile="$api_profile"
if python3 -c 'import pytest, requests' 2>/dev/null; then
  python3 -m pytest --url="$api_url" --profile="$api_profile"
else
  echo "pytest or requests is not installed: skipped the pytest suite (the toolbox image has both)." >&2
fi
