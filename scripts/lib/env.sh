# Sourced by every project script: one place for the environment that Prisma, Next.js and the app need.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export LIFEBOAT_DATA_DIR="$(mkdir -p "${LIFEBOAT_DATA_DIR:-$ROOT/data}" && cd "${LIFEBOAT_DATA_DIR:-$ROOT/data}" && pwd)"
export DATABASE_URL="file:$LIFEBOAT_DATA_DIR/lifeboat.db"
# Prisma 6.19 runs its JS/WebAssembly engines offline; without these it tries to download native ones.
export PRISMA_SCHEMA_ENGINE_BINARY=/bin/false
export PRISMA_QUERY_ENGINE_LIBRARY=/bin/false
export PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING=1
export PRISMA_HIDE_UPDATE_MESSAGE=1
export NEXT_TELEMETRY_DISABLED=1
export PATH="$ROOT/node_modules/.bin:$PATH"

log() { printf 'lifeboat: %s\n' "$*" >&2; }
die() { printf 'lifeboat: error: %s\n' "$*" >&2; exit 1; }

# wait_until_serving URL PID LOG WHAT: waits (60 s at most) for the server PID to answer URL/login; if it
# exits or stays silent, prints its LOG and dies naming WHAT.
wait_until_serving() {
  local url="$1" pid="$2" server_log="$3" what="$4" deadline=$((SECONDS + 60))
  until curl -fs -o /dev/null "$url/login"; do
    kill -0 "$pid" 2>/dev/null || { cat "$server_log"; die "$what exited"; }
    [ $SECONDS -lt $deadline ] || { cat "$server_log"; die "$what did not answer within 60 s"; }
    sleep 0.2
  done
}
