# Why: shared helpers for services.sh (logging, locking, pidfiles, background launch, readiness polling, stop-by-pid).
# Sourced by tools/services/services.sh; expects SERVICES_DIR and READY_TIMEOUT to be set.

log()  { printf '[services %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
err()  { printf '[services %s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { err "$*"; exit 1; }

ensure_services_dir() {
  mkdir -p "$SERVICES_DIR"
  # Other (unprivileged) users, e.g. the postgres user, must be able to traverse it.
  chmod 755 "$SERVICES_DIR" 2>/dev/null || true
}

# Serialize concurrent up/down/reset runs. fd 9 is closed in every launched service (see launch_bg).
take_lock() {
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$SERVICES_DIR/.lock"
  if ! flock -n 9; then
    log "another services.sh run holds $SERVICES_DIR/.lock - waiting (max 15 min)"
    flock -w 900 9 || die "could not acquire $SERVICES_DIR/.lock"
  fi
}

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# pid_cmdline_has <pid> <substring>: guards against acting on a recycled pid.
pid_cmdline_has() {
  local pid="$1" needle="$2" cmd
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"$needle"* ]]
}

read_pidfile() { if [[ -s "$1" ]]; then head -n1 "$1" | tr -dc '0-9'; fi; }

# running_pid <pidfile> <cmdline marker> -> prints the pid if that process is alive and is ours.
running_pid() {
  local pid
  pid="$(read_pidfile "$1")"
  if [[ -n "$pid" ]] && pid_alive "$pid" && pid_cmdline_has "$pid" "$2"; then
    echo "$pid"
  fi
}

port_open() { # port_open <port>
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

port_owner() { # best-effort description of who listens on a port
  if command -v ss >/dev/null 2>&1; then
    ss -ltnpH "sport = :$1" 2>/dev/null | head -n1
  fi
}

# launch_bg <pidfile> <logfile> <cmd...>: start cmd detached (own session, stdin closed), pid of the
# exec'd process itself goes to pidfile; previous log is kept as <logfile>.prev.
launch_bg() {
  local pidfile="$1" logfile="$2"; shift 2
  [[ -f "$logfile" ]] && mv -f "$logfile" "$logfile.prev"
  rm -f "$pidfile"
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >"$logfile" 2>&1 9>&- &
  local _
  for _ in $(seq 1 50); do [[ -s "$pidfile" ]] && return 0; sleep 0.1; done
  err "process did not start (no pidfile $pidfile)"
  return 1
}

# wait_ready <name> <pidfile-or-pid> <logfile> <check-fn> [args...]: poll until check succeeds,
# the process dies, or READY_TIMEOUT expires; prints progress and the log tail on failure.
wait_ready() {
  local name="$1" pid="$2" logfile="$3"; shift 3
  local start=$SECONDS next_note=$((SECONDS + 10))
  while true; do
    if ! pid_alive "$pid"; then
      err "$name: process $pid exited during startup; last lines of $logfile:"
      show_log_tail "$logfile"
      return 1
    fi
    if "$@" >/dev/null 2>&1; then
      log "$name: ready ($((SECONDS - start))s)"
      return 0
    fi
    if (( SECONDS - start >= READY_TIMEOUT )); then
      err "$name: not ready after ${READY_TIMEOUT}s (pid $pid left running - 'down $name' stops it, FRAUDLINE_SERVICES_TIMEOUT raises the limit); last lines of $logfile:"
      show_log_tail "$logfile"
      return 1
    fi
    if (( SECONDS >= next_note )); then
      log "$name: still waiting ($((SECONDS - start))s)..."
      next_note=$((SECONDS + 10))
    fi
    sleep 1
  done
}

show_log_tail() {
  if [[ -f "$1" ]]; then
    tail -n "${FRAUDLINE_SERVICES_LOG_TAIL:-40}" "$1" | sed 's/^/    | /' >&2
  else
    echo "    | (no log file $1)" >&2
  fi
}

# stop_pid <name> <pid> [signal]: signal, wait up to 60s, then SIGKILL; fails if it survives.
stop_pid() {
  local name="$1" pid="$2" sig="${3:-TERM}" _
  log "$name: stopping pid $pid (SIG$sig)"
  kill "-$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 1 600); do pid_alive "$pid" || { log "$name: stopped"; return 0; }; sleep 0.1; done
  err "$name: pid $pid did not exit after 60s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do pid_alive "$pid" || { log "$name: killed"; return 0; }; sleep 0.1; done
  err "$name: pid $pid is still alive"
  return 1
}

# ensure_port_free <name> <port>...: refuse to start if something else listens there.
ensure_port_free() {
  local name="$1" p; shift
  for p in "$@"; do
    if port_open "$p"; then
      err "$name: port 127.0.0.1:$p is already in use by another process: $(port_owner "$p")"
      err "$name: stop it or choose another port (see README: FRAUDLINE_*_PORT)"
      return 1
    fi
  done
}

# Print an export line with shell-safe quoting.
print_export() { printf 'export %s=%q\n' "$1" "$2"; }

need_cmd() { command -v "$1" >/dev/null 2>&1 || die "required command '$1' not found${2:+ ($2)}"; }
