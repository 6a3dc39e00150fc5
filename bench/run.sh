#!/usr/bin/env bash
# npm run bench:<name>: a benchmark against its own lab (`bench`: reused if it is up or repairable,
# else started and afterwards taken down by bench/bench-lab.ts), with a fresh test build.
set -euo pipefail
# Setup's migration goes to a scratch data dir, never the demo's ./data (each server the
# benchmark starts gets a data dir of its own anyway).
scratch="$(mktemp -d /tmp/lifeboat-bench-setup.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
export LIFEBOAT_DATA_DIR="$scratch/data"
mkdir -p "$LIFEBOAT_DATA_DIR"
source "$(dirname "$0")/../scripts/lib/env.sh"
cd "$ROOT"
export LIFEBOAT_LAB_NAME=bench
bash scripts/setup.sh test
export LIFEBOAT_DIST_DIR=.next-test
next build >/dev/null
# One benchmark at a time on the lab, from whichever checkout: two would stop the same UCP and share the cores.
exec 9>"/run/lock/lifeboat-bench-$LIFEBOAT_LAB_NAME.lock"
flock -n 9 || { log "another benchmark runs on the lab '$LIFEBOAT_LAB_NAME': waiting for it"; flock 9; }
node --import tsx "bench/$1.ts"
