#!/usr/bin/env bash
# npm run bench:<name>: a benchmark against the lab, with a fresh test build.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/env.sh"
cd "$ROOT"
bash scripts/setup.sh test
export LIFEBOAT_DIST_DIR=.next-test
next build >/dev/null
exec node --import tsx "bench/$1.ts"
