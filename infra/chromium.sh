#!/usr/bin/env bash
# The browser the dashboard's browser tests drive: Debian's Chromium, installed when missing (the
# machines this runs on are root and have apt, as for Kafka and Node). Prints the executable's path.
set -euo pipefail
find_chromium() { command -v chromium || command -v chromium-browser || true; }
path="$(find_chromium)"
if [ -z "$path" ]; then
  echo "[chromium] installing Debian's chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium >&2
  path="$(find_chromium)"
fi
[ -n "$path" ] || { echo "[chromium] not found after install" >&2; exit 1; }
echo "$path"
