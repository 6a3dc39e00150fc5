# shellcheck shell=bash
# Lifeboat lab: one swarm per lab, ctrl-* managers and worker-* workers.

# "HOSTNAME STATUS MANAGER_STATUS" lines of `docker node ls` as seen by NODE (a manager).
lab_swarm_nodes_from() {
  lab_docker_t "$1" node ls --format '{{.Hostname}} {{.Status}} {{if .ManagerStatus}}{{.ManagerStatus}}{{else}}-{{end}}' 2>/dev/null
}

# The node list as seen by the first manager that answers (PREFERRED first, if given).
lab_swarm_nodes() {
  local preferred=${1:-} n out
  for n in $preferred "${LAB_CONTROLLERS[@]}"; do
    [[ -S $(lab_sock "$n") ]] || continue
    if out=$(lab_swarm_nodes_from "$n") && [[ -n $out ]]; then
      printf '%s\n' "$out"
      return 0
    fi
  done
  return 1
}

# Does a node list (stdin) show every lab node Ready, managers as managers, and one leader?
lab_swarm_list_healthy() {
  local host status mgr leaders=0 node
  declare -A seen=()
  while read -r host status mgr; do
    [[ -n $host ]] || continue
    [[ $status == Ready ]] || return 1
    if [[ $mgr == Leader ]]; then leaders=$((leaders + 1)); fi
    seen[$host]=$mgr
  done
  ((leaders == 1)) || return 1
  for node in "${LAB_NODES[@]}"; do
    [[ -n ${seen[$node]:-} ]] || return 1
    if lab_is_controller "$node"; then
      [[ ${seen[$node]} == Leader || ${seen[$node]} == Reachable ]] || return 1
    else
      [[ ${seen[$node]} == - ]] || return 1
    fi
  done
}

lab_swarm_healthy() {
  local list
  list=$(lab_swarm_nodes "${1:-}") || return 1
  lab_swarm_list_healthy <<<"$list"
}

lab_swarm_create() {
  local first=$LAB_FIRST_MANAGER node mtoken wtoken
  lab_log "swarm: init on $first (${LAB_ADDR[$first]})"
  lab_docker "$first" swarm init --advertise-addr "${LAB_ADDR[$first]}" \
    --listen-addr "${LAB_ADDR[$first]}:$LAB_SWARM_PORT" >/dev/null
  # No service here publishes ports: drop the routing mesh, so that no node ever builds an
  # ingress sandbox / docker_gwbridge with addresses outside the lab's.
  lab_docker "$first" network rm ingress >/dev/null <<<y 2>&1 ||
    lab_log "swarm: note: could not remove the ingress network"
  mtoken=$(lab_docker "$first" swarm join-token -q manager)
  wtoken=$(lab_docker "$first" swarm join-token -q worker)
  for node in "${LAB_NODES[@]}"; do
    [[ $node == "$first" ]] && continue
    local token=$wtoken kind=worker
    lab_is_controller "$node" && token=$mtoken kind=manager
    lab_log "swarm: $node joins as $kind (${LAB_ADDR[$node]})"
    lab_docker "$node" swarm join --token "$token" --advertise-addr "${LAB_ADDR[$node]}" \
      --listen-addr "${LAB_ADDR[$node]}:$LAB_SWARM_PORT" "${LAB_ADDR[$first]}:$LAB_SWARM_PORT" >/dev/null
  done
  lab_wait_until "$LAB_T_SWARM" "the swarm to show ${#LAB_NODES[@]} Ready nodes and a leader" lab_swarm_healthy "$first"
  lab_log "swarm: ${#LAB_NODES[@]} nodes Ready, leader $(lab_swarm_nodes "$first" | awk '$3 == "Leader" {print $1}')"
}

# After an engine restart: the node itself is an active swarm member (a manager with control
# available), and a healthy manager shows it Ready with a leader present.
lab_swarm_node_ready() {
  local node=$1 state list host status mgr found=0 leader=0
  state=$(lab_docker_t "$node" info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>/dev/null) || return 1
  if lab_is_controller "$node"; then
    [[ $state == "active true" ]] || return 1
  else
    [[ $state == "active false" ]] || return 1
  fi
  list=$(lab_swarm_nodes) || return 1
  while read -r host status mgr; do
    if [[ $mgr == Leader ]]; then leader=1; fi
    [[ $host == "$node" ]] || continue
    [[ $status == Ready ]] || return 1
    if lab_is_controller "$node"; then
      [[ $mgr == Leader || $mgr == Reachable ]] || return 1
    fi
    found=1
  done <<<"$list"
  ((found == 1 && leader == 1))
}

lab_swarm_wait_node_ready() {
  lab_wait_until "$LAB_T_SWARM" "the swarm to show $1 Ready with a leader present" lab_swarm_node_ready "$1"
}

# Repair: every engine that answers must still be a member of the swarm (its membership lives
# in its data-root and survives restarts); one that left it cannot be repaired in place.
lab_swarm_check_members() {
  local node state
  for node in "${LAB_NODES[@]}"; do
    state=$(lab_docker_t "$node" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null) || continue
    case $state in
    inactive | locked) lab_die_broken "$node is no longer an active member of the swarm (state: $state)" ;;
    esac
  done
}
