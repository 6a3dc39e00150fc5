#!/usr/bin/env bash
# npm run demo: set up, pick the engines, build and serve the dashboard on http://localhost:${PORT:-3000}.
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
cd "$ROOT"

bash scripts/setup.sh demo

if [ "$(bash scripts/node-ts.sh scripts/endpoints.ts count-user)" != 0 ]; then
  log "using the endpoints already configured (Settings page)"
elif [ "${LIFEBOAT_LAB:-1}" = 0 ]; then
  bash scripts/node-ts.sh scripts/endpoints.ts register-local
else
  log "no endpoints configured: starting the lab 'demo' (4 Docker engines, one swarm); LIFEBOAT_LAB=0 uses /var/run/docker.sock instead"
  bash scripts/lab/lab.sh up --name demo
  bash scripts/lab/lab.sh status --json --name demo | bash scripts/node-ts.sh scripts/endpoints.ts register-lab
fi

bash scripts/node-ts.sh scripts/admin.ts ensure
log "building the dashboard"
next build >/dev/null
log "serving on http://localhost:${PORT:-3000} (data in $LIFEBOAT_DATA_DIR)"
PORT="${PORT:-3000}" exec bash scripts/serve.sh
