#!/usr/bin/env bash
# The Docker image's build without Docker (none on CI): copies what the Dockerfile's build stage COPYs into a clean folder, runs its RUN lines there, then runs the built apps and the HEALTHCHECK as the final image would.
# Usage: bash tools/docker/docker-install-check.sh   (KEEP=1 keeps the folder for a look). Reuses the npm cache, so it takes a few minutes.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dockerfile="$root/Dockerfile"
work="$(mktemp -d "${TMPDIR:-/tmp}/docker-install-check.XXXXXX")"
subscriber_pid=""

cleanup() {
  if [ -n "$subscriber_pid" ]; then kill "$subscriber_pid" 2>/dev/null || true; fi
  if [ -n "${KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() { echo "docker-install-check: $*" >&2; exit 1; }
step() { printf '\n--- %s\n' "$*"; }

# ---- Read the Dockerfile: the build stage's steps in order, and the final stage's ENV and HEALTHCHECK.
build_steps=()
final_env=()
healthcheck=""
stage=0
while IFS= read -r line || [ -n "$line" ]; do
  while [[ "$line" == *\\ ]] && IFS= read -r next; do line="${line%\\}$next"; done
  read -r instruction args <<<"$line" || true
  [[ -z "${instruction:-}" || "$instruction" == \#* ]] && continue
  instruction="${instruction^^}"
  if [ "$instruction" = FROM ]; then stage=$((stage + 1)); continue; fi
  if [ "$stage" -eq 1 ]; then
    case "$instruction" in
      WORKDIR | COPY | ENV) build_steps+=("$instruction $args") ;;
      RUN)
        [[ "$args" == \[* || "$args" == --* ]] && fail "only shell-form RUN lines without flags are reproduced: $line"
        build_steps+=("RUN $args")
        ;;
      *) fail "the build stage uses $instruction, which this check does not reproduce: teach it, or move the step into tools/docker/install-and-build.sh" ;;
    esac
  else
    case "$instruction" in
      ENV) final_env+=("$args") ;;
      HEALTHCHECK) healthcheck="${args#*CMD }" ;;
    esac
  fi
done <"$dockerfile"
[ "$stage" -ge 2 ] || fail "expected a build stage and a final stage in $dockerfile"
[[ "$healthcheck" == \[* ]] || fail "expected an exec-form HEALTHCHECK CMD [...] in the final stage"

# Files as the build context holds them: tracked or new, not ignored by git (.gitignore covers what .dockerignore leaves out).
context_files() { (cd "$root" && git ls-files -z --cached --others --exclude-standard -- "$1"); }

workdir="/"
copy_into_build() { # COPY [--chown=…] <source>… <destination>, relative to the build context and WORKDIR
  local parts sources dest source target file
  read -ra parts <<<"$1"
  while [[ "${parts[0]}" == --* ]]; do
    [[ "${parts[0]}" == --chown=* || "${parts[0]}" == --chmod=* ]] || fail "COPY ${parts[0]} is not reproduced"
    parts=("${parts[@]:1}")
  done
  [[ "${parts[0]}" == \[* ]] && fail "exec-form COPY is not reproduced: COPY $1"
  dest="${parts[-1]}"
  sources=("${parts[@]:0:${#parts[@]}-1}")
  [[ "$dest" == /* ]] || dest="$workdir/$dest"
  for source in "${sources[@]}"; do
    source="${source%/}"
    [ -e "$root/$source" ] || fail "COPY source $source is not in the build context"
    if [ -d "$root/$source" ]; then
      while IFS= read -r -d '' file; do
        [ -f "$root/$file" ] || continue # deleted in the work tree
        target="$work$dest/${file#"$source"/}"
        mkdir -p "$(dirname "$target")" && cp -p "$root/$file" "$target"
      done < <(context_files "$source")
    else
      if [[ "$dest" == */ ]]; then target="$work$dest$(basename "$source")"; else target="$work$dest"; fi
      mkdir -p "$(dirname "$target")" && cp -p "$root/$source" "$target"
    fi
  done
}

# ---- The build stage, step by step, in $work standing for the image's root.
for build_step in "${build_steps[@]}"; do
  instruction="${build_step%% *}"
  args="${build_step#* }"
  step "$instruction $args"
  case "$instruction" in
    WORKDIR)
      [[ "$args" == /* ]] || args="$workdir/$args"
      workdir="$args"
      mkdir -p "$work$workdir"
      ;;
    COPY) copy_into_build "$args" ;;
    ENV)
      [[ "$args" == *=* ]] || fail "only ENV KEY=value is reproduced: ENV $args"
      eval "export $args"
      ;;
    RUN) (cd "$work$workdir" && sh -c "$args" </dev/null) || fail "RUN $args failed" ;;
  esac
done

# ---- The final image: its ENV, no pipeline variable from this shell, the built apps and the HEALTHCHECK.
app="$work$workdir"
cd "$app"
for assignment in "${final_env[@]}"; do eval "export $assignment"; done
for variable in $(node --input-type=module -e "import { pipelineEnvSchema } from '@fraudline/runtime'; console.log(Object.keys(pipelineEnvSchema.shape).join(' '))"); do
  unset "$variable"
done

step "the built apps start (--help, --version) with production dependencies only"
entry_points=(apps/*/dist/main.js)
[ -f "${entry_points[0]}" ] || fail "no app was built (apps/*/dist/main.js)"
for main in "${entry_points[@]}"; do
  node "$main" --help >/dev/null || fail "node $main --help failed"
  echo "$main $(node "$main" --version)"
done

run_healthcheck() { node -e 'const [c, ...a] = JSON.parse(process.argv[1]); process.exit(require("node:child_process").spawnSync(c, a, { stdio: "inherit" }).status ?? 1)' "$healthcheck"; }
free_port() { node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }

step "HEALTHCHECK $healthcheck"
run_healthcheck || fail "the health check fails for an app without an ops server"
echo "healthy with no ops server to ask"

export DATA_DIR="$work/healthcheck-data" PORT OPS_HOST=127.0.0.1
PORT="$(free_port)"
# Compose runs `batch-loader migrate` before the apps; the embedded database needs it as well once the app has the command.
batch_loader_help="$(node apps/batch-loader/dist/main.js --help)"
if grep -q '^  migrate' <<<"$batch_loader_help"; then
  node apps/batch-loader/dist/main.js migrate >/dev/null || fail "batch-loader migrate failed"
fi
node apps/subscriber/dist/main.js >"$work/subscriber.log" 2>&1 &
subscriber_pid=$!
deadline=$((SECONDS + 90))
until run_healthcheck 2>/dev/null; do
  kill -0 "$subscriber_pid" 2>/dev/null || { cat "$work/subscriber.log"; fail "the subscriber exited"; }
  [ "$SECONDS" -lt "$deadline" ] || { cat "$work/subscriber.log"; fail "the subscriber's /healthz did not answer within 90 s"; }
  sleep 1
done
echo "healthy: the subscriber answers /healthz on $OPS_HOST:$PORT"
if PORT="$(free_port)" run_healthcheck 2>/dev/null; then fail "the health check passes while nothing answers on the subscriber's PORT"; fi
echo "unhealthy when the subscriber's /healthz does not answer"
kill -TERM "$subscriber_pid"
wait "$subscriber_pid" || { cat "$work/subscriber.log"; fail "the subscriber did not stop cleanly on SIGTERM"; }
subscriber_pid=""

step "docker-install-check passed"
