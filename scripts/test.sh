#!/usr/bin/env bash
# npm test: lint, types, unit tests, then integration and browser tests against real engines.
# All of its own, so that it runs beside `npm run demo` and the benchmarks: its own labs (`test`, three
# controllers, and `one`, one controller: each reused if it is up or repairable, else started here and
# taken down at the end), its own data dirs (the demo's ./data and its lab are never touched), ports and
# build dir. LIFEBOAT_LAB_NAME and LIFEBOAT_ONE_LAB_NAME name other labs, for runs side by side.
set -euo pipefail
# The test's own data dir BEFORE anything uses the default one: env.sh and setup.sh's migration.
test_dir="$(mktemp -d /tmp/lifeboat-test.XXXXXX)"
export LIFEBOAT_DATA_DIR="$test_dir/data"
mkdir -p "$LIFEBOAT_DATA_DIR"
source "$(dirname "$0")/lib/env.sh"
cd "$ROOT"
# The lab of every lab.sh call below, the tests' included (e2e/support/lab.ts passes it on).
export LIFEBOAT_LAB_NAME="${LIFEBOAT_LAB_NAME:-test}"
# The one-controller lab, for the tests of e2e/one-controller/ (their own server: LIFEBOAT_ONE_*).
one_lab="${LIFEBOAT_ONE_LAB_NAME:-one}"
[ "$one_lab" != "$LIFEBOAT_LAB_NAME" ] || die "the one-controller lab must be another lab than '$LIFEBOAT_LAB_NAME'"

started_labs=()
lab_pid=""
one_lab_pid=""
server_pids=()
cleanup() {
  status=$?
  for pid in "${server_pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
  for pid in $lab_pid $one_lab_pid; do kill -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  # A lab this run brought up goes entirely (--purge: its CA too; no dashboard relies on it).
  for lab in "${started_labs[@]}"; do bash scripts/lab/lab.sh down --purge --name "$lab" || true; done
  rm -rf "$test_dir"
  exit $status
}
trap cleanup EXIT

# use_lab LAB: is LAB to be brought up by this run (absent, or to be rebuilt), and so taken down at the end?
use_lab() {
  case "$(bash scripts/lab/lab.sh state --name "$1")" in
    up) log "reusing the lab '$1' that is already up" ;;
    repairable) log "reusing the lab '$1' (repairing it first)" ;;
    *) started_labs+=("$1") ;;
  esac
}

# serve PREFIX LAB DATA_DIR: a test server of its own on a free port, serving the test build with DATA_DIR
# (migrated here) and LAB's engines over mutual TLS, with its admin and an API token. Exports
# ${PREFIX}BASE_URL, ${PREFIX}API_TOKEN, ${PREFIX}ADMIN_PASSWORD and ${PREFIX}LAB_JSON for the tests.
serve() {
  local prefix="$1" lab="$2" data="$3"
  local url password token json="$test_dir/lab-$lab.json" port pid
  password="test-$(openssl rand -hex 12)"
  port="$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")"
  [ "$prefix" = LIFEBOAT_ ] && [ -n "${LIFEBOAT_TEST_PORT:-}" ] && port="$LIFEBOAT_TEST_PORT"
  url="http://localhost:$port"
  bash scripts/lab/lab.sh status --json --name "$lab" > "$json"
  token="$(
    export LIFEBOAT_DATA_DIR="$data" DATABASE_URL="file:$data/lifeboat.db" LIFEBOAT_ADMIN_PASSWORD="$password"
    mkdir -p "$data"
    bash scripts/db.sh migrate 2>/dev/null || bash scripts/db.sh migrate >&2
    bash scripts/node-ts.sh scripts/endpoints.ts register-lab < "$json" >&2
    bash scripts/node-ts.sh scripts/admin.ts ensure >/dev/null
    bash scripts/node-ts.sh scripts/token.ts create tests | tail -n 1
  )"
  # Short receive and upload-idle limits, so that e2e/security.spec.ts sees slow clients cut in seconds.
  LIFEBOAT_DATA_DIR="$data" DATABASE_URL="file:$data/lifeboat.db" LIFEBOAT_ADMIN_PASSWORD="$password" PORT="$port" \
    LIFEBOAT_REQUEST_TIMEOUT_MS=8000 LIFEBOAT_UPLOAD_IDLE_MS=6000 setsid bash scripts/serve.sh > "$data/server.log" 2>&1 &
  pid=$!
  server_pids+=("$pid")
  wait_until_serving "$url" "$pid" "$data/server.log" "the test server of lab '$lab'"
  export "${prefix}BASE_URL=$url" "${prefix}API_TOKEN=$token" "${prefix}ADMIN_PASSWORD=$password" "${prefix}LAB_JSON=$json"
}

# step WHAT: a phase begins, with the minutes and seconds since the start (where a slow run spends its time).
step() { log "$* (at $((SECONDS / 60))m$((SECONDS % 60))s)"; }

step "setup"
bash scripts/setup.sh test # installs what is missing; migrates $LIFEBOAT_DATA_DIR (the test's database)

# Both labs come up (or are repaired) meanwhile, 10 to 60 s each: the one-controller lab's tests are the last to run.
use_lab "$LIFEBOAT_LAB_NAME"
setsid bash scripts/lab/lab.sh up --name "$LIFEBOAT_LAB_NAME" --controllers 3 > "$test_dir/lab-$LIFEBOAT_LAB_NAME.log" 2>&1 &
lab_pid=$!
use_lab "$one_lab"
setsid bash scripts/lab/lab.sh up --name "$one_lab" --controllers 1 > "$test_dir/lab-$one_lab.log" 2>&1 &
one_lab_pid=$!

step "lint";       eslint --max-warnings=0 .
step "format";     prettier --check --log-level=warn . || die "the files above are not formatted: run npm run format"
export LIFEBOAT_DIST_DIR=.next-test
# With the route types Next.js generates (page and route props), so that the build need not check them again.
step "typecheck";  next typegen >/dev/null && tsc --noEmit
step "unit tests"; vitest run --project unit

step "the lab '$LIFEBOAT_LAB_NAME'"
wait "$lab_pid" || { cat "$test_dir/lab-$LIFEBOAT_LAB_NAME.log"; die "the lab '$LIFEBOAT_LAB_NAME' did not come up"; }
lab_pid=""

step "building the dashboard for the tests"
LIFEBOAT_TYPES_CHECKED=1 next build >/dev/null

# The main test server: its data dir is the one setup.sh migrated, and the integration tests use it too.
serve LIFEBOAT_ "$LIFEBOAT_LAB_NAME" "$LIFEBOAT_DATA_DIR"
export DATABASE_URL="file:$LIFEBOAT_DATA_DIR/lifeboat.db"

wait "$one_lab_pid" || { cat "$test_dir/lab-$one_lab.log"; die "the lab '$one_lab' did not come up"; }
one_lab_pid=""
export LIFEBOAT_ONE_LAB_NAME="$one_lab"
serve LIFEBOAT_ONE_ "$one_lab" "$test_dir/one-data"

step "integration tests (lab)"; vitest run --project integration
step "browser and API tests (Chromium)"; playwright test
step "done"
