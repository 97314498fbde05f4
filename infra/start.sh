#!/usr/bin/env bash
# Install and start: Node 24 and pnpm from the npm registry when missing, the workspace's
# dependencies, then the gateway on the embedded default (PGlite, data in ./data).
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/env.sh
pnpm install --frozen-lockfile --reporter=append-only
exec pnpm start
