#!/usr/bin/env bash
# Offline checks of the Terraform configuration: fmt, init from the local provider mirror, validate, and
# `terraform test` with a mock provider. Skips (exit 0, with the reason) where terraform or the mirror is
# absent. The CDK/Terraform parity check runs in `mvn -pl infra/cdk test` (TerraformParityTest), which
# calls `terraform/test.sh plan-json <out>` to get the plan.
#
#   bash terraform/test.sh                  fmt + init + validate + test
#   bash terraform/test.sh plan-json FILE   init + offline plan (fake credentials) -> `terraform show -json` in FILE
#
# Env: TF_PROVIDER_MIRROR (mirror root, the folder holding registry.terraform.io; default: /opt/tf-plugins,
# else searched).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

skip() { echo "terraform/test.sh: SKIP: $*"; exit 0; }

command -v terraform >/dev/null 2>&1 || skip "terraform is not installed (https://developer.hashicorp.com/terraform/install)"

mirror="${TF_PROVIDER_MIRROR:-}"
if [[ -z "$mirror" ]]; then
  for candidate in /opt/tf-plugins "$HOME/.terraform.d/plugins" /usr/share/terraform/plugins; do
    if compgen -G "$candidate/registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws*" >/dev/null; then
      mirror="$candidate"; break
    fi
  done
fi
if [[ -z "$mirror" ]]; then
  found="$(find / -xdev -path '*registry.terraform.io/hashicorp/aws/*' -name 'terraform-provider-aws*' 2>/dev/null | head -1 || true)"
  [[ -n "$found" ]] && mirror="${found%%/registry.terraform.io/*}"
fi
[[ -n "$mirror" && -d "$mirror/registry.terraform.io/hashicorp/aws" ]] \
  || skip "no filesystem mirror of the AWS provider found (set TF_PROVIDER_MIRROR to the folder holding registry.terraform.io)"

work="$(mktemp -d "${TMPDIR:-/tmp}/jobs-tf.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cat > "$work/cli.tfrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/*/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
CFG
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
export TF_INPUT=0
# A private data dir, so concurrent runs (./dev test, the parity test) do not share .terraform/.
export TF_DATA_DIR="$work/data"

# Placeholder secrets for offline plan/test only; real deployments pass their own (infra/README.md).
fake_vars=(
  -var 'broker_password=offline-plan-password-0123'
  -var 'redis_password=offline-plan-password-0123'
  -var 'api_keys={"default":"offline-plan-key"}'
  -var 'webhook_signing_key=b2ZmbGluZS1wbGFuLXNpZ25pbmcta2V5LTAxMjM0NQ=='
  -var 'require_artifacts=false'
)

init() {
  terraform init -backend=false -input=false -no-color -lockfile=readonly >"$work/init.log" 2>&1 \
    || terraform init -backend=false -input=false -no-color >"$work/init.log" 2>&1 \
    || { cat "$work/init.log"; echo "terraform/test.sh: FAIL: init from mirror $mirror"; exit 1; }
}

if [[ "${1:-}" == "plan-json" ]]; then
  out="${2:?usage: test.sh plan-json FILE [terraform plan args...]}"
  shift 2
  init
  AWS_ACCESS_KEY_ID=AKIAOFFLINEPLAN000000 AWS_SECRET_ACCESS_KEY=offline AWS_SESSION_TOKEN= \
    terraform plan -input=false -no-color -lock=false -refresh=false -out="$work/plan.tfplan" \
    -var offline_plan=true "${fake_vars[@]}" "$@" >"$work/plan.log" 2>&1 \
    || { cat "$work/plan.log"; echo "terraform/test.sh: FAIL: offline plan"; exit 1; }
  terraform show -json -no-color "$work/plan.tfplan" >"$out"
  echo "terraform/test.sh: plan JSON written to $out"
  exit 0
fi

start=$(date +%s)
echo "terraform/test.sh: $(terraform version | head -1), provider mirror $mirror"
terraform fmt -check -recursive -diff -no-color || { echo "terraform/test.sh: FAIL: run 'terraform fmt -recursive terraform/'"; exit 1; }
echo "terraform/test.sh: fmt ok"
init
echo "terraform/test.sh: init ok"
terraform validate -no-color
terraform test -no-color
echo "terraform/test.sh: PASS in $(( $(date +%s) - start ))s"
