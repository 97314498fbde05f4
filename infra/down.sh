#!/usr/bin/env bash
# Stops the Kafka broker and the S3 API server infra/up.sh started. The machine's PostgreSQL is left running unless
# asked (`infra/down.sh --all`): other things on the machine may be using it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/kafka.sh down
bash infra/s3.sh down
if [ "${1:-}" = "--all" ]; then bash infra/postgres.sh down; fi
