#!/usr/bin/env bash
# setup.sh [demo|test]: installs what is missing on a fresh Debian machine, then prepares the database.
# Idempotent and quick when everything is already there.
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
cd "$ROOT"

purpose="${1:-demo}"

# command -> Debian package
declare -A packages=(
  [dockerd]=docker.io [busybox]=busybox-static [openssl]=openssl [ip]=iproute2 [nsenter]=util-linux [gpg]=gnupg [tar]=tar [curl]=curl
)
[ "$purpose" = test ] && packages[chromium]=chromium

missing=()
for command in "${!packages[@]}"; do
  [ "$command" = busybox ] && { [ -x /bin/busybox ] || missing+=("${packages[$command]}"); continue; }
  command -v "$command" >/dev/null 2>&1 || missing+=("${packages[$command]}")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing Debian packages (${missing[*]}): run as root, or install them first"
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm ci when node_modules is missing or older than the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages (npm ci; better-sqlite3 compiles from source, about a minute)"
  npm ci --no-audit --no-fund --loglevel=error
fi
node -e "require('better-sqlite3')(':memory:')" 2>/dev/null || { log "rebuilding better-sqlite3"; npm rebuild better-sqlite3 >/dev/null; }

node scripts/helper-image.mjs # Lifeboat's helper image (build/helper-image.tar), the same bytes each time
bash scripts/db.sh migrate 2>/dev/null || bash scripts/db.sh migrate
