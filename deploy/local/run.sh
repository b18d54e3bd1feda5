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

started_pg=0 started_kafka=0 honcho_pid=
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$honcho_pid" ] && kill -0 "$honcho_pid" 2>/dev/null; then
    kill -TERM "$honcho_pid" 2>/dev/null || true
    wait "$honcho_pid" 2>/dev/null || true
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
honcho -f deploy/local/Procfile -d "$root" start &
honcho_pid=$!
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

  Ctrl-C stops everything this command started.
MSG
wait "$honcho_pid"
