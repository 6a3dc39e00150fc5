#!/usr/bin/env bash
# Runs a command with the project's environment (data directory, Prisma's offline engines, no telemetry).
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
exec "$@"
