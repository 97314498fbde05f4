#!/usr/bin/env bash
# Starts the real services for local work and tests: PostgreSQL and a Kafka broker. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "DATABASE_URL=$(bash infra/postgres.sh up | tail -n 1)"
echo "KAFKA_BROKERS=$(bash infra/kafka.sh up | tail -n 1)"
