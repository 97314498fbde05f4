#!/usr/bin/env bash
# The distributed topology as processes on this machine, without Docker: PostgreSQL and Kafka (infra/up.sh),
# then the gateway (port 3000, which seeds the demo on a new database: LAPOR_DEMO=1), each service alone (3001–3004),
# the statistics service (3005), the scheduler (3006), SMS 1708 (3007) and webhooks (3008), fed by
# Kafka, the administration of the organisation (3009), the relay (3010) and attachments' downloads (3011).
# Logs in .infra/logs; Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/env.sh
pnpm install --frozen-lockfile --reporter=append-only >/dev/null
# the dashboard's static files, served by the gateway at /dashboard (not committed)
pnpm --filter @lapor/dashboard build >/dev/null
eval "$(bash infra/up.sh | sed 's/^/export /')"   # DATABASE_URL (the server) and KAFKA_BROKERS

# absolute: every process starts in its own folder, and all must find the same keys and logs
state="$PWD/.infra"
mkdir -p "$state/logs"
database="${LAPOR_DATABASE:-lapor}"
server="${DATABASE_URL%/*}"
psql "$DATABASE_URL" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1 || psql "$DATABASE_URL" -qc "CREATE DATABASE $database"
export DATABASE_URL="$server/$database"
# secrets made once and kept beside the state (demo only: production passes its own)
[ -f "$state/jwt-secret" ] || (umask 077; head -c 48 /dev/urandom | base64 | tr -d '\n=' > "$state/jwt-secret")
[ -f "$state/master-key" ] || (umask 077; head -c 32 /dev/urandom | base64 > "$state/master-key")
export LAPOR_JWT_SECRET="$(cat "$state/jwt-secret")" LAPOR_MASTER_KEY="$(cat "$state/master-key")" LAPOR_TRUST_PROXY=127.0.0.1
# the vault's epoch keys: one folder for every process, outside the database
export LAPOR_KEY_DIR="${LAPOR_KEY_DIR:-$state/keys}"
export LOG_LEVEL="${LOG_LEVEL:-info}"

pids=()
stop() { echo "[distributed] stopping"; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

wait_ready() {   # port [probe: ready (default) or live]
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$1/health/${2:-ready}" >/dev/null && return; sleep 0.5; done
  echo "[distributed] :$1 did not become ready" >&2; exit 1
}

urls="intake=http://127.0.0.1:3001,verification=http://127.0.0.1:3002,disposition=http://127.0.0.1:3003,follow-up=http://127.0.0.1:3004,statistics=http://127.0.0.1:3005,scheduler=http://127.0.0.1:3006,sms=http://127.0.0.1:3007,webhooks=http://127.0.0.1:3008,administration=http://127.0.0.1:3009,attachments=http://127.0.0.1:3011"
# the gateway is the public entry: no proxy in front of it here, so it trusts none (the services trust it)
(cd gateway && PORT=3000 LAPOR_DEMO="${LAPOR_DEMO:-1}" LAPOR_TRUST_PROXY= LAPOR_SERVICE_URLS="$urls" LAPOR_DATA_DIR="$state/gateway" exec node --import tsx src/main.ts >"$state/logs/gateway.log" 2>&1) &
# live, not ready: the gateway listens once it has seeded the organisation the services read, and is
# ready only once the services it forwards to are
pids+=($!); wait_ready 3000 live
# statistics and the scheduler consume the relay's topic from KAFKA_BROKERS (exported above), as groups
# lapor.statistics and lapor.scheduler; the scheduler fires the SLA timers on the wall clock
# The processes no write waits for (read sides, timers, the relay, the organisation's administration)
# run at a lower CPU priority than those that answer the writes: on a shared machine a read side
# catching up then takes the cores only when requests leave them (bench:distributed: write p99 at 60
# complaints/s 95-155 ms without, 23-72 ms with). On separate machines or containers the same is a CPU weight.
background="statistics scheduler sms webhooks administration relay"
niceness() { case " $background " in *" $1 "*) echo 10 ;; *) echo 0 ;; esac; }
for entry in intake:3001 verification:3002 disposition:3003 follow-up:3004 statistics:3005 scheduler:3006 sms:3007 webhooks:3008 administration:3009 attachments:3011; do
  name=${entry%%:*}; port=${entry##*:}
  (cd "services/$name" && PORT=$port exec nice -n "$(niceness "$name")" node --import tsx src/main.ts >"$state/logs/$name.log" 2>&1) &
  pids+=($!)
done
(cd services/relay && PORT=3010 exec nice -n "$(niceness relay)" node --import tsx src/main.ts >"$state/logs/relay.log" 2>&1) &
pids+=($!)
for port in 3001 3002 3003 3004 3005 3006 3007 3008 3009 3010 3011 3000; do wait_ready "$port"; done
grep -v '^{' "$state/logs/gateway.log" || true
echo "[distributed] up: gateway http://localhost:3000 (services 3001-3004, statistics 3005, scheduler 3006, SMS 3007, webhooks 3008, administration 3009, relay 3010, attachments 3011); logs in $state/logs; Ctrl-C stops"
wait
