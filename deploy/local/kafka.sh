#!/usr/bin/env bash
# Runs a private single-node KRaft Kafka broker for development and tests: kafka.sh fetch|start|stop|status|url.
set -euo pipefail

usage() {
  echo "usage: $0 fetch|start|stop|status|url" >&2
  exit 2
}

# Keep the caller's stdout on fd 7 for the one line we promise (the bootstrap address); any other output,
# ours or a tool's, goes to stderr so callers can read `$(kafka.sh start)` safely.
exec 7>&1 1>&2

die() {
  echo "kafka.sh: error: $*" >&2
  exit 1
}
note() { echo "kafka.sh: $*" >&2; }

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE_IN=${GRAMOTA_STATE_DIR:-$REPO/.run}
mkdir -p "$STATE_IN" || die "cannot create state directory $STATE_IN"
STATE=$(cd "$STATE_IN" && pwd)
CACHE_IN=${GRAMOTA_CACHE_DIR:-$HOME/.cache/gramota}
mkdir -p "$CACHE_IN" || die "cannot create cache directory $CACHE_IN"
CACHE=$(cd "$CACHE_IN" && pwd)
# Nothing below depends on the caller's cwd; leaving it also keeps the broker from pinning a deleted cwd.
cd /

KAFKA_VERSION=${GRAMOTA_KAFKA_VERSION:-4.4.0}
KAFKA_FALLBACK_VERSION=4.3.1
PORT=${GRAMOTA_KAFKA_PORT:-59092}
CONTROLLER_PORT=${GRAMOTA_KAFKA_CONTROLLER_PORT:-59093}
POM=$REPO/deploy/local/kafka/pom.xml

KDIR=$STATE/kafka
DATA=$KDIR/data
PIDFILE=$KDIR/kafka.pid
PROPS=$KDIR/server.properties
LOG4J=$KDIR/log4j2.properties
SERVER_LOG=$KDIR/server.log
CONSOLE_LOG=$KDIR/console.log
ADDR=127.0.0.1:$PORT
READY_TIMEOUT=${GRAMOTA_KAFKA_READY_TIMEOUT:-90}
STOP_TIMEOUT=30

is_root() { [ "$(id -u)" -eq 0 ]; }

# Installs Debian packages when we may; `apt-get update` only when the package lists do not know them yet.
apt_install() {
  local pkg need_update=0 log=$STATE/apt.log
  for pkg in "$@"; do
    case "$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')" in
      "" | "(none)") need_update=1 ;;
    esac
  done
  export DEBIAN_FRONTEND=noninteractive
  # Another apt run (e.g. a provisioning step) may hold the lock: wait for it rather than fail.
  if [ "$need_update" = 1 ] && ! apt-get -o DPkg::Lock::Timeout=600 update >>"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "apt-get update failed (full log: $log)"
  fi
  if ! apt-get -o DPkg::Lock::Timeout=600 install -y -q "$@" >>"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "apt-get install $* failed (full log: $log)"
  fi
}

require_tool() { # require_tool COMMAND DEBIAN_PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  if is_root; then
    note "'$1' not found; installing Debian package $2"
    apt_install "$2"
    command -v "$1" >/dev/null 2>&1 || die "'$1' still missing after installing $2"
  else
    die "'$1' is not installed. Install it with:  sudo apt-get install -y $2"
  fi
}

JAVA=
find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    JAVA=$JAVA_HOME/bin/java
  else
    require_tool java openjdk-17-jre-headless
    JAVA=$(command -v java)
  fi
  # Kafka 4.x brokers need Java 17+; an older JVM fails later with an obscure UnsupportedClassVersionError.
  local major
  major=$("$JAVA" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}')
  if ! [[ "$major" =~ ^[0-9]+$ ]] || [ "$major" -lt 17 ]; then
    die "Kafka needs Java 17 or newer, but $JAVA is version '${major:-unknown}' (apt package: openjdk-17-jre-headless, or set JAVA_HOME)"
  fi
}

# A fetched version counts only with its marker, which also records the pom it came from, so editing the
# pom (e.g. adding a jar) triggers a fresh fetch.
pom_sum() { sha256sum "$POM" | cut -d' ' -f1; }
fetched_ok() { # fetched_ok VERSION
  local dir=$CACHE/kafka-$1
  [ -f "$dir/libs/kafka_2.13-$1.jar" ] && [ -f "$dir/.fetched" ] && [ "$(cat "$dir/.fetched")" = "$(pom_sum)" ]
}

LIBS=
select_libs() {
  local v
  for v in "$KAFKA_VERSION" "$KAFKA_FALLBACK_VERSION"; do
    if fetched_ok "$v"; then
      LIBS=$CACHE/kafka-$v/libs
      RUN_VERSION=$v
      return 0
    fi
  done
  return 1
}

fetch_version() { # fetch_version VERSION; resolves Kafka and its runtime jars from Maven Central
  local v=$1 dir=$CACHE/kafka-$1 tmp log
  mkdir -p "$dir"
  tmp=$(mktemp -d "$dir/libs.tmp.XXXXXX")
  log=$dir/fetch.log
  # Run Maven on a copy of the pom so no target/ or other Maven droppings land in the work tree.
  cp "$POM" "$tmp/pom.xml"
  if ! (cd "$tmp" && mvn -q -B -Dstyle.color=never -Dmaven.repo.local="$CACHE/m2" -Dkafka.version="$v" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/libs") >"$log" 2>&1; then
    rm -rf "$tmp"
    return 1
  fi
  [ -f "$tmp/libs/kafka_2.13-$v.jar" ] || {
    echo "kafka_2.13-$v.jar missing after copy-dependencies" >>"$log"
    rm -rf "$tmp"
    return 1
  }
  rm -rf "$dir/libs"
  mv "$tmp/libs" "$dir/libs"
  rm -rf "$tmp"
  pom_sum >"$dir/.fetched"
}

do_fetch() {
  select_libs && return 0
  [ -f "$POM" ] || die "missing $POM (the dependency list for the Kafka jars)"
  require_tool mvn maven
  find_java
  # fd 6, not 8: do_start may already hold its own lock on fd 8 while it calls us.
  exec 6>"$CACHE/kafka-fetch.lock"
  flock 6
  # A concurrent caller may have fetched while we waited for the lock.
  if select_libs; then
    exec 6>&-
    return 0
  fi
  if ! fetch_version "$KAFKA_VERSION"; then
    note "could not fetch Kafka $KAFKA_VERSION (see $CACHE/kafka-$KAFKA_VERSION/fetch.log); trying $KAFKA_FALLBACK_VERSION"
    if ! fetch_version "$KAFKA_FALLBACK_VERSION"; then
      tail -n 30 "$CACHE/kafka-$KAFKA_FALLBACK_VERSION/fetch.log" >&2 || true
      die "could not fetch Kafka $KAFKA_VERSION nor $KAFKA_FALLBACK_VERSION from Maven Central (logs: $CACHE/kafka-*/fetch.log)"
    fi
  fi
  exec 6>&-
  select_libs || die "fetch finished but no usable Kafka libs were found under $CACHE"
}

# A process is our broker only if its command line ends in "kafka.Kafka <this state dir's server.properties>":
# a stale pid file (e.g. after a reboot) may name an unrelated process, which we must never signal.
is_our_broker() {
  local args
  # 2>/dev/null first: processes vanish while we scan, and the redirect error would otherwise be printed.
  args=$(tr '\0' '\n' 2>/dev/null <"/proc/$1/cmdline" | tail -n 2) || return 1
  [ "$args" = "kafka.Kafka"$'\n'"$PROPS" ]
}

running_pid() {
  local pid='' p
  if [ -f "$PIDFILE" ]; then
    pid=$(cat "$PIDFILE" 2>/dev/null) || pid=
  fi
  if [[ "$pid" =~ ^[0-9]+$ ]] && is_our_broker "$pid"; then
    echo "$pid"
    return 0
  fi
  # The pid file was lost or overwritten while our broker kept running: adopt it rather than report the
  # port as taken by a stranger.
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    if is_our_broker "$p"; then
      echo "$p" >"$PIDFILE"
      echo "$p"
      return 0
    fi
  done
  return 1
}

# kill -0 alone is not enough: a broker that died while this script is its parent stays a zombie until reaped.
alive() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(awk '{print $3}' 2>/dev/null </proc/"$1"/stat) || return 1
  [ "$state" != Z ]
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_config() {
  mkdir -p "$KDIR"
  cat >"$PROPS.tmp" <<EOF
# Generated by deploy/local/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
log.dirs=$DATA
num.partitions=1
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
# A single broker cannot hold the default three replicas of the internal topics.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# One partition each instead of 50: the first consumer group or transaction then starts in well under a second.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1
EOF
  mv "$PROPS.tmp" "$PROPS"

  cat >"$LOG4J" <<EOF
# Generated by deploy/local/kafka.sh: INFO and up to $SERVER_LOG, WARN and up to stderr (captured in console.log).
status = warn
name = gramota-kafka
appender.file.type = RollingFile
appender.file.name = file
appender.file.fileName = $SERVER_LOG
appender.file.filePattern = $SERVER_LOG.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 50MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 2
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
appender.stderr.filter.threshold.type = ThresholdFilter
appender.stderr.filter.threshold.level = WARN
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
rootLogger.appenderRef.stderr.ref = stderr
EOF
}

kafka_java() { # kafka_java MAIN_CLASS ARGS...; short-lived Kafka tool runs
  "$JAVA" -Xmx256m -Dlog4j2.configurationFile="$LOG4J" -cp "$LIBS/*" "$@"
}

# Formatting is done once per data directory; the stamp records what the on-disk metadata depends on, so
# a changed controller port or Kafka version gets a fresh (empty) cluster instead of a broker that won't start.
ensure_formatted() {
  local stamp="kafka=$RUN_VERSION node.id=1 controller=127.0.0.1:$CONTROLLER_PORT log.dirs=$DATA" out
  if [ -f "$DATA/meta.properties" ] && [ -f "$KDIR/format.stamp" ] && [ "$(cat "$KDIR/format.stamp")" = "$stamp" ]; then
    return 0
  fi
  if [ -d "$DATA" ]; then
    note "Kafka data in $DATA was formatted for other settings (or incompletely); wiping it and formatting anew"
  fi
  rm -rf "$DATA" "$KDIR/format.stamp"
  mkdir -p "$DATA"
  if [ ! -s "$KDIR/cluster.id" ]; then
    kafka_java kafka.tools.StorageTool random-uuid >"$KDIR/cluster.id.tmp" 2>>"$CONSOLE_LOG" ||
      die "kafka.tools.StorageTool random-uuid failed (see $CONSOLE_LOG)"
    mv "$KDIR/cluster.id.tmp" "$KDIR/cluster.id"
  fi
  if ! out=$(kafka_java kafka.tools.StorageTool format -t "$(cat "$KDIR/cluster.id")" -c "$PROPS" --standalone 2>&1); then
    echo "$out" >&2
    die "formatting Kafka storage in $DATA failed"
  fi
  echo "$stamp" >"$KDIR/format.stamp"
}

show_logs() {
  echo "--- last lines of $CONSOLE_LOG ---" >&2
  tail -n 20 "$CONSOLE_LOG" >&2 2>/dev/null || true
  echo "--- last ERROR/WARN lines of $SERVER_LOG ---" >&2
  grep -E '\] (ERROR|WARN|FATAL) ' "$SERVER_LOG" 2>/dev/null | tail -n 20 >&2 || true
}

kill_pid() { # kill_pid PID: SIGTERM, wait (polling) up to STOP_TIMEOUT, then SIGKILL
  local pid=$1 deadline=$((SECONDS + STOP_TIMEOUT))
  kill -TERM "$pid" 2>/dev/null || return 0
  while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.2
  done
  if alive "$pid"; then
    note "broker pid $pid did not exit within ${STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while alive "$pid"; do sleep 0.1; done
  fi
}

do_start() {
  mkdir -p "$KDIR"
  # Serialise concurrent starts (parallel test workers); fd 8 is closed for the broker so it doesn't keep the lock.
  exec 8>"$KDIR/lock"
  flock 8
  if running_pid >/dev/null; then
    exec 8>&-
    return 0
  fi
  rm -f "$PIDFILE"
  do_fetch
  find_java
  if port_open "$PORT" || port_open "$CONTROLLER_PORT"; then
    die "port $PORT or $CONTROLLER_PORT on 127.0.0.1 is already in use by another process; stop it or set GRAMOTA_KAFKA_PORT / GRAMOTA_KAFKA_CONTROLLER_PORT"
  fi
  write_config
  # Start each run with fresh logs so readiness is judged on this run's lines only.
  if [ -f "$SERVER_LOG" ]; then mv -f "$SERVER_LOG" "$SERVER_LOG.prev"; fi
  if [ -f "$CONSOLE_LOG" ]; then mv -f "$CONSOLE_LOG" "$CONSOLE_LOG.prev"; fi
  : >"$CONSOLE_LOG"
  ensure_formatted

  # setsid: own session, so Ctrl-C in the terminal or a process-group kill of the caller (make, pytest)
  # does not take the broker down; its stdout/stderr go to a file so it never holds the caller's pipes.
  set +m
  setsid "$JAVA" -Xms256m -Xmx768m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dkafka.logs.dir="$KDIR" -Dlog4j2.configurationFile="$LOG4J" \
    -cp "$LIBS/*" kafka.Kafka "$PROPS" </dev/null >>"$CONSOLE_LOG" 2>&1 6>&- 7>&- 8>&- &
  local pid=$! deadline=$((SECONDS + READY_TIMEOUT))
  echo "$pid" >"$PIDFILE"

  # Ready = the broker logged that it finished starting AND its client port accepts connections.
  while :; do
    if ! alive "$pid"; then
      rm -f "$PIDFILE"
      show_logs
      die "Kafka broker exited during startup (logs: $SERVER_LOG, $CONSOLE_LOG)"
    fi
    if grep -q 'Kafka Server started' "$SERVER_LOG" 2>/dev/null && port_open "$PORT"; then
      break
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      show_logs
      kill_pid "$pid"
      rm -f "$PIDFILE"
      die "Kafka broker was not ready within ${READY_TIMEOUT}s; stopped it (logs: $SERVER_LOG, $CONSOLE_LOG)"
    fi
    sleep 0.2
  done
  exec 8>&-
}

do_stop() {
  local pid
  [ -d "$KDIR" ] || return 0
  exec 8>"$KDIR/lock"
  flock 8
  if pid=$(running_pid); then
    kill_pid "$pid"
  fi
  rm -f "$PIDFILE"
  exec 8>&-
}

[ $# -ge 1 ] || usage
case "$1" in
  fetch)
    [ $# -eq 1 ] || usage
    do_fetch
    ;;
  start)
    [ $# -eq 1 ] || usage
    do_start
    echo "$ADDR" >&7
    ;;
  stop)
    [ $# -eq 1 ] || usage
    do_stop
    ;;
  status)
    [ $# -eq 1 ] || usage
    running_pid >/dev/null || exit 1
    ;;
  url)
    [ $# -eq 1 ] || usage
    echo "$ADDR" >&7
    ;;
  *) usage ;;
esac
