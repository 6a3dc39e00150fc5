#!/usr/bin/env bash
# npm test: lint, types, unit tests, then integration and browser tests against the lab's real engines.
# Reuses a lab that is already up; starts (and afterwards stops) one otherwise. Its own port and data dir.
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
cd "$ROOT"

bash scripts/setup.sh test

log "lint";       eslint --max-warnings=0 .
log "typecheck";  tsc --noEmit
log "unit tests"; vitest run --project unit

started_lab=0
server_pid=""
cleanup() {
  status=$?
  [ -n "$server_pid" ] && kill -- "-$server_pid" 2>/dev/null || true
  [ "$started_lab" = 1 ] && bash scripts/lab/lab.sh down || true
  [ -n "${test_dir:-}" ] && rm -rf "$test_dir"
  exit $status
}
trap cleanup EXIT

if bash scripts/lab/lab.sh status >/dev/null 2>&1; then
  log "reusing the lab that is already up"
else
  started_lab=1
  bash scripts/lab/lab.sh up
fi

test_dir="$(mktemp -d /tmp/lifeboat-test.XXXXXX)"
export LIFEBOAT_DATA_DIR="$test_dir/data"
mkdir -p "$LIFEBOAT_DATA_DIR"
export DATABASE_URL="file:$LIFEBOAT_DATA_DIR/lifeboat.db"
export LIFEBOAT_ADMIN_PASSWORD="test-$(openssl rand -hex 12)"
export LIFEBOAT_LAB_JSON="$test_dir/lab.json"
export LIFEBOAT_DIST_DIR=.next-test
port="${LIFEBOAT_TEST_PORT:-$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")}"
export LIFEBOAT_BASE_URL="http://localhost:$port"

bash scripts/db.sh migrate
bash scripts/lab/lab.sh status --json > "$LIFEBOAT_LAB_JSON"
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
