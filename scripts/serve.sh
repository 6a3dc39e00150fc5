#!/usr/bin/env bash
# Starts scripts/serve.mjs in this process (exec: the server keeps this pid, for signals and kills) with
# the V8 flags it needs. A heap that starts with room (--initial-old-space-size) is one the archives'
# buffers do not keep collecting: with V8's default, a 1 GiB backup ran over a hundred full collections
# of the whole dashboard's heap, and the server spent about 40% more CPU (see README, Speed).
exec node --initial-old-space-size=128 "$(dirname "$0")/serve.mjs" "$@"
