#!/usr/bin/env bash
# db.sh migrate         apply committed migrations to $LIFEBOAT_DATA_DIR/lifeboat.db (WAL mode)
# db.sh new NAME        write a migration for the changes in prisma/schema.prisma
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
cd "$ROOT"

case "${1:-}" in
  migrate)
    db="$LIFEBOAT_DATA_DIR/lifeboat.db"
    # Prisma's migrator cannot lock a database another process has open; say so instead of timing out.
    # One find over every process's open files: a readlink per file takes minutes beside a few labs.
    holders="$( (find /proc/[0-9]*/fd -maxdepth 1 -lname "$db" 2>/dev/null || true) | cut -d/ -f3 | sort -u | tr '\n' ' ')"
    [ -z "$holders" ] || die "$db is open in process(es) $holders(a Lifeboat server still running?): stop it, then run this again"
    # The client is generated from the schema: only when the schema is newer than it.
    [ lib/generated/prisma/client.ts -nt prisma/schema.prisma ] || prisma generate >/dev/null
    prisma migrate deploy >/dev/null
    # WAL lets the server and the CLI scripts write the same file; it is a property of the file.
    node -e "require('better-sqlite3')(process.argv[1]).pragma('journal_mode = WAL')" "$db"
    # The database holds every manifest (each file's SHA-256): no other local user reads it.
    chmod 700 "$LIFEBOAT_DATA_DIR"
    chmod 600 "$db" "$db-wal" "$db-shm" 2>/dev/null || true
    ;;
  new)
    name="${2:?usage: db.sh new NAME}"
    # With the JS engine, neither `migrate dev` nor a shadow database works here, so diff the committed
    # schema (which the committed migrations produce) against the working one.
    previous="$(mktemp)"
    trap 'rm -f "$previous"' EXIT
    git show HEAD:prisma/schema.prisma > "$previous"
    dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$name"
    mkdir -p "$dir"
    prisma migrate diff --from-schema-datamodel "$previous" --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
    log "wrote $dir/migration.sql"
    ;;
  *) die "usage: db.sh migrate | new NAME" ;;
esac
