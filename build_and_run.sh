#!/usr/bin/env bash
# Builds the deploy toolbox image (Dockerfile: Node, Terraform, the AWS CLI) and starts a shell in
# it, as you, with this repository at /work/repo and your ~/.aws mounted. Inside: ./deploy.sh.
#   ./build_and_run.sh                 an interactive shell
#   ./build_and_run.sh ./deploy.sh     or any command instead of the shell
# What deploy.sh and destroy.sh read is passed through when set: AWS_PROFILE, AWS_REGION,
# AWS_DEFAULT_REGION, API_PROFILE, REPLICA_REGIONS, DOMAIN_NAME, HOSTED_ZONE_ID and TF_VAR_*.
set -euo pipefail
cd "$(dirname "$0")"

image=messaging-api-deploy

# No build context: the Dockerfile copies nothing from here.
docker build --tag "$image" - < Dockerfile

mkdir -p "$HOME/.aws"
run_flags=(--rm --interactive)
if [[ -t 0 && -t 1 ]]; then run_flags+=(--tty); fi
env_flags=(--env AWS_PROFILE --env AWS_REGION --env AWS_DEFAULT_REGION --env API_PROFILE
  --env REPLICA_REGIONS --env DOMAIN_NAME --env HOSTED_ZONE_ID)
while IFS= read -r name; do env_flags+=(--env "$name"); done < <(compgen -e | grep '^TF_VAR_' || true)

if (($# == 0)); then set -- bash; fi
exec docker run "${run_flags[@]}" "${env_flags[@]}" \
  --user "$(id -u):$(id -g)" \
  --volume "$PWD:/work/repo" \
  --volume "$HOME/.aws:/home/deploy/.aws" \
  --workdir /work/repo \
  "$image" "$@"
