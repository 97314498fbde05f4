#!/usr/bin/env bash
# Starts the real services for local work and tests: PostgreSQL, a Kafka broker and an S3 API server
# (S3Proxy, for the attachments' object store). Idempotent.
# Prints what to export: DATABASE_URL=…, KAFKA_BROKERS=… and S3_ENDPOINT=… (e.g. `eval "export $(infra/up.sh | tr '\n' ' ')"`).
set -euo pipefail
cd "$(dirname "$0")/.."
database_url=$(bash infra/postgres.sh up | tail -n 1)
kafka_brokers=$(bash infra/kafka.sh up | tail -n 1)
s3_endpoint=$(bash infra/s3.sh up | tail -n 1)
echo "DATABASE_URL=$database_url"
echo "KAFKA_BROKERS=$kafka_brokers"
echo "S3_ENDPOINT=$s3_endpoint"
