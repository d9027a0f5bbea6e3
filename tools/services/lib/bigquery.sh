# Why: goccy/bigquery-emulator built from the pinned Go module in tools/services/bigquery-emulator, run on loopback.
# Sourced by tools/services/services.sh.

BQ_PORT="${FRAUDLINE_BIGQUERY_PORT:-9050}"
BQ_GRPC_PORT="${FRAUDLINE_BIGQUERY_GRPC_PORT:-9060}"
BQ_PROJECT="test"
BQ_MODULE_DIR="$SERVICES_HOME/bigquery-emulator"
BQ_INST="$SERVICES_DIR/bigquery"
BQ_LOG="$BQ_INST/bigquery-emulator.log"
BQ_PID="$BQ_INST/bigquery.pid"
BQ_PKG=github.com/goccy/bigquery-emulator/cmd/bigquery-emulator

bq_module_version() { awk '$1 == "github.com/goccy/bigquery-emulator" {print $2; exit}' "$BQ_MODULE_DIR/go.mod"; }

bq_binary() { # cache key = go.mod + go.sum content
  local key
  key="$(cat "$BQ_MODULE_DIR/go.mod" "$BQ_MODULE_DIR/go.sum" | sha256sum | cut -c1-12)"
  echo "$SERVICES_DIR/bin/bigquery-emulator-$(bq_module_version)-$key"
}

bq_build() {
  BQ_BIN="$(bq_binary)"
  [[ -x "$BQ_BIN" ]] && return 0
  need_cmd go "Go >= 1.25 is required to build the BigQuery emulator"
  local ver t0=$SECONDS tmp
  ver="$(bq_module_version)"
  tmp="$BQ_BIN.tmp.$$"
  mkdir -p "$SERVICES_DIR/bin" "$BQ_INST"
  log "bigquery: building goccy/bigquery-emulator $ver with $(go version | awk '{print $3}') (pure Go, CGO_ENABLED=0; first build takes minutes)..."
  # -mod=readonly: go.mod/go.sum are committed; the proxy's @v/list for this module answers 403, so never resolve 'latest'.
  if ! (cd "$BQ_MODULE_DIR" && GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0 \
        go build -trimpath -ldflags "-s -w -X main.version=$ver -X main.revision=go-module" -o "$tmp" "$BQ_PKG") \
        >"$BQ_INST/build.log" 2>&1; then
    err "bigquery: go build failed:"; show_log_tail "$BQ_INST/build.log"; rm -f "$tmp"; return 1
  fi
  mv -f "$tmp" "$BQ_BIN"
  ln -sfn "$(basename "$BQ_BIN")" "$SERVICES_DIR/bin/bigquery-emulator"
  log "bigquery: built $BQ_BIN ($((SECONDS - t0))s)"
}

bq_running_pid() { running_pid "$BQ_PID" "--port=$BQ_PORT"; }

bigquery_prepare() { bq_build; }

bigquery_start() {
  local pid
  pid="$(bq_running_pid)"
  if [[ -n "$pid" ]]; then log "bigquery: already running (pid $pid, http://127.0.0.1:$BQ_PORT)"; return 0; fi
  ensure_port_free bigquery "$BQ_PORT" "$BQ_GRPC_PORT" || return 1
  mkdir -p "$BQ_INST"
  log "bigquery: starting bigquery-emulator $(bq_module_version) on http://127.0.0.1:$BQ_PORT (grpc $BQ_GRPC_PORT, project $BQ_PROJECT, ${FRAUDLINE_BIGQUERY_DATABASE:-in-memory})"
  local extra=()
  [[ -n "${FRAUDLINE_BIGQUERY_DATABASE:-}" ]] && extra+=(--database="$FRAUDLINE_BIGQUERY_DATABASE")
  launch_bg "$BQ_PID" "$BQ_LOG" "$BQ_BIN" --project="$BQ_PROJECT" --host=127.0.0.1 \
    --port="$BQ_PORT" --grpc-port="$BQ_GRPC_PORT" --log-level="${FRAUDLINE_BIGQUERY_LOG_LEVEL:-info}" "${extra[@]}"
}

bq_is_ready() {
  port_open "$BQ_PORT" || return 1
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
        "http://127.0.0.1:$BQ_PORT/bigquery/v2/projects/$BQ_PROJECT/datasets")" == 200 ]]
}

bigquery_wait_ready() {
  need_cmd curl
  wait_ready bigquery "$(read_pidfile "$BQ_PID")" "$BQ_LOG" bq_is_ready
}

bigquery_stop() {
  local pid
  pid="$(bq_running_pid)"
  if [[ -z "$pid" ]]; then log "bigquery: not running"; rm -f "$BQ_PID"; return 0; fi
  stop_pid bigquery "$pid" TERM && rm -f "$BQ_PID"
}

bigquery_reset() {
  log "bigquery: deleting state $BQ_INST (binary cache in $SERVICES_DIR/bin kept)"
  rm -rf "$BQ_INST"
}

bigquery_status() {
  local pid bin ver
  pid="$(bq_running_pid)"
  if [[ -n "$pid" ]]; then
    bin="$(readlink -f "/proc/$pid/exe" 2>/dev/null || true)"
    ver="$("${bin:-$(bq_binary)}" --version 2>/dev/null | awk '/^version:/ {print $2; exit}' || true)"
    printf '%-9s running  pid=%-7s 127.0.0.1:%-6s goccy/bigquery-emulator %s (grpc %s, project %s)\n' \
      bigquery "$pid" "$BQ_PORT" "${ver:-$(bq_module_version)}" "$BQ_GRPC_PORT" "$BQ_PROJECT"
  else
    printf '%-9s stopped  %-11s 127.0.0.1:%-6s goccy/bigquery-emulator %s (configured)\n' bigquery "" "$BQ_PORT" "$(bq_module_version)"
    return 1
  fi
}

bigquery_env() {
  print_export BIGQUERY_EMULATOR_HOST "http://127.0.0.1:$BQ_PORT"
  print_export BIGQUERY_PROJECT "$BQ_PROJECT"
}

bigquery_smoke() {
  need_cmd curl
  local base="http://127.0.0.1:$BQ_PORT/bigquery/v2/projects/$BQ_PROJECT" ds="fraudline_smoke_$$" out
  curl -sf --max-time 10 -X POST -H 'Content-Type: application/json' \
    -d "{\"datasetReference\":{\"projectId\":\"$BQ_PROJECT\",\"datasetId\":\"$ds\"}}" "$base/datasets" >/dev/null || return 1
  curl -sf --max-time 10 "$base/datasets" | grep -q "\"$ds\"" || { err "bigquery: dataset $ds not listed"; return 1; }
  out="$(curl -sf --max-time 30 -X POST -H 'Content-Type: application/json' \
    -d '{"query":"SELECT 40 + 2 AS answer","useLegacySql":false}' "$base/queries")" || return 1
  curl -sf --max-time 10 -X DELETE "$base/datasets/$ds?deleteContents=true" >/dev/null || true
  grep -q '"42"' <<<"$out" || { err "bigquery: unexpected query result: $out"; return 1; }
  log "bigquery: created/listed/deleted dataset, SELECT 40 + 2 -> 42 ($base)"
}
