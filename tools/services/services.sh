#!/usr/bin/env bash
# Why: provisions real Kafka 3.9 + 4.x, PostgreSQL and the BigQuery emulator on 127.0.0.1 for tests on machines without Docker.
#
# Usage: bash tools/services/services.sh up|down|env|status|reset|smoke [kafka3|kafka4|postgres|bigquery ...]
#        bash tools/services/services.sh kafka-cli <kafka3|kafka4> <java main class> [args...]
#        bash tools/services/services.sh kafka-broker <kafka3|kafka4> <dir> <port> <controller port>
# See tools/services/README.md.
set -euo pipefail

SERVICES_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SERVICES_HOME/../.." && pwd)"
SERVICES_DIR="${FRAUDLINE_SERVICES_DIR:-$REPO_ROOT/.services}"
ALL_SERVICES=(kafka3 kafka4 postgres bigquery)
READY_TIMEOUT="${FRAUDLINE_SERVICES_TIMEOUT:-120}"

# shellcheck source=lib/common.sh
source "$SERVICES_HOME/lib/common.sh"
# shellcheck source=lib/kafka.sh
source "$SERVICES_HOME/lib/kafka.sh"
# shellcheck source=lib/postgres.sh
source "$SERVICES_HOME/lib/postgres.sh"
# shellcheck source=lib/bigquery.sh
source "$SERVICES_HOME/lib/bigquery.sh"

usage() {
  cat >&2 <<EOF
usage: $(basename "$0") <command> [service ...]
commands:
  up      provision (cached) and start services, wait until ready
  down    stop services by their pid (exit != 0 if a stop fails)
  env     print 'export VAR=...' lines (eval "\$(bash tools/services/services.sh env)")
  status  print state + version of each service, one per line (exit != 0 if one is not running)
  reset   stop services and delete their state (data dirs; downloads/builds stay cached)
  smoke   end-to-end check: Kafka topic create/produce/consume on both brokers, psql, emulator query
  kafka-cli <kafka3|kafka4> <main class> [args]   run a Kafka CLI class with that broker's classpath
  kafka-broker <kafka3|kafka4> <dir> <port> <controller port>   run a broker of your own in the foreground
services: ${ALL_SERVICES[*]} (default: all)
EOF
}

# Resolve the service list from args (default: all), validating names.
parse_services() {
  SELECTED=()
  if [[ $# -eq 0 ]]; then SELECTED=("${ALL_SERVICES[@]}"); return; fi
  local s
  for s in "$@"; do
    case "$s" in
      kafka3|kafka4|postgres|bigquery) SELECTED+=("$s") ;;
      kafka) SELECTED+=(kafka3 kafka4) ;;
      *) die "unknown service '$s' (expected: ${ALL_SERVICES[*]})" ;;
    esac
  done
}

svc_fn() { # svc_fn <action> <service> -> calls e.g. kafka_prepare kafka3 / postgres_prepare
  local action="$1" svc="$2"
  case "$svc" in
    kafka3|kafka4) "kafka_$action" "$svc" ;;
    postgres) "postgres_$action" ;;
    bigquery) "bigquery_$action" ;;
  esac
}

cmd_up() {
  parse_services "$@"
  ensure_services_dir
  take_lock
  local t0=$SECONDS svc failed=()
  log "cache dir: $SERVICES_DIR"
  # 1) obtain artifacts (maven / go build / initdb) - cached
  for svc in "${SELECTED[@]}"; do
    if ! svc_fn prepare "$svc"; then failed+=("$svc"); fi
  done
  [[ ${#failed[@]} -eq 0 ]] || die "preparation failed for: ${failed[*]}"
  # 2) launch everything that is not running yet (in parallel)
  local started=()
  for svc in "${SELECTED[@]}"; do
    if svc_fn start "$svc"; then started+=("$svc"); else failed+=("$svc"); fi
  done
  # 3) wait for readiness (port + functional check)
  for svc in "${started[@]}"; do
    if ! svc_fn wait_ready "$svc"; then failed+=("$svc"); fi
  done
  if [[ ${#failed[@]} -gt 0 ]]; then
    err "FAILED: ${failed[*]} (after $((SECONDS - t0))s)"
    exit 1
  fi
  log "all ready: ${SELECTED[*]} ($((SECONDS - t0))s)"
}

cmd_down() {
  parse_services "$@"
  ensure_services_dir
  take_lock
  local svc rc=0
  for svc in "${SELECTED[@]}"; do
    svc_fn stop "$svc" || { err "$svc: stop FAILED"; rc=1; }
  done
  return $rc
}

cmd_reset() {
  parse_services "$@"
  cmd_down "${SELECTED[@]}"
  local svc
  for svc in "${SELECTED[@]}"; do svc_fn reset "$svc"; done
}

cmd_env() {
  parse_services "$@"
  local svc
  for svc in "${SELECTED[@]}"; do svc_fn env "$svc"; done
}

cmd_status() {
  parse_services "$@"
  local svc rc=0
  for svc in "${SELECTED[@]}"; do svc_fn status "$svc" || rc=1; done
  return $rc
}

cmd_smoke() {
  parse_services "$@"
  local svc rc=0
  for svc in "${SELECTED[@]}"; do
    if svc_fn smoke "$svc"; then log "$svc: smoke OK"; else err "$svc: smoke FAILED"; rc=1; fi
  done
  return $rc
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    up) cmd_up "$@" ;;
    down|stop) cmd_down "$@" ;;
    env) cmd_env "$@" ;;
    status) cmd_status "$@" ;;
    reset) cmd_reset "$@" ;;
    smoke) cmd_smoke "$@" ;;
    kafka-cli)
      [[ $# -ge 2 ]] || { usage; exit 2; }
      local svc="$1"; shift
      case "$svc" in kafka3|kafka4) ;; *) die "kafka-cli: expected kafka3|kafka4, got '$svc'" ;; esac
      kafka_cli "$svc" "$@" ;;
    kafka-broker)
      [[ $# -eq 4 ]] || { usage; exit 2; }
      case "$1" in kafka3|kafka4) ;; *) die "kafka-broker: expected kafka3|kafka4, got '$1'" ;; esac
      kafka_broker "$@" ;;
    -h|--help|help) usage ;;
    *) usage; exit 2 ;;
  esac
}

main "$@"
