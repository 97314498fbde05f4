#!/usr/bin/env bash
# Idempotent: makes sure a real PostgreSQL server answers on $PGHOST:$PGPORT and prints its URL.
#   infra/postgres.sh up     start the machine's cluster if it is not running (default)
#   infra/postgres.sh down   stop it (only if this script's machine cluster)
#   infra/postgres.sh status exit 0 when it answers
set -euo pipefail
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
URL="postgres://$PGUSER@$PGHOST:$PGPORT/postgres"

ready() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; }

cluster_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1; }

start_cluster() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "[postgres] no PostgreSQL on this machine: installing Debian's package" >&2
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    else
      echo "[postgres] no PostgreSQL found; set DATABASE_URL to a server you have" >&2; exit 1
    fi
  fi
  local v; v=$(cluster_version)
  echo "[postgres] starting cluster $v/main" >&2
  pg_ctlcluster --skip-systemctl-redirect "$v" main start >&2 || true
}

case "${1:-up}" in
  up)
    if ! ready; then
      start_cluster
      for _ in $(seq 1 60); do ready && break; sleep 0.5; done
      ready || { echo "[postgres] server did not answer on $PGHOST:$PGPORT" >&2; exit 1; }
    fi
    echo "$URL" ;;
  down)
    v=$(cluster_version); [ -n "$v" ] && pg_ctlcluster --skip-systemctl-redirect "$v" main stop >&2 || true ;;
  status) ready ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
