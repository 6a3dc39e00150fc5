# shellcheck shell=bash
# Lifeboat lab: probing every engine (in parallel, each call bounded in time) and reporting.

# lab_probe: fills the global maps below. Engine states:
#   answering     the engine answers on its unix socket
#   paused        dockerd is stopped (SIGSTOP): accepts connections, never answers
#   unresponsive  dockerd runs but did not answer within LAB_T_CALL seconds
#   stopped       no dockerd process for this node
lab_probe() {
  declare -gA LAB_P_STATE=() LAB_P_PID=() LAB_P_CONT=() LAB_P_SWARM_STATUS=() LAB_P_SWARM_MGR=()
  LAB_P_SWARM_OK=0
  LAB_P_TLS_OK=0
  LAB_P_NET_OK=0
  local tmp pid kind node scan=0
  tmp=$(mktemp -d)
  # Each engine's pid from its pid file (quick); a scan of all processes only if one is not there.
  for node in "${LAB_NODES[@]}"; do
    if pid=$(lab_pidfile_dockerd "$node"); then LAB_P_PID[$node]=$pid; else scan=1; fi
  done
  if ((scan)); then
    while read -r pid kind node; do
      if [[ $kind == dockerd && $node != '?' ]]; then LAB_P_PID[$node]=$pid; fi
    done < <(lab_scan_engine_procs)
  fi
  # All at once: each engine's containers, and every running manager's view of the swarm
  # (without a leader, `node ls` hangs until the timeout on all of them).
  local -a jobs=()
  for node in "${LAB_NODES[@]}"; do
    lab_probe_node "$node" "${LAB_P_PID[$node]:-}" >"$tmp/$node" &
    jobs+=($!)
  done
  for node in "${LAB_CONTROLLERS[@]}"; do
    pid=${LAB_P_PID[$node]:-}
    [[ -n $pid ]] && ! lab_proc_is_stopped "$pid" || continue
    lab_swarm_nodes_from "$node" >"$tmp/swarm-$node" &
    jobs+=($!)
  done
  wait "${jobs[@]}" || true
  for node in "${LAB_NODES[@]}"; do
    read -r LAB_P_STATE[$node] LAB_P_CONT[$node] <"$tmp/$node" || LAB_P_STATE[$node]=unresponsive
  done

  # The first answer in node order, from a manager that answers.
  local list='' host status mgr
  for node in "${LAB_CONTROLLERS[@]}"; do
    if [[ ${LAB_P_STATE[$node]} == answering && -s $tmp/swarm-$node ]]; then
      list=$(<"$tmp/swarm-$node")
      break
    fi
  done
  rm -rf "$tmp"
  if [[ -n $list ]]; then
    while read -r host status mgr; do
      lab_is_node "$host" || continue
      LAB_P_SWARM_STATUS[$host]=$status
      LAB_P_SWARM_MGR[$host]=$mgr
    done <<<"$list"
    if lab_swarm_list_healthy <<<"$list"; then LAB_P_SWARM_OK=1; fi
  fi
  if lab_tls_files_present; then LAB_P_TLS_OK=1; fi
  LAB_P_NET_OK=1
  [[ -e /sys/class/net/$LAB_BRIDGE ]] || LAB_P_NET_OK=0
  for node in "${LAB_NODES[@]}"; do
    lab_netns_exists "$(lab_netns "$node")" || LAB_P_NET_OK=0
  done
}

lab_probe_node() { # NODE PID -> "STATE CONTAINERS" (CONTAINERS: ok|missing|-)
  local node=$1 pid=$2 names
  if [[ -z $pid ]]; then
    echo "stopped -"
  elif lab_proc_is_stopped "$pid"; then
    echo "paused -"
  elif names=$(lab_node_running_names "$node"); then # it answers
    if lab_names_have_expected "$node" "$names"; then echo "answering ok"; else echo "answering missing"; fi
  else
    echo "unresponsive -"
  fi
}

# After lab_probe: is the lab fully up? Prints the reasons why not to stderr when asked (-v).
lab_probe_healthy() {
  local verbose=${1:-} node ok=0
  for node in "${LAB_NODES[@]}"; do
    if [[ ${LAB_P_STATE[$node]} != answering ]]; then
      [[ -z $verbose ]] || lab_log "not up: $node's engine is ${LAB_P_STATE[$node]}"
      ok=1
    elif [[ ${LAB_P_CONT[$node]} != ok ]]; then
      [[ -z $verbose ]] || lab_log "not up: $node's containers are not all running"
      ok=1
    fi
  done
  if ((LAB_P_SWARM_OK != 1)); then
    [[ -z $verbose ]] || lab_log "not up: the swarm does not show ${#LAB_NODES[@]} Ready nodes with one leader"
    ok=1
  fi
  if ((LAB_P_TLS_OK != 1)); then
    [[ -z $verbose ]] || lab_log "not up: TLS bundles are missing"
    ok=1
  fi
  if ((LAB_P_NET_OK != 1)); then
    [[ -z $verbose ]] || lab_log "not up: the bridge $LAB_BRIDGE or a network namespace is missing"
    ok=1
  fi
  return "$ok"
}

lab_status_table() {
  local node ok=$1
  printf 'lab %s: %d controller(s), %s, bridge %s\n' "$LAB_NAME" "$LAB_CONTROLLER_COUNT" "$LAB_SUBNET" "$LAB_BRIDGE"
  printf '%-9s %-8s %-13s %-13s %-8s %-8s %-12s %s\n' NODE ROLE ADDRESS ENGINE PID SWARM MANAGER CONTAINERS
  for node in "${LAB_NODES[@]}"; do
    printf '%-9s %-8s %-13s %-13s %-8s %-8s %-12s %s\n' "$node" "$(lab_role "$node")" "${LAB_ADDR[$node]}" \
      "${LAB_P_STATE[$node]}" "${LAB_P_PID[$node]:--}" "${LAB_P_SWARM_STATUS[$node]:--}" \
      "${LAB_P_SWARM_MGR[$node]:--}" "${LAB_P_CONT[$node]:--}"
  done
  if [[ $ok == 0 ]]; then
    printf 'lab is up: %d engines answer, swarm healthy, UCP and user containers running\n' "${#LAB_NODES[@]}"
  else
    if [[ -f $LAB_STATE ]]; then
      printf 'lab is NOT fully up (lab.sh up --name %s repairs it, or rebuilds it with the same CA)\n' "$LAB_NAME"
    else
      printf 'lab is NOT fully up: lab %s does not exist (lab.sh up --name %s creates it)\n' "$LAB_NAME" "$LAB_NAME"
    fi
  fi
  printf 'client TLS bundle: %s   rogue bundle: %s\n' "$LAB_CLIENT_TLS" "$LAB_ROGUE_TLS"
}

lab_json_tls() { # DIR
  printf '{"ca":%s,"cert":%s,"key":%s}' "$(lab_json_str "$1/ca.pem")" "$(lab_json_str "$1/cert.pem")" \
    "$(lab_json_str "$1/key.pem")"
}
lab_json_str_or_null() { if [[ -n ${1:-} && $1 != - ]]; then lab_json_str "$1"; else printf null; fi; }

lab_status_json() {
  local ok=$1 node sep='' running
  printf '{"name":%s,"controllers":%s,"up":%s,"nodes":[' "$(lab_json_str "$LAB_NAME")" "$LAB_CONTROLLER_COUNT" \
    "$([[ $ok == 0 ]] && echo true || echo false)"
  for node in "${LAB_NODES[@]}"; do
    running=false
    [[ ${LAB_P_STATE[$node]} == answering ]] && running=true
    printf '%s{"name":%s,"role":%s,"address":%s,"hostname":%s,"socket":%s,"tcpUrl":%s,"tls":%s,"running":%s,"state":%s,"pid":%s,"swarmStatus":%s,"managerStatus":%s}' \
      "$sep" "$(lab_json_str "$node")" "$(lab_json_str "$(lab_role "$node")")" \
      "$(lab_json_str "${LAB_ADDR[$node]}")" "$(lab_json_str "$node")" "$(lab_json_str "$(lab_sock "$node")")" \
      "$(lab_json_str "tcp://${LAB_ADDR[$node]}:$LAB_TCP_PORT")" "$(lab_json_tls "$LAB_CLIENT_TLS")" \
      "$running" "$(lab_json_str "${LAB_P_STATE[$node]}")" "${LAB_P_PID[$node]:-null}" \
      "$(lab_json_str_or_null "${LAB_P_SWARM_STATUS[$node]:-}")" "$(lab_json_str_or_null "${LAB_P_SWARM_MGR[$node]:-}")"
    sep=,
  done
  printf '],"rogueTls":%s,"untrustedCa":%s}\n' "$(lab_json_tls "$LAB_ROGUE_TLS")" "$(lab_json_str "$LAB_ROGUE_TLS/rogue-ca.pem")"
}

lab_cmd_status() { # JSON(0|1)
  local json=$1 ok=0
  lab_probe
  lab_probe_healthy || ok=1
  if ((json)); then lab_status_json "$ok"; else lab_status_table "$ok"; fi
  return "$ok"
}
