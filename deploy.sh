#!/usr/bin/env bash
# Deploys the API to AWS with Terraform (infra/terraform), then runs the integration suite against
# the deployment:
#   npm ci, npm run build:lambda (dist/lambda.zip), terraform init and apply, print the API URL,
#   npm run test:integration -- --url=<api_url> --profile=<api_profile>
#
#   ./deploy.sh              a test deployment (infra/terraform/integration.tfvars: rate limits raised
#                            for the suite, which registers hundreds of users from one address; table
#                            unprotected, so destroy.sh can remove it), then the suite
#   ./deploy.sh --no-test    a deployment with the variables' own defaults; no suite
#   --yes                    apply without asking (terraform apply -auto-approve)
#
# Environment: AWS_PROFILE (the named profile of ~/.aws to use), AWS_REGION (default us-east-1),
# API_PROFILE (secure or seed, default secure); any other variable as TF_VAR_<name> (variables.tf).
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

region="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"
export AWS_REGION="$region"
tf_dir=infra/terraform
tf_args=(-var "region=$region" -var "api_profile=${API_PROFILE:-secure}")
if [[ "$run_suite" == true ]]; then tf_args+=(-var-file=integration.tfvars); fi

for tool in node npm terraform aws; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (./build_and_run.sh has them all)" >&2; exit 1; }
done
echo "Deploying to account $(aws sts get-caller-identity --query Account --output text) in $region (AWS_PROFILE=${AWS_PROFILE:-default})"

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

npm ci --no-audit --no-fund
npm run build:lambda

terraform -chdir="$tf_dir" init -input=false
terraform -chdir="$tf_dir" apply ${approve[@]+"${approve[@]}"} "${tf_args[@]}"

api_url="$(terraform -chdir="$tf_dir" output -raw api_url)"
api_profile="$(terraform -chdir="$tf_dir" output -raw api_profile)"
echo
echo "API URL: $api_url (profile $api_profile)"
echo "Push:    $(terraform -chdir="$tf_dir" output -raw websocket_url)?token=<token from login>"

if [[ "$run_suite" == false ]]; then exit 0; fi

# A new stage and new functions can take a few seconds to answer.
curl --silent --show-error --fail --retry 10 --retry-delay 3 --retry-all-errors "${api_url%/}/health" >/dev/null
npm run test:integration -- --url="$api_url" --profile="$api_profile"
