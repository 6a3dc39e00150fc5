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
