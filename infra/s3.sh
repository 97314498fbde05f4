#!/usr/bin/env bash
# A real S3 API server without Docker: S3Proxy with its filesystem backend (objects are files in a
# folder). The jars come from Maven Central once (infra/s3/pom.xml) into $LAPOR_CACHE; the objects,
# its settings and its log live in $LAPOR_STATE/s3-<port> (the clone's .infra/, ignored by git).
#   infra/s3.sh up       start it unless it answers already; last stdout line: its endpoint URL
#   infra/s3.sh down     stop it (SIGTERM, then SIGKILL after 15 s)
#   infra/s3.sh status   prints running/stopped; exit 0 when it answers
# Settings: S3_PORT (9000), S3_START_TIMEOUT (60 s), S3_ACCESS_KEY / S3_SECRET_KEY (lapor-local /
# lapor-local-secret: a local test server's, never a real store's), LAPOR_CACHE (~/.cache/lapor),
# LAPOR_STATE (<clone>/.infra). Needs java 17+ on PATH, and mvn for the first fetch.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION="$(sed -n 's#.*<s3proxy.version>\(.*\)</s3proxy.version>.*#\1#p' "$ROOT/infra/s3/pom.xml")"
CACHE="${LAPOR_CACHE:-$HOME/.cache/lapor}"
LIBS="$CACHE/s3proxy-$VERSION/libs"
HOST=127.0.0.1
PORT="${S3_PORT:-9000}"
STATE="${LAPOR_STATE:-$ROOT/.infra}/s3-$PORT"
START_TIMEOUT="${S3_START_TIMEOUT:-60}"
ACCESS_KEY="${S3_ACCESS_KEY:-lapor-local}"
SECRET_KEY="${S3_SECRET_KEY:-lapor-local-secret}"
ENDPOINT="http://$HOST:$PORT"
PID_FILE="$STATE/s3proxy.pid"
LOG="$STATE/s3proxy.log"

log() { echo "[s3] $*" >&2; }
answers() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }
pid() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null && cat "$PID_FILE"; }

fetch() {
  [ -f "$LIBS/s3proxy-$VERSION.jar" ] && return
  command -v mvn >/dev/null 2>&1 || { log "mvn not found: it fetches S3Proxy $VERSION from Maven Central once"; exit 1; }
  log "fetching S3Proxy $VERSION from Maven Central into $LIBS (once)"
  mkdir -p "$(dirname "$LIBS")"
  # a folder of its own, moved into place whole: an interrupted fetch, or another clone fetching, leaves no half-set
  local partial; partial=$(mktemp -d "$LIBS.partial.XXXXXX")
  if ! mvn -q -B -Dstyle.color=never -f "$ROOT/infra/s3/pom.xml" -Dmaven.repo.local="$CACHE/m2" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$partial" >"$partial.log" 2>&1; then
    cat "$partial.log" >&2; rm -rf "$partial" "$partial.log"
    log "fetching S3Proxy $VERSION failed (is Maven Central reachable?)"; exit 1
  fi
  rm -f "$partial.log"
  if [ -f "$LIBS/s3proxy-$VERSION.jar" ]; then rm -rf "$partial"; else rm -rf "$LIBS"; mv "$partial" "$LIBS"; fi
}

up() {
  mkdir -p "$STATE/objects"
  exec 9>"$STATE/.lock"
  flock 9 # parallel test workers: one starts it, the others wait and find it answering
  if answers; then log "already answering on $ENDPOINT"; echo "$ENDPOINT"; return; fi
  if ! pid >/dev/null; then
    command -v java >/dev/null 2>&1 || { log "java not found: S3Proxy needs Java 17 or newer on PATH"; exit 1; }
    fetch
    cat > "$STATE/s3proxy.properties" <<PROPERTIES
s3proxy.endpoint=$ENDPOINT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS_KEY
s3proxy.credential=$SECRET_KEY
jclouds.provider=filesystem-nio2
jclouds.identity=$ACCESS_KEY
jclouds.credential=$SECRET_KEY
jclouds.filesystem.basedir=$STATE/objects
PROPERTIES
    # without a configuration of its own it logs every request at DEBUG
    cat > "$STATE/logback.xml" <<'LOGBACK'
<configuration>
  <appender name="console" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d %-5level %logger{20} %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="console"/></root>
</configuration>
LOGBACK
    log "starting S3Proxy $VERSION on $ENDPOINT (objects in $STATE/objects, log: $LOG)"
    nohup java -Xms64m -Xmx256m -Dlogback.configurationFile="$STATE/logback.xml" -cp "$LIBS/*" org.gaul.s3proxy.Main --properties "$STATE/s3proxy.properties" >"$LOG" 2>&1 9>&- &
    echo $! >"$PID_FILE"
  fi
  local started=$SECONDS
  while [ $((SECONDS - started)) -lt "$START_TIMEOUT" ]; do
    pid >/dev/null || { log "S3Proxy exited during start-up:"; tail -n 40 "$LOG" >&2; rm -f "$PID_FILE"; exit 1; }
    if answers; then log "ready on $ENDPOINT after $((SECONDS - started)) s"; echo "$ENDPOINT"; return; fi
    sleep 0.5
  done
  log "no answer on $ENDPOINT after $START_TIMEOUT s; stopping it. Its log:"; tail -n 40 "$LOG" >&2 || true
  down; exit 1
}

down() {
  local p; p=$(pid) || { log "not running"; rm -f "$PID_FILE"; return; }
  log "stopping S3Proxy (pid $p)"
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$p" 2>/dev/null || { rm -f "$PID_FILE"; log "stopped"; return; }; sleep 0.5; done
  log "still running after 15 s: SIGKILL"; kill -KILL "$p" 2>/dev/null || true; rm -f "$PID_FILE"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  status) if answers; then echo "running on $ENDPOINT"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
