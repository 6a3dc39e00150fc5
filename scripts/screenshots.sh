#!/usr/bin/env bash
# npm run screenshots: the README's pictures, taken by Chromium from a real run against the lab 'demo'
# (started or repaired, never re-keyed): the home page, a backup in progress, the history with its chart,
# a node's charts and a verified restore, in the light and the dark theme, into docs/screenshots/.
# A data dir, build dir and port of its own: it runs beside `npm run demo` and `npm test`. A lab it had to
# start, it takes down again; one that was up stays.
set -euo pipefail
work="$(mktemp -d /tmp/lifeboat-shots.XXXXXX)"
export LIFEBOAT_DATA_DIR="$work/data"
mkdir -p "$LIFEBOAT_DATA_DIR"
source "$(dirname "$0")/lib/env.sh"
cd "$ROOT"
lab="${LIFEBOAT_SHOTS_LAB:-demo}"
server_pid=""
started_lab=""
cleanup() {
  status=$?
  [ -n "$server_pid" ] && { kill -- "-$server_pid" 2>/dev/null || true; }
  [ -n "$started_lab" ] && { bash scripts/lab/lab.sh down --purge --name "$started_lab" || true; }
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT

bash scripts/setup.sh test
[ "$(bash scripts/lab/lab.sh state --name "$lab")" = absent ] && started_lab="$lab"
bash scripts/lab/lab.sh up --name "$lab"
export LIFEBOAT_DIST_DIR=.next-shots
log "building the dashboard"
next build >/dev/null

export DATABASE_URL="file:$LIFEBOAT_DATA_DIR/lifeboat.db" LIFEBOAT_ADMIN_PASSWORD="shots-$(openssl rand -hex 12)"
bash scripts/lab/lab.sh status --json --name "$lab" | bash scripts/node-ts.sh scripts/endpoints.ts register-lab >/dev/null
bash scripts/node-ts.sh scripts/admin.ts ensure >/dev/null
token="$(bash scripts/node-ts.sh scripts/token.ts create screenshots | tail -n 1)"
port="$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")"
PORT="$port" setsid bash scripts/serve.sh > "$work/server.log" 2>&1 &
server_pid=$!
wait_until_serving "http://localhost:$port" "$server_pid" "$work/server.log" "the server"

log "taking the screenshots"
LIFEBOAT_BASE_URL="http://localhost:$port" LIFEBOAT_API_TOKEN="$token" node scripts/screenshots.mjs docs/screenshots
log "done: docs/screenshots/"
