#!/bin/sh
# Entry point of the Gramota image: the first argument names a service or a one-shot job.
set -eu

usage() {
  cat >&2 <<'USAGE'
usage: IMAGE SERVICE            run a service: testbank | sessions | scoring | certificates | gateway
       IMAGE migrate [SCHEMA..] apply the SQL migrations (all schemas by default), then exit
       IMAGE topics [--replication-factor N]   create the missing Kafka topics, then exit
       IMAGE seed --gateway URL load the demo bank and users through a running gateway
       IMAGE COMMAND [ARG..]    anything else is run as it is (e.g. `python -c ...`)
USAGE
}

if [ "$#" -eq 0 ]; then
  usage
  exit 64
fi

case "$1" in
  testbank | sessions | scoring | certificates | gateway)
    service=$1
    shift
    exec python -m "gramota.$service" "$@"
    ;;
  migrate | topics | seed)
    exec gramota "$@"
    ;;
  help | -h | --help)
    usage
    ;;
  *)
    exec "$@"
    ;;
esac
