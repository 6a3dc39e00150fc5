#!/usr/bin/env bash
# Lifeboat lab: four real Docker engines (ctrl-1..3 managers, worker-1) in one swarm, with
# UCP-like volumes and containers. Usage: lab.sh up|down|status [--json]|kill|start|pause|resume NAME
# Progress goes to stderr ("lab: ..."); stdout is only for `status`.
set -Eeuo pipefail
shopt -s inherit_errexit
export LC_ALL=C # EPOCHREALTIME, sort, awk: no locale surprises
export PATH=/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH} # system tools first (not /usr/local/bin/docker)

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=config.sh
. "$LAB_DIR/config.sh"
# shellcheck source=common.sh
. "$LAB_DIR/common.sh"
# shellcheck source=net.sh
. "$LAB_DIR/net.sh"
# shellcheck source=tls.sh
. "$LAB_DIR/tls.sh"
# shellcheck source=engines.sh
. "$LAB_DIR/engines.sh"
# shellcheck source=swarm.sh
. "$LAB_DIR/swarm.sh"
# shellcheck source=fixtures.sh
. "$LAB_DIR/fixtures.sh"
# shellcheck source=status.sh
. "$LAB_DIR/status.sh"

trap 'lab_on_err $? $LINENO "$BASH_COMMAND"' ERR

lab_usage() {
  cat >&2 <<EOF
usage: lab.sh up | down | status [--json] | kill NAME | start NAME | pause NAME | resume NAME
  NAME is one of: ${LAB_NODES[*]}
EOF
}

# One lab command at a time (status excepted). The lock is on this script file, so that it
# leaves nothing behind; engines are started with fd 9 closed.
lab_lock() {
  exec 9<"$LAB_DIR/lab.sh"
  flock -w 600 9 || lab_die "another lab command is still running (waited 600s)"
}

lab_check_prereqs() {
  ((EUID == 0)) || lab_die "must run as root"
  local b
  for b in "$LAB_DOCKER" "$LAB_DOCKERD" /usr/bin/containerd /usr/bin/containerd-shim-runc-v2 \
    /usr/bin/docker-init "$LAB_BUSYBOX" /usr/bin/openssl /usr/bin/nsenter /usr/bin/unshare /usr/bin/setsid; do
    [[ -x $b ]] || lab_die "missing $b (install: docker.io busybox-static openssl iproute2 util-linux)"
  done
  command -v ip >/dev/null || lab_die "missing ip (install iproute2)"
  command -v runc >/dev/null || [[ -x /usr/sbin/runc ]] || lab_die "missing runc"
}

lab_cmd_up() {
  local t0
  t0=$(lab_now_ms)
  lab_probe
  if lab_probe_healthy; then
    lab_log "already up"
    return 0
  fi
  lab_log "bringing the lab up (cleaning any stale state first)"
  lab_cleanup_all
  mkdir -p "$LAB_RUN" "$LAB_DATA" "$LAB_IMAGE_DIR"
  chmod 0755 "$LAB_RUN" "$LAB_DATA"

  lab_net_up
  lab_tls_setup
  local node
  for node in "${LAB_NODES[@]}"; do lab_engine_launch "$node"; done
  lab_log "engines: dockerd launched on ${LAB_NODES[*]}; staging fixtures meanwhile"
  lab_image_build_tar
  lab_fixtures_stage
  lab_for_nodes_parallel "starting engines" lab_engine_wait_started "${LAB_NODES[@]}"

  lab_swarm_create
  lab_image_distribute
  lab_for_nodes_parallel "creating volumes and containers" lab_node_fixtures "${LAB_NODES[@]}"
  lab_tls_verify

  lab_probe
  lab_probe_healthy -v || lab_die "the lab came up but is not healthy"
  lab_log "up in $(lab_elapsed "$t0")"
}

lab_cmd_down() {
  local t0
  t0=$(lab_now_ms)
  lab_cleanup_all
  lab_log "down in $(lab_elapsed "$t0"): no lab processes, mounts, namespaces, links or files left"
}

lab_main() {
  local cmd=${1:-}
  [[ -n $cmd ]] || {
    lab_usage
    exit 2
  }
  shift
  case $cmd in
  up | down | kill | start | pause | resume)
    lab_check_prereqs
    lab_lock
    ;;
  status) lab_check_prereqs ;;
  -h | --help | help)
    lab_usage
    exit 0
    ;;
  *)
    lab_usage
    exit 2
    ;;
  esac
  case $cmd in
  up | down) (($# == 0)) || lab_die "$cmd takes no arguments" ;;
  kill | start | pause | resume)
    (($# == 1)) || lab_die "usage: lab.sh $cmd NAME (one of: ${LAB_NODES[*]})"
    lab_require_node "$1"
    ;;
  esac
  case $cmd in
  up) lab_cmd_up ;;
  down) lab_cmd_down ;;
  status) lab_cmd_status "$@" || exit $? ;; # 1 = not fully up (not an error)
  kill) lab_cmd_kill "$1" ;;
  start) lab_cmd_start "$1" ;;
  pause) lab_cmd_pause "$1" ;;
  resume) lab_cmd_resume "$1" ;;
  esac
}

lab_main "$@"
