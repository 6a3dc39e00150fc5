#!/usr/bin/env bash
# npm test: lint, types, unit tests, then integration and browser tests against real engines.
# All of its own, so that it runs beside `npm run demo` and the benchmarks: its own lab (`test`:
# reused if it is up or repairable, else started here and taken down at the end), its own data
# dir (the demo's ./data and its lab are never touched), port and build dir.
set -euo pipefail
# The test's own data dir BEFORE anything uses the default one: env.sh and setup.sh's migration.
test_dir="$(mktemp -d /tmp/lifeboat-test.XXXXXX)"
export LIFEBOAT_DATA_DIR="$test_dir/data"
mkdir -p "$LIFEBOAT_DATA_DIR"
source "$(dirname "$0")/lib/env.sh"
cd "$ROOT"
# The lab of every lab.sh call below, the tests' included (e2e/support/lab.ts passes it on).
export LIFEBOAT_LAB_NAME=test

started_lab=0
server_pid=""
cleanup() {
  status=$?
  [ -n "$server_pid" ] && kill -- "-$server_pid" 2>/dev/null || true
  # A lab this run brought up goes entirely (--purge: its CA too; no dashboard relies on it).
  [ "$started_lab" = 1 ] && bash scripts/lab/lab.sh down --purge --name "$LIFEBOAT_LAB_NAME" || true
  rm -rf "$test_dir"
  exit $status
}
trap cleanup EXIT

bash scripts/setup.sh test # installs what is missing; migrates $LIFEBOAT_DATA_DIR (the test's database)

log "lint";       eslint --max-warnings=0 .
log "format";     prettier --check --log-level=warn . || die "the files above are not formatted: run npm run format"
log "typecheck";  tsc --noEmit
log "unit tests"; vitest run --project unit

case "$(bash scripts/lab/lab.sh state --name "$LIFEBOAT_LAB_NAME")" in
  up) log "reusing the lab '$LIFEBOAT_LAB_NAME' that is already up" ;;
  repairable) log "reusing the lab '$LIFEBOAT_LAB_NAME' (repairing it first)" ;;
  *) started_lab=1 ;; # absent, or to be rebuilt: this run brings it up, and takes it down at the end
esac
bash scripts/lab/lab.sh up --name "$LIFEBOAT_LAB_NAME" --controllers 3

export DATABASE_URL="file:$LIFEBOAT_DATA_DIR/lifeboat.db"
export LIFEBOAT_ADMIN_PASSWORD="test-$(openssl rand -hex 12)"
export LIFEBOAT_LAB_JSON="$test_dir/lab.json"
export LIFEBOAT_DIST_DIR=.next-test
port="${LIFEBOAT_TEST_PORT:-$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")}"
export LIFEBOAT_BASE_URL="http://localhost:$port"

bash scripts/lab/lab.sh status --json --name "$LIFEBOAT_LAB_NAME" > "$LIFEBOAT_LAB_JSON"
bash scripts/node-ts.sh scripts/endpoints.ts register-lab < "$LIFEBOAT_LAB_JSON"
bash scripts/node-ts.sh scripts/admin.ts ensure >/dev/null
export LIFEBOAT_API_TOKEN="$(bash scripts/node-ts.sh scripts/token.ts create tests | tail -n 1)"

log "building the dashboard for the tests"
next build >/dev/null
PORT="$port" setsid node scripts/serve.mjs > "$test_dir/server.log" 2>&1 &
server_pid=$!
deadline=$((SECONDS + 60))
until curl -fs -o /dev/null "$LIFEBOAT_BASE_URL/login"; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$test_dir/server.log"; die "the test server exited"; }
  [ $SECONDS -lt $deadline ] || die "the test server did not answer within 60 s"
  sleep 0.2
done

log "integration tests (lab)"; vitest run --project integration
log "browser and API tests (Chromium)"; playwright test
