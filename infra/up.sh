#!/usr/bin/env bash
# Starts the real services for local work and tests: PostgreSQL and a Kafka broker. Idempotent.
# Prints what to export: DATABASE_URL=… and KAFKA_BROKERS=… (e.g. `eval "export $(infra/up.sh | tr '\n' ' ')"`).
set -euo pipefail
cd "$(dirname "$0")/.."
database_url=$(bash infra/postgres.sh up | tail -n 1)
kafka_brokers=$(bash infra/kafka.sh up | tail -n 1)
echo "DATABASE_URL=$database_url"
echo "KAFKA_BROKERS=$kafka_brokers"
