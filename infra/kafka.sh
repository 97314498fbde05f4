#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft: broker and controller in one JVM) without Docker.
# The jars come from Maven Central once (infra/kafka/pom.xml) into $LAPOR_CACHE; the broker's data
# and log live in $LAPOR_STATE/kafka (the clone's .infra/, ignored by git).
#   infra/kafka.sh up       start it unless it answers already; last stdout line: the bootstrap servers
#   infra/kafka.sh down     stop it (SIGTERM, then SIGKILL after 30 s)
#   infra/kafka.sh kill     SIGKILL it, as a crash would (fault tests)
#   infra/kafka.sh restart  down, then up
#   infra/kafka.sh status   prints running/stopped; exit 0 when it answers
# Settings: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_PARTITIONS (3), KAFKA_START_TIMEOUT (90 s),
# LAPOR_CACHE (~/.cache/lapor), LAPOR_STATE (<clone>/.infra). Needs java 17+ on PATH, and mvn for the first fetch.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
KAFKA_VERSION="$(sed -n 's#.*<kafka.version>\(.*\)</kafka.version>.*#\1#p' "$ROOT/infra/kafka/pom.xml")"
CACHE="${LAPOR_CACHE:-$HOME/.cache/lapor}"
LIBS="$CACHE/kafka-$KAFKA_VERSION/libs"
STATE="${LAPOR_STATE:-$ROOT/.infra}/kafka"
HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
PARTITIONS="${KAFKA_PARTITIONS:-3}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
BOOTSTRAP="$HOST:$PORT"
PID_FILE="$STATE/broker.pid"
LOG="$STATE/broker.log"

log() { echo "[kafka] $*" >&2; }
answers() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }
pid() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null && cat "$PID_FILE"; }

check_java() {
  command -v java >/dev/null 2>&1 || { log "java not found: Kafka $KAFKA_VERSION needs Java 17 or newer on PATH"; exit 1; }
  local major; major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  [ "${major:-0}" -ge 17 ] || { log "java $major found: Kafka $KAFKA_VERSION needs Java 17 or newer"; exit 1; }
}

fetch() {
  [ -f "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" ] && return
  command -v mvn >/dev/null 2>&1 || { log "mvn not found: it fetches Kafka $KAFKA_VERSION from Maven Central once"; exit 1; }
  log "fetching Apache Kafka $KAFKA_VERSION from Maven Central into $LIBS (once)"
  mkdir -p "$(dirname "$LIBS")"
  # a folder of its own, moved into place whole: an interrupted fetch, or another clone fetching, leaves no half-set
  local partial started=$SECONDS; partial=$(mktemp -d "$LIBS.partial.XXXXXX")
  if ! mvn -q -B -Dstyle.color=never -f "$ROOT/infra/kafka/pom.xml" -Dmaven.repo.local="$CACHE/m2" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$partial" >"$partial.log" 2>&1; then
    cat "$partial.log" >&2; rm -rf "$partial" "$partial.log"
    log "fetching Kafka $KAFKA_VERSION failed (is Maven Central reachable?)"; exit 1
  fi
  rm -f "$partial.log"
  if [ -f "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]; then rm -rf "$partial"; else rm -rf "$LIBS"; mv "$partial" "$LIBS"; fi
  log "fetched in $((SECONDS - started)) s"
}

configure() {
  mkdir -p "$STATE/data"
  cat > "$STATE/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$STATE/data
num.partitions=$PARTITIONS
# topics are provisioned explicitly (the relay its topic, each read side its dead-letter topic), never on first use
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
# after a kill, the restarted controller waits out the dead broker's session before it lets the new one in
broker.session.timeout.ms=4000
broker.heartbeat.interval.ms=1000
PROPERTIES
  cat > "$STATE/log4j2.properties" <<'LOG4J'
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
appender.file.type=File
appender.file.name=file
appender.file.fileName=${sys:kafka.logs.dir}/server.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
logger.kafka.name=kafka
logger.kafka.level=INFO
logger.apache.name=org.apache.kafka
logger.apache.level=WARN
LOG4J
}

java_opts() {
  echo "-Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true -Dkafka.logs.dir=$STATE -Dlog4j2.configurationFile=$STATE/log4j2.properties"
}

format_storage() {
  [ -f "$STATE/data/meta.properties" ] && return
  # A base64url id can begin with '-', which the tool's argument parser takes for an option: draw again.
  local cluster_id='-'
  while [ "${cluster_id:0:1}" = '-' ]; do cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='); done
  log "formatting storage (cluster $cluster_id)"
  # shellcheck disable=SC2046
  java $(java_opts) -cp "$LIBS/*" kafka.tools.StorageTool format -t "$cluster_id" -c "$STATE/server.properties" >&2
}

up() {
  mkdir -p "$STATE"
  exec 9>"$STATE/.lock"
  flock 9 # parallel test workers: one starts it, the others wait and find it answering
  if answers; then log "already answering on $BOOTSTRAP"; echo "$BOOTSTRAP"; return; fi
  if pid >/dev/null; then
    log "broker (pid $(pid)) is running but not answering yet: waiting for it"
  else
    check_java
    fetch
    configure
    format_storage
    [ -f "$STATE/server.log" ] && mv "$STATE/server.log" "$STATE/server.log.1" # the wait below reads this run's log only
    log "starting Kafka $KAFKA_VERSION on $BOOTSTRAP (log: $STATE/server.log)"
    # shellcheck disable=SC2046
    nohup java $(java_opts) -cp "$LIBS/*" kafka.Kafka "$STATE/server.properties" >"$LOG" 2>&1 9>&- &
    echo $! >"$PID_FILE"
  fi
  local started=$SECONDS
  while [ $((SECONDS - started)) -lt "$START_TIMEOUT" ]; do
    if ! pid >/dev/null; then
      log "broker exited during start-up:"; tail -n 40 "$LOG" "$STATE/server.log" >&2 2>/dev/null || true; rm -f "$PID_FILE"; exit 1
    fi
    if answers && grep -q "Kafka Server started" "$STATE/server.log" 2>/dev/null; then
      log "ready on $BOOTSTRAP after $((SECONDS - started)) s"; echo "$BOOTSTRAP"; return
    fi
    sleep 0.5
  done
  log "no answer on $BOOTSTRAP after $START_TIMEOUT s; stopping it. Its log:"
  tail -n 40 "$LOG" "$STATE/server.log" >&2 2>/dev/null || true
  down; exit 1
}

down() {
  local p; p=$(pid) || { log "not running"; rm -f "$PID_FILE"; return; }
  log "stopping broker (pid $p)"
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || { rm -f "$PID_FILE"; log "stopped"; return; }; sleep 0.5; done
  log "still running after 30 s: SIGKILL"; kill -KILL "$p" 2>/dev/null || true; rm -f "$PID_FILE"
}

crash() {
  local p; p=$(pid) || { log "not running"; return; }
  log "SIGKILL broker (pid $p)"; kill -KILL "$p"
  while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
  rm -f "$PID_FILE"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  kill) crash ;;
  restart) down; up ;;
  status) if answers; then echo "running on $BOOTSTRAP"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: $0 up|down|kill|restart|status" >&2; exit 2 ;;
esac
