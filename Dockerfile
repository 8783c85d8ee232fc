# The deploy toolbox: Node (build and tests), Terraform and the AWS CLI, each at a pinned version.
# Nothing of the repository is copied in: ./build_and_run.sh builds this image without a context
# and mounts the repository and ~/.aws when it starts a shell in it. Then ./deploy.sh.
#
# Terraform and the AWS CLI come from their publishers' own images, pinned by tag, instead of a
# download and a signature check written out here. Bump the three versions together on purpose.
# Node is the Lambda runtime's major (nodejs24.x, scripts/bundleOptions.mjs LAMBDA_NODE_MAJOR):
# the toolbox builds and tests the bundle on the Node it runs on. test/infra checks they agree.
ARG NODE_VERSION=24.21.0
ARG TERRAFORM_VERSION=1.11.4
ARG AWS_CLI_VERSION=2.22.35

FROM hashicorp/terraform:${TERRAFORM_VERSION} AS terraform
FROM amazon/aws-cli:${AWS_CLI_VERSION} AS aws-cli

FROM node:${NODE_VERSION}-bookworm-slim

# git: npm and the scripts; curl: deploy.sh waits for the API; shellcheck: npm test checks the
# scripts; less: the AWS CLI's pager; unzip: to look into dist/lambda.zip; Python with pytest and
# requests: the repository's pytest suite (pytest --url=<api_url>), which npm test also runs.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates curl git less shellcheck unzip \
    python3 python3-pytest python3-requests \
  && rm -rf /var/lib/apt/lists/*

# Terraform is one static binary.
COPY --from=terraform /bin/terraform /usr/local/bin/terraform

# The AWS CLI v2 is a self-contained bundle (its own Python) for glibc, which this image has.
COPY --from=aws-cli /usr/local/aws-cli /usr/local/aws-cli
RUN ln -s /usr/local/aws-cli/v2/current/bin/aws /usr/local/bin/aws \
  && ln -s /usr/local/aws-cli/v2/current/bin/aws_completer /usr/local/bin/aws_completer \
  && terraform version \
  && aws --version \
  && node --version

# build_and_run.sh runs the shell as your own user id (so files it writes in the repository are
# yours), with this as HOME: npm's cache and Terraform's plugin cache live here, ~/.aws is mounted.
RUN mkdir -p /home/deploy && chmod 1777 /home/deploy
ENV HOME=/home/deploy \
    AWS_PAGER="" \
    TF_IN_AUTOMATION=1 \
    CHECKPOINT_DISABLE=1

WORKDIR /work/repo
CMD ["bash"]
