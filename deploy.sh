#!/usr/bin/env bash
# Deploys the API to AWS with Terraform (infra/terraform), then runs the integration suite and the
# pytest suite against the deployment:
#   npm ci, npm run build:lambda (dist/lambda.zip), terraform init, the deployment's workspace,
#   terraform apply, print the API, push and dashboard URLs (and each region's),
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
# plan. It is the deployment's primary region. Several regions, active-active:
#   REPLICA_REGIONS=eu-west-1,ap-northeast-1 ./deploy.sh   (or replica_regions in the Terraform)
# the whole stack in each, the table a global table. A custom domain with TLS:
#   DOMAIN_NAME=chat.example.com HOSTED_ZONE_ID=Z0123... ./deploy.sh
# Each deployment has its own state, all its regions in one (a Terraform workspace named after the
# primary region). With infra/terraform/backend.hcl (see backend.hcl.example) the state is kept in
# S3, with locking. Environment: AWS_PROFILE, API_PROFILE (secure or seed, default secure),
# REPLICA_REGIONS, DOMAIN_NAME and HOSTED_ZONE_ID, any other variable as TF_VAR_<name>
# (variables.tf).
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

# One source of truth for the regions, resolved before anything touches AWS: the primary, and the
# replica regions (none unless asked), each printed with where it came from.
read -r region region_source < <(node scripts/deployRegion.mjs "$tf_dir")
read -r replicas replicas_json replicas_source < <(node scripts/deployRegion.mjs --replicas "$tf_dir")
export AWS_REGION="$region"
replica_list=()
if [[ "$replicas" != "-" ]]; then IFS=, read -r -a replica_list <<< "$replicas"; fi
regions=("$region" ${replica_list[@]+"${replica_list[@]}"})
tf_args=(-var "region=$region" -var "replica_regions=$replicas_json" -var "api_profile=${API_PROFILE:-secure}")
if [[ "$run_suite" == true ]]; then tf_args+=(-var-file=integration.tfvars); fi
# The custom domain: DOMAIN_NAME and HOSTED_ZONE_ID when set, else the Terraform's own (none).
if [[ -n "${DOMAIN_NAME:-}" ]]; then tf_args+=(-var "domain_name=$DOMAIN_NAME"); fi
if [[ -n "${HOSTED_ZONE_ID:-}" ]]; then tf_args+=(-var "hosted_zone_id=$HOSTED_ZONE_ID"); fi

echo "Deploying to account $(aws sts get-caller-identity --query Account --output text) in region $region (from $region_source; AWS_PROFILE=${AWS_PROFILE:-default})"
if ((${#replica_list[@]} > 0)); then
  echo "Replica regions: ${replica_list[*]} (from $replicas_source): the whole stack in each, the table a global table"
else
  echo "No replica regions (from $replicas_source): one region"
fi
if [[ -n "${DOMAIN_NAME:-}" ]]; then echo "Custom domain: https://$DOMAIN_NAME and wss://ws.$DOMAIN_NAME (hosted zone ${HOSTED_ZONE_ID:-unset})"; fi

# register_user and login reserve concurrency (hashing_reserved_concurrency, 10 each by default),
# and AWS keeps 100 of an account's concurrency unreserved: a new account, whose quota is 10,
# cannot reserve any. Quotas are per region: deploy without the reservation when any region's is
# too small, and say so.
reserved="${TF_VAR_hashing_reserved_concurrency:-10}"
for r in "${regions[@]}"; do
  quota="$(aws lambda get-account-settings --region "$r" --query AccountLimit.ConcurrentExecutions --output text)"
  if [[ "$reserved" =~ ^[0-9]+$ ]] && ((quota < 100 + 2 * reserved)) && [[ -z "${no_reservation:-}" ]]; then
    echo "Lambda concurrency quota of this account in $r: $quota. Too small to reserve $reserved for register_user and for login;" >&2
    echo "deploying without reserved concurrency. Ask AWS for more (Service Quotas > AWS Lambda > Concurrent executions)." >&2
    no_reservation="$(mktemp)"
    trap 'rm -f "$no_reservation"' EXIT
    echo 'hashing_reserved_concurrency = null' > "$no_reservation"
    tf_args+=("-var-file=$no_reservation")
  fi
done

# API Gateway's logging role is one per account and region, shared by every REST and WebSocket API
# there. The WebSocket stage can keep an access log only if one is set; this deployment sets one
# only when asked (TF_VAR_create_apigateway_logging_role=true), since that replaces the region's.
# Asked of every region of the deployment: the primary's answer is apigateway_logging_role_exists,
# the replicas' apigateway_logging_role_replica_regions.
with_role=()
for r in "${regions[@]}"; do
  logging_role="$(aws apigateway get-account --region "$r" --query cloudwatchRoleArn --output text 2>/dev/null || true)"
  if [[ -n "$logging_role" && "$logging_role" != "None" ]]; then
    echo "API Gateway's logging role in $r: $logging_role (the WebSocket access log uses it)"
    if [[ "$r" == "$region" ]]; then tf_args+=(-var apigateway_logging_role_exists=true); else with_role+=("\"$r\""); fi
    if [[ "${TF_VAR_create_apigateway_logging_role:-false}" == true ]]; then
      echo "create_apigateway_logging_role=true replaces it for every API of $r." >&2
    fi
  elif [[ "${TF_VAR_create_apigateway_logging_role:-false}" != true ]]; then
    echo "API Gateway has no logging role in $r: the WebSocket API there keeps no access log." >&2
    echo "TF_VAR_create_apigateway_logging_role=true makes and sets one (see README, Deploy to AWS)." >&2
  fi
done
tf_args+=(-var "apigateway_logging_role_replica_regions=[$(IFS=,; echo "${with_role[*]:-}")]")

npm run build:lambda

# The state: in S3 when backend.hcl says where, else in this clone; one workspace per deployment,
# named after its primary region (its replica regions are in the same state).
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
# Each region's own URLs (execute-api; the custom domain, when there is one, answers from the
# nearest healthy region): "<region> <api> <websocket> <dashboard>" a line.
regional="$(terraform -chdir="$tf_dir" output -json regional_urls | node -e '
  const urls = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
  for (const [r, u] of Object.entries(urls)) console.log([r, u.api, u.websocket, u.dashboard].join(" "));')"
echo
echo "API URL:   $api_url (profile $api_profile, primary region $region)"
echo "Push:      $(terraform -chdir="$tf_dir" output -raw websocket_url)?token=<token from login>"
echo "Dashboard: $(terraform -chdir="$tf_dir" output -raw dashboard_url)"
if ((${#replica_list[@]} > 0)) || [[ -n "${DOMAIN_NAME:-}" ]]; then
  echo "Each region's own URLs:"
  while read -r r regional_api regional_websocket regional_dashboard; do
    echo "  $r: API $regional_api  Push $regional_websocket  Dashboard $regional_dashboard"
  done <<< "$regional"
fi

if [[ "$run_suite" == false ]]; then exit 0; fi

# A new stage and new functions can take a few seconds to answer; a new custom domain's records
# and a new replica region longer.
while read -r r regional_api _; do
  curl --silent --show-error --fail --retry 10 --retry-delay 3 --retry-all-errors "${regional_api%/}/health" >/dev/null
  echo "$r answers /health"
done <<< "$regional"
curl --silent --show-error --fail --retry 20 --retry-delay 6 --retry-all-errors "${api_url%/}/health" >/dev/null
npm run test:integration -- --url="$api_url" --profile="$api_profile"
if python3 -c 'import pytest, requests' 2>/dev/null; then
  python3 -m pytest --url="$api_url" --profile="$api_profile"
else
  echo "pytest or requests is not installed: skipped the pytest suite (the toolbox image has both)." >&2
fi
