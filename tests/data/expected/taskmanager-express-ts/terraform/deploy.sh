#!/usr/bin/env bash
# Deploy Task Manager to AWS: create the registry and secrets, build and
# push the image to ECR, apply the Terraform configuration, then roll the ECS
# service and wait until it is stable.
#
#   terraform/deploy.sh [--yes]
#
# Environment:
#   IMAGE_TAG    tag of the image (default: the git commit, or a timestamp)
#   TF_VAR_FILE  extra .tfvars file, relative to terraform/ (terraform.tfvars
#                is read automatically when present)
#   AWS_PROFILE / AWS_REGION  as for the AWS CLI
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_DIR="$(cd "${SCRIPT_DIR}/.." && pwd)"

# Temporary file for secret values; removed on every exit path.
VALUE_FILE=""
cleanup() { if [ -n "$VALUE_FILE" ]; then rm -f "$VALUE_FILE"; fi; }
trap cleanup EXIT

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'deploy.sh: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<'USAGE'
Usage: terraform/deploy.sh [--yes]
  --yes, -y   apply without asking for confirmation
  --help, -h  show this help
USAGE
}

AUTO_APPROVE=false
while [ "$#" -gt 0 ]; do
  case "$1" in
    -y | --yes) AUTO_APPROVE=true ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage >&2
      die "unknown argument: $1"
      ;;
  esac
  shift
done

check_tools() {
  local tool
  for tool in aws docker terraform; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is required but was not found on PATH"
  done
  aws sts get-caller-identity >/dev/null 2>&1 \
    || die "no usable AWS credentials: run 'aws configure' or set AWS_PROFILE"
  docker info >/dev/null 2>&1 || die "cannot reach the Docker daemon: is Docker running?"
}

# The git commit identifies what runs; uncommitted changes get a timestamp so
# two different builds never share a tag.
image_tag() {
  if [ -n "${IMAGE_TAG:-}" ]; then
    printf '%s' "$IMAGE_TAG"
  elif command -v git >/dev/null 2>&1 && git -C "$PROJECT_DIR" rev-parse --verify -q HEAD >/dev/null 2>&1; then
    local tag changes
    tag="$(git -C "$PROJECT_DIR" rev-parse --short HEAD)"
    changes="$(git -C "$PROJECT_DIR" status --porcelain)"
    if [ -n "$changes" ]; then
      tag="${tag}-dirty-$(date +%Y%m%d%H%M%S)"
    fi
    printf '%s' "$tag"
  else
    date +%Y%m%d%H%M%S
  fi
}

random_secret() {
  od -An -N32 -tx1 /dev/urandom | tr -d ' \n'
}

# Secrets are created empty by Terraform so their values never enter the
# state; give each one a random value the first time only.
seed_secrets() {
  local region="$1" arns arn versions
  # Read first so a failing `terraform output` stops the script (set -e).
  arns="$(terraform output -raw app_secret_arns)"
  VALUE_FILE="$(mktemp)"
  for arn in ${arns}; do
    versions="$(aws secretsmanager list-secret-version-ids --region "$region" \
      --secret-id "$arn" --query 'length(Versions)' --output text)"
    if [ "$versions" = "0" ]; then
      log "storing a random value in secret ${arn##*:}"
      random_secret >"$VALUE_FILE"
      aws secretsmanager put-secret-value --region "$region" --secret-id "$arn" \
        --secret-string "file://${VALUE_FILE}" >/dev/null
    fi
  done
}

build_and_push() {
  local region="$1" tag="$2" repo_url registry platform
  repo_url="$(terraform output -raw ecr_repository_url)"
  registry="${repo_url%%/*}"
  platform="$(terraform output -raw image_platform)"
  log "logging in to ${registry}"
  aws ecr get-login-password --region "$region" \
    | docker login --username AWS --password-stdin "$registry" >/dev/null
  log "building ${repo_url}:${tag} for ${platform}"
  docker build --platform "$platform" --tag "${repo_url}:${tag}" "$PROJECT_DIR"
  log "pushing ${repo_url}:${tag}"
  docker push "${repo_url}:${tag}"
}

main() {
  check_tools
  local tag region cluster service log_group url
  tag="$(image_tag)"

  local -a tf_args=(-input=false -var "image_tag=${tag}")
  if [ -n "${TF_VAR_FILE:-}" ]; then
    tf_args+=(-var-file "$TF_VAR_FILE")
  fi
  if [ "$AUTO_APPROVE" = true ]; then
    tf_args+=(-auto-approve)
  fi

  cd "$SCRIPT_DIR"
  log "terraform init"
  # The S3 state backend's settings (see backend.tf); without backend.hcl,
  # terraform init names what is missing.
  local -a init_args=(-input=false)
  if [ -f backend.hcl ]; then
    init_args+=(-backend-config=backend.hcl)
  fi
  terraform init "${init_args[@]}" >/dev/null

  # The service cannot start before an image exists: create the registry and
  # the secrets first, push, then apply everything.
  log "creating the image registry and the app secrets"
  terraform apply "${tf_args[@]}" -target=module.ecr -target=module.ecs.aws_secretsmanager_secret.app

  region="$(terraform output -raw aws_region)"
  seed_secrets "$region"
  build_and_push "$region" "$tag"

  log "applying the full configuration (first run: the database takes ~10 minutes)"
  terraform apply "${tf_args[@]}"

  cluster="$(terraform output -raw ecs_cluster_name)"
  service="$(terraform output -raw ecs_service_name)"
  log_group="$(terraform output -raw log_group_name)"
  url="$(terraform output -raw app_url)"
  # Also restarts tasks when the tag did not change, e.g. to pick up a rotated
  # database password.
  log "starting a new deployment of ${service}"
  aws ecs update-service --region "$region" --cluster "$cluster" --service "$service" \
    --force-new-deployment >/dev/null
  log "waiting for ${service} to become stable"
  aws ecs wait services-stable --region "$region" --cluster "$cluster" --services "$service" \
    || die "the service did not become stable; see: aws logs tail ${log_group} --region ${region} --since 30m"

  log "deployed ${tag}: ${url}/health"
}

main
