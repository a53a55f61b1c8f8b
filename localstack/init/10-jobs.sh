#!/usr/bin/env bash
# LocalStack 4.14.0 ready hook (mounted at /etc/localstack/init/ready.d): the AWS side the job platform uses
# locally, named like the deployed one so the same code paths run: a bucket (blobs/ and dead-letters/),
# the secrets the functions read through *_SECRET_ARN, an SNS topic, and the alarms of infra/platform.json.
# Idempotent: LocalStack may rerun it; every call tolerates "already exists".
set -euo pipefail
ns="${JOBS_NAMESPACE:-jobs}"
prefix="$ns-local"
bucket="${JOBS_BLOB_BUCKET:-$prefix-bucket}"
platform=/opt/jobs/platform.json

echo "jobs init: bucket $bucket"
awslocal s3api create-bucket --bucket "$bucket" >/dev/null 2>&1 || true
awslocal s3api put-public-access-block --bucket "$bucket" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
awslocal s3api put-bucket-versioning --bucket "$bucket" --versioning-configuration Status=Enabled

secret() { # name json
  awslocal secretsmanager create-secret --name "$1" --secret-string "$2" >/dev/null 2>&1 \
    || awslocal secretsmanager put-secret-value --secret-id "$1" --secret-string "$2" >/dev/null
  echo "jobs init: secret $1"
}
# Same shapes as on AWS (infra/README.md "Secrets"); local values only.
secret "$prefix/rabbitmq" '{"username":"guest","password":"guest"}'
secret "$prefix/redis" '{"username":"default","password":""}'
secret "$prefix/api-keys" "{\"dev\":\"${JOBS_DEV_API_KEY:-dev-key-change-me}\"}"
secret "$prefix/webhook-signing" '{"key":"bG9jYWxzdGFjay1zaWduaW5nLWtleS0wMTIzNDU2Nzg5"}'

topic_arn="$(awslocal sns create-topic --name "$prefix-alarms" --query TopicArn --output text)"
echo "jobs init: topic $topic_arn"

# Platform alarms from infra/platform.json, the same definitions CDK and Terraform deploy.
python3 - "$platform" "$prefix" "$ns" <<'PY' | while IFS=$'\t' read -r name metric ns_metric stat period evals threshold cmp; do
import json, sys
p = json.load(open(sys.argv[1]))
for a in p["alarms"]:
    print("\t".join(map(str, [sys.argv[2] + "-" + a["id"], a["metric"], p["metricsNamespace"], a["statistic"],
                              a["periodSeconds"], a["evaluationPeriods"], a["threshold"], a["comparison"]])))
PY
  awslocal cloudwatch put-metric-alarm --alarm-name "$name" --namespace "$ns_metric" --metric-name "$metric" \
    --dimensions "Name=Namespace,Value=$ns" --statistic "$stat" --period "$period" --evaluation-periods "$evals" \
    --threshold "$threshold" --comparison-operator "$cmp" --treat-missing-data notBreaching \
    --alarm-actions "$topic_arn" --ok-actions "$topic_arn"
  echo "jobs init: alarm $name"
done
echo "jobs init: done"
