#!/usr/bin/env bash
# `make run`: the whole system on this machine, in the foreground, until Ctrl-C or SIGTERM.
# Uses DATABASE_URL / KAFKA_BOOTSTRAP when set; otherwise starts a private PostgreSQL and Kafka broker.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export PATH="$root/.venv/bin:$PATH"
export GRAMOTA_ADMIN_PASSWORD=${GRAMOTA_ADMIN_PASSWORD:-gramota-demo}
export GATEWAY_PORT=${GATEWAY_PORT:-8000}
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:$GATEWAY_PORT}
export LOG_LEVEL=${LOG_LEVEL:-INFO}
# supervisor's state (its socket, pid and log); metrics ports of the five processes (0: none)
export GRAMOTA_RUN_DIR=${GRAMOTA_RUN_DIR:-${GRAMOTA_STATE_DIR:-$root/.run}/supervisor}
export TESTBANK_METRICS_PORT=${TESTBANK_METRICS_PORT:-9101} SESSIONS_METRICS_PORT=${SESSIONS_METRICS_PORT:-9102}
export SCORING_METRICS_PORT=${SCORING_METRICS_PORT:-9103} CERTIFICATES_METRICS_PORT=${CERTIFICATES_METRICS_PORT:-9104}
export GATEWAY_METRICS_PORT=${GATEWAY_METRICS_PORT:-9105}
mkdir -p "$GRAMOTA_RUN_DIR"

started_pg=0 started_kafka=0 supervisor_pid=
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$supervisor_pid" ] && kill -0 "$supervisor_pid" 2>/dev/null; then
    kill -TERM "$supervisor_pid" 2>/dev/null || true  # supervisor stops every service (SIGTERM, then SIGKILL after 30 s)
    wait "$supervisor_pid" 2>/dev/null || true
  fi
  [ "$started_kafka" = 1 ] && deploy/local/kafka.sh stop || true
  [ "$started_pg" = 1 ] && deploy/local/postgres.sh stop || true
  echo "gramota: stopped" >&2
}
trap cleanup EXIT
trap 'exit 0' INT
trap 'exit 0' TERM

if [ -z "${DATABASE_URL:-}" ]; then
  DATABASE_URL=$(deploy/local/postgres.sh start); started_pg=1
fi
if [ -z "${KAFKA_BOOTSTRAP:-}" ]; then
  KAFKA_BOOTSTRAP=$(deploy/local/kafka.sh start); started_kafka=1
fi
export DATABASE_URL KAFKA_BOOTSTRAP

gramota migrate
gramota topics
# supervisor (not a shell loop): a service that crashes is started again while the others keep serving
supervisord -c deploy/local/supervisord.conf &
supervisor_pid=$!
gramota seed --gateway "http://127.0.0.1:$GATEWAY_PORT" --wait 120

cat >&2 <<MSG

  Gramota is running:  $PUBLIC_BASE_URL
  API documentation:   $PUBLIC_BASE_URL/docs   (OpenAPI: /openapi.json)
  Verify page:         $PUBLIC_BASE_URL/verify

  Demo logins (username / password):
    admin     / $GRAMOTA_ADMIN_PASSWORD   (admin)
    official  / official-demo   (candidate, Республика Дагестан; also official2, official3)
    hr        / hr-demo-pass    (HR officer)
    curator   / curator-demo    (programme curator)

  A service that crashes is restarted by supervisor; the others keep serving
  (supervisorctl -c deploy/local/supervisord.conf status, with GRAMOTA_RUN_DIR=$GRAMOTA_RUN_DIR).
  Ctrl-C stops everything this command started.
MSG
wait "$supervisor_pid"
