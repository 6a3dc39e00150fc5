#!/usr/bin/env bash
# Lifeboat lab: real Docker engines (ctrl-1..ctrl-C managers, worker-1) in one swarm, with
# UCP-like volumes and containers. Several labs run side by side, one per purpose (--name).
# Usage: lab.sh COMMAND [--name LAB] [--controllers 1|3|5] [...] (see lab_usage below).
# Progress goes to stderr ("lab: ..."); stdout is only for `status` and `state`.
set -Eeuo pipefail
shopt -s inherit_errexit
export LC_ALL=C # EPOCHREALTIME, sort, awk: no locale surprises
export PATH=/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH} # system tools first (not /usr/local/bin/docker)

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=config.sh
. "$LAB_DIR/config.sh"
# shellcheck source=common.sh
. "$LAB_DIR/common.sh"
# shellcheck source=labs.sh
. "$LAB_DIR/labs.sh"
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

lab_set_err_trap

lab_usage() {
  cat >&2 <<USAGE
usage: lab.sh COMMAND [--name LAB] [--controllers 1|3|5]   (options anywhere after COMMAND)
  up                 create the lab; or repair it; or, if it is broken beyond repair, rebuild it (same CA)
  down [--purge]     remove everything of the lab but its CA dir (--purge: that too)
  status [--json]    the lab's nodes; exit 0 if it is fully up, 1 if not
  state              what \`up\` would do: up (nothing), repairable, broken (rebuild), absent (create)
  kill NODE | start NODE | pause NODE | resume NODE
                     SIGKILL / start again / SIGSTOP / SIGCONT one engine
  --name LAB         1 to 8 characters a-z 0-9 (default: \$LIFEBOAT_LAB_NAME, else $LAB_NAME_DEFAULT)
  --controllers N    ${LAB_CONTROLLER_COUNTS[*]} (default $LAB_CONTROLLERS_DEFAULT): fixed when the lab is created
  NODE               ${LAB_CONTROLLER_PREFIX}1..${LAB_CONTROLLER_PREFIX}N, ${LAB_WORKER_NODES[*]}
USAGE
}

lab_check_prereqs() {
  ((EUID == 0)) || lab_die "must run as root"
  local b
  for b in "$LAB_DOCKER" "$LAB_DOCKERD" /usr/bin/containerd /usr/bin/containerd-shim-runc-v2 \
    /usr/bin/docker-init "$LAB_BUSYBOX" /usr/bin/openssl /usr/bin/nsenter /usr/bin/unshare /usr/bin/setsid /usr/bin/curl; do
    [[ -x $b ]] || lab_die "missing $b (install: docker.io busybox-static openssl iproute2 util-linux curl)"
  done
  command -v ip >/dev/null || lab_die "missing ip (install iproute2)"
  command -v runc >/dev/null || [[ -x /usr/sbin/runc ]] || lab_die "missing runc"
}

# --- up: create, repair or rebuild ----------------------------------------------------------------

# Why `up` cannot repair the existing lab in place (prints nothing if it can).
lab_why_not_repairable() {
  local node
  if ((LAB_S_BUILT != 1)); then
    echo "it was never completely built"
  elif ! lab_net_is_up; then
    echo "its network (bridge $LAB_BRIDGE, namespaces, addresses) is gone or incomplete: after a reboot?"
  elif ! lab_tls_files_present || ! lab_tls_ca_valid; then
    echo "its TLS files are missing"
  else
    for node in "${LAB_NODES[@]}"; do
      if [[ ! -d $(lab_data_root "$node")/swarm ]]; then
        echo "$node's data-root is gone"
        return 0
      fi
    done
  fi
}

# One engine, from the state lab_probe found it in, back to answering on its socket.
lab_engine_repair() {
  local node=$1 state=${LAB_P_STATE[$1]} pid=${LAB_P_PID[$1]:-}
  case $state in
  answering) ;;
  paused)
    lab_log "$node: dockerd (pid $pid) is paused: resuming it (SIGCONT)"
    kill -CONT "$pid"
    lab_engine_wait "$node"
    ;;
  unresponsive)
    lab_log "$node: dockerd (pid $pid) does not answer: giving it ${LAB_T_ENGINE}s"
    if ! lab_poll_until "$LAB_T_ENGINE" lab_engine_answers "$node"; then
      lab_log "$node: still no answer: killing it (SIGKILL) to start it again"
      lab_kill9_and_wait "$node's dockerd" "$pid"
      lab_engine_restart "$node"
    fi
    ;;
  *)
    lab_log "$node: dockerd is not running: starting it again"
    lab_engine_restart "$node"
    ;;
  esac
}

# Repair in place (after lab_probe): engines started again or resumed, the swarm healthy again,
# image, volumes and containers as `up` made them. Dies if that does not work out.
lab_repair() {
  local node
  lab_for_nodes_parallel "repairing engines" lab_engine_repair "${LAB_NODES[@]}"
  lab_swarm_check_members
  lab_log "repair: every engine answers; waiting for the swarm to show ${#LAB_NODES[@]} Ready nodes and a leader"
  lab_wait_until "$LAB_T_SWARM" "the swarm to show ${#LAB_NODES[@]} Ready nodes and a leader" lab_swarm_healthy
  lab_log "repair: swarm healthy; checking the image, volumes and containers on every node"
  lab_image_repair
  lab_for_nodes_parallel "repairing volumes and containers" lab_node_repair_fixtures "${LAB_NODES[@]}"
  for node in "${LAB_NODES[@]}"; do
    lab_wait_until "$LAB_T_CONTAINERS" "$node's containers to run" lab_node_containers_running "$node"
  done
  lab_tls_verify
  lab_probe
  lab_probe_healthy -v || lab_die "lab $LAB_NAME is still not healthy after the repair"
}

# Build the lab from scratch (keeping its CA dir and state file): network, certificates,
# engines, swarm, image, fixtures.
lab_build() {
  lab_log "lab $LAB_NAME: building ${#LAB_NODES[@]} engines (${LAB_NODES[*]}) on $LAB_SUBNET (cleaning any stale state first)"
  lab_cleanup rebuild
  lab_state_set_built 0
  mkdir -p "$LAB_RUN" "$LAB_IMAGE_DIR"
  chmod 0755 "$LAB_RUN_ROOT" "$LAB_RUN" "$LAB_DATA_ROOT" "$LAB_DATA"

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
  lab_state_set_built 1
}

lab_cmd_up() { # CONTROLLERS (asked for, or empty)
  local t0 why
  t0=$(lab_now_ms)
  if [[ -f $LAB_STATE ]]; then
    lab_probe
    if lab_probe_healthy; then
      lab_log "lab $LAB_NAME: already up"
      return 0
    fi
    why=$(lab_why_not_repairable)
    if [[ -z $why ]]; then
      lab_log "lab $LAB_NAME: not fully up: repairing it"
      lab_probe_healthy -v || true
      lab_try lab_repair
      if ((LAB_TRY_RC == 0)); then
        lab_log "lab $LAB_NAME: repaired in $(lab_elapsed "$t0")"
        return 0
      fi
      # Rebuild only a lab the repair found broken; anything else (a timeout on a busy machine,
      # say) must not cost a dashboard its engines: leave the lab as it is and say so.
      ((LAB_TRY_RC == LAB_EXIT_BROKEN)) ||
        lab_die "lab $LAB_NAME: the repair failed (see above); nothing was removed. Run up again, or rebuild the lab with the same CA: lab.sh down --name $LAB_NAME; lab.sh up --name $LAB_NAME"
      why="the repair found it broken"
    fi
    lab_log "lab $LAB_NAME: cannot be repaired ($why): rebuilding it with the same CA"
  else
    lab_create "${1:-$LAB_CONTROLLERS_DEFAULT}"
  fi
  lab_build
  lab_log "lab $LAB_NAME: up in $(lab_elapsed "$t0")"
}

lab_cmd_down() { # PURGE(0|1)
  local t0 mode=down
  t0=$(lab_now_ms)
  (($1 == 0)) || mode=purge
  lab_cleanup "$mode"
  lab_lock_remove
  lab_roots_remove_if_empty
  if [[ $mode == purge ]]; then
    lab_log "lab $LAB_NAME: down in $(lab_elapsed "$t0"): no process, mount, namespace, link or file of it left (CA removed too)"
  else
    lab_log "lab $LAB_NAME: down in $(lab_elapsed "$t0"): no process, mount, namespace, link or file of it left but its CA in $LAB_CA_DIR (down --purge removes it)"
  fi
}

lab_cmd_state() {
  if [[ ! -f $LAB_STATE ]]; then
    echo absent
    return 0
  fi
  lab_probe
  if lab_probe_healthy; then
    echo up
  elif [[ -z $(lab_why_not_repairable) ]]; then
    echo repairable
  else
    echo broken
  fi
}

lab_main() {
  local cmd=${1:-} name=${LIFEBOAT_LAB_NAME:-$LAB_NAME_DEFAULT} controllers='' json=0 purge=0
  local -a args=()
  [[ -n $cmd ]] || {
    lab_usage
    exit 2
  }
  shift
  case $cmd in
  up | down | status | state | kill | start | pause | resume) ;;
  -h | --help | help)
    lab_usage
    exit 0
    ;;
  *)
    lab_usage
    exit 2
    ;;
  esac
  while (($# > 0)); do
    case $1 in
    --name | --controllers)
      (($# >= 2)) || lab_die "$1 needs a value"
      if [[ $1 == --name ]]; then name=$2; else controllers=$2; fi
      shift 2
      ;;
    --name=*) name=${1#*=} && shift ;;
    --controllers=*) controllers=${1#*=} && shift ;;
    --json)
      [[ $cmd == status ]] || lab_die "$cmd: --json is an option of status"
      json=1 && shift
      ;;
    --purge)
      [[ $cmd == down ]] || lab_die "$cmd: --purge is an option of down"
      purge=1 && shift
      ;;
    -h | --help)
      lab_usage
      exit 0
      ;;
    -*) lab_die "$cmd: unknown option '$1'" ;;
    *) args+=("$1") && shift ;;
    esac
  done
  [[ -z $controllers ]] || lab_controllers_valid "$controllers" ||
    lab_die "--controllers must be one of ${LAB_CONTROLLER_COUNTS[*]} (not '$controllers')"
  lab_select "$name"
  lab_check_prereqs
  case $cmd in
  kill | start | pause | resume)
    # (checked again below, under the lock; here so that no lock file is left for a missing lab)
    [[ -f $LAB_STATE ]] || lab_die "lab $name does not exist (create it: lab.sh up --name $name)"
    lab_lock
    ;;
  up | down) lab_lock ;;
  esac

  # The lab's nodes and subnet: as recorded when it was created; else as asked (or the default),
  # with the subnet it would likely get (`up` chooses it for real, under a lock).
  if lab_state_read; then
    if [[ -n $controllers && $controllers != "$LAB_S_CONTROLLERS" && $cmd != down ]]; then
      lab_die "lab $name exists with $LAB_S_CONTROLLERS controller(s), fixed when it was created: it cannot have $controllers (to change it: lab.sh down --name $name, then lab.sh up --name $name --controllers $controllers)"
    fi
    lab_set_topology "$LAB_S_CONTROLLERS" "$LAB_S_SUBNET"
  else
    lab_set_topology "${controllers:-$LAB_CONTROLLERS_DEFAULT}" "$(lab_subnet_guess)"
  fi

  case $cmd in
  up | down | status | state)
    ((${#args[@]} == 0)) || lab_die "$cmd takes no argument ('${args[0]}')"
    ;;
  kill | start | pause | resume)
    ((${#args[@]} == 1)) || lab_die "usage: lab.sh $cmd NODE [--name LAB] (NODE: one of ${LAB_NODES[*]})"
    [[ -f $LAB_STATE ]] || lab_die "lab $name does not exist (create it: lab.sh up --name $name)"
    lab_require_node "${args[0]}"
    ;;
  esac
  case $cmd in
  up) lab_cmd_up "$controllers" ;;
  down) lab_cmd_down "$purge" ;;
  status) lab_cmd_status "$json" || exit $? ;; # 1 = not fully up (not an error)
  state) lab_cmd_state ;;
  kill) lab_cmd_kill "${args[0]}" ;;
  start) lab_cmd_start "${args[0]}" ;;
  pause) lab_cmd_pause "${args[0]}" ;;
  resume) lab_cmd_resume "${args[0]}" ;;
  esac
}

lab_main "$@"
