#!/usr/bin/env bash
# Runs a TypeScript CLI entry point with the project's environment. react-server lets it load lib/ (server-only).
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
exec node --conditions=react-server --import tsx "$@"
