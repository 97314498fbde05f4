#!/usr/bin/env bash
# The project's test command (the README's, and CI's): installs what is missing, then runs
# the type check, the linter and every jest tier against real PostgreSQL and Kafka.
# Services come from DATABASE_URL / KAFKA_BROKERS when set, else from infra/ scripts,
# else from testcontainers when a Docker engine is reachable.
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/env.sh
pnpm install --frozen-lockfile --reporter=append-only
# the dashboard's static files, served by the gateway at /dashboard (not committed)
pnpm --filter @lapor/dashboard build >/dev/null
pnpm run check
pnpm run openapi:lint
# the committed document is what the routes generate, and breaks nothing released (undeclared)
pnpm run openapi:check
pnpm test "$@"
