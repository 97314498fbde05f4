#!/usr/bin/env bash
# Install and start: Node 24 and pnpm from the npm registry when missing, the workspace's
# dependencies, then the gateway on the embedded default (PGlite, data in ./data) with the demo
# organisation and accounts (LAPOR_DEMO=1: known passwords, for trying it out, never a real deployment).
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/env.sh
pnpm install --frozen-lockfile --reporter=append-only
# the dashboard's static files, served by the gateway at /dashboard (not committed)
pnpm --filter @lapor/dashboard build >/dev/null
LAPOR_DEMO="${LAPOR_DEMO:-1}" exec pnpm start
