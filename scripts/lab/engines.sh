# shellcheck shell=bash
# Lifeboat lab: the lab's dockerd processes (start, wait, kill, pause) and the cleanup of
# everything they leave behind (processes, mounts, cgroups, shim sockets, files), per lab.

lab_engine_args() { # NODE -> dockerd argument list, one per line
  local node=$1 run addr
  run=$(lab_node_run "$node")
  addr=${LAB_ADDR[$node]}
  printf '%s\n' \
    --config-file "$run/daemon.json" \
    --data-root "$(lab_data_root "$node")" \
    --exec-root "$(lab_exec_root "$node")" \
    --pidfile "$(lab_pidfile "$node")" \
    -H "unix://$(lab_sock "$node")" \
    -H "tcp://$addr:$LAB_TCP_PORT" \
    --tlsverify \
    --tlscacert "$LAB_CA_DIR/ca.pem" \
    --tlscert "$LAB_TLS/nodes/$node/cert.pem" \
    --tlskey "$LAB_TLS/nodes/$node/key.pem" \
    --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    --bridge=none --userland-proxy=false \
    --storage-driver=vfs \
    --cgroup-parent "$LAB_CGROUP_PARENT/$node" \
    --swarm-default-advertise-addr "$addr" \
    --default-address-pool "base=$LAB_BRIDGE_ADDR/$LAB_PREFIXLEN,size=$LAB_PREFIXLEN"
}

# Start NODE's dockerd in the background: its own network namespace (lblab-LAB-NODE) and its own
# UTS namespace (hostname NODE), detached from our session, all output to its log file.
# Not `ip netns exec`: that remounts /sys and dockerd dies with "Devices cgroup isn't mounted".
lab_engine_launch() {
  local node=$1 run ns
  run=$(lab_node_run "$node")
  ns=$(lab_netns "$node")
  lab_netns_exists "$ns" || lab_die "$node: network namespace $ns is missing (run: lab.sh up --name $LAB_NAME)"
  mkdir -p "$run" "$(lab_exec_root "$node")" "$(lab_data_root "$node")"
  # Own config file (the host's /etc/docker/daemon.json must not matter) and own trust key: by
  # default every engine would share /etc/docker/key.json and so report the same engine ID.
  printf '{\n  "deprecated-key-path": "%s"\n}\n' "$run/key.json" >"$run/daemon.json"
  local -a args
  mapfile -t args < <(lab_engine_args "$node")
  printf '\n==== lab: starting dockerd for %s at %s ====\n' "$node" "$(date -Is)" >>"$(lab_engine_log "$node")"
  # The engine must not inherit any of our file descriptors beyond 0-2: not the lab lock
  # (fd 9), and not a caller's pipe (a test runner would wait for its EOF forever).
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      if ((fd > 2)); then eval "exec $fd>&-"; fi
    done 2>/dev/null
    exec setsid /usr/bin/env -i PATH="$LAB_ENGINE_PATH" HOME=/root LANG=C.UTF-8 \
      /usr/bin/nsenter --net="$LAB_NETNS_DIR/$ns" \
      /usr/bin/unshare --uts \
      /bin/sh -c 'hostname "$0" && exec "$@"' "$node" "$LAB_DOCKERD" "${args[@]}"
  ) </dev/null >>"$(lab_engine_log "$node")" 2>&1 &
  LAB_LAUNCH_PID=$! # subshell/setsid/env/nsenter/unshare/sh all exec: this becomes dockerd's pid
}

lab_engine_ready_or_dead() { # NODE [LAUNCHER_PID]; poll predicate: answers -> 0, starting -> 1, died -> exit
  local node=$1 launcher=${2:-}
  lab_engine_answers "$node" && return 0
  if [[ -n $launcher ]] && lab_proc_alive "$launcher"; then return 1; fi
  lab_dockerd_pid "$node" >/dev/null && return 1
  lab_log "$node: dockerd is not running; last lines of $(lab_engine_log "$node"):"
  tail -n 15 "$(lab_engine_log "$node")" 2>/dev/null | sed 's/^/lab:   /' >&2
  lab_die_broken "$node: dockerd failed to start"
}

lab_engine_wait() { # NODE [LAUNCHER_PID]
  local node=$1
  lab_wait_until "$LAB_T_ENGINE" "$node's engine to answer on $(lab_sock "$node")" \
    lab_engine_ready_or_dead "$node" "${2:-}"
}

lab_engine_wait_started() { # NODE (launched earlier): wait, then report
  lab_engine_wait "$1"
  lab_log "$1: engine up (pid $(lab_dockerd_pid "$1"), hostname $(lab_docker "$1" info --format '{{.Name}}'))"
}

# --- cleanup of everything the engines may leave behind -------------------------------------

# This lab's cgroup directories (all hierarchies), deepest first.
lab_cgroup_dirs() {
  local root
  for root in /sys/fs/cgroup/*"$LAB_CGROUP_PARENT"; do
    [[ -d $root ]] || continue
    find "$root" -depth -type d 2>/dev/null
  done | awk '!seen[$0]++'
}

# PIDs of processes in the lab's container cgroups (containers' init, tini, sleep, …).
lab_cgroup_pids() {
  local d
  while read -r d; do
    [[ -r $d/cgroup.procs ]] && cat "$d/cgroup.procs" 2>/dev/null
  done < <(lab_cgroup_dirs) | sort -un
}

lab_cgroups_thaw() { # SIGKILL does not reach frozen (docker pause) processes
  local d
  while read -r d; do
    [[ -w $d/freezer.state ]] && echo THAWED >"$d/freezer.state" 2>/dev/null
  done < <(lab_cgroup_dirs)
  return 0
}

lab_cgroups_remove() {
  local d
  while read -r d; do rmdir "$d" 2>/dev/null || true; done < <(lab_cgroup_dirs)
  # The shared parent (/lifeboat-lab) too, once no lab has a cgroup left below it.
  for d in /sys/fs/cgroup/*"$LAB_CGROUP_ROOT"; do
    if [[ -d $d ]]; then rmdir "$d" 2>/dev/null || true; fi
  done
}

# Mount points under this lab's directories (and its netns bind mounts), deepest first.
lab_mounts() {
  awk -v a="$LAB_RUN" -v b="$LAB_DATA" -v c="$LAB_NETNS_DIR/$LAB_NETNS_LAB_PREFIX" '
    { m = $5; gsub(/\\040/, " ", m)
      if (m == a || index(m, a "/") == 1 || m == b || index(m, b "/") == 1 || index(m, c) == 1) print m }
  ' /proc/self/mountinfo | awk '{ print length($0) " " $0 }' | sort -rn | cut -d' ' -f2-
}

lab_unmount_all() {
  local m i
  local -a mounts
  for i in 1 2 3 4 5 6 7 8; do
    mapfile -t mounts < <(lab_mounts)
    ((${#mounts[@]} > 0)) || return 0
    for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  done
  [[ -z $(lab_mounts) ]] || lab_die "could not unmount: $(lab_mounts | tr '\n' ' ')"
}

# containerd-shim-runc-v2 puts its socket at /run/containerd/s/sha256(<containerd address>/<ns>/<id>);
# a shim that is SIGKILLed leaves it there. Remove those of this lab's containers.
lab_remove_shim_sockets() {
  local exec addr d id h
  [[ -d /run/containerd/s ]] || return 0
  for exec in "$LAB_RUN"/*/exec; do
    [[ -d $exec ]] || continue
    addr=$exec/containerd/containerd.sock
    for d in "$exec"/containerd/daemon/io.containerd.runtime.v2.task/*/*; do
      [[ -d $d ]] || continue
      id=${d##*/}
      h=$(printf '%s' "$addr/$(basename "$(dirname "$d")")/$id" | sha256sum | cut -d' ' -f1)
      rm -f "/run/containerd/s/$h"
    done
  done
  rmdir /run/containerd/s /run/containerd 2>/dev/null || true
}

# lab_cleanup MODE: kill this lab's engine processes and remove everything of this lab:
# processes, mounts, namespaces, links, cgroups, sockets, files. Never anything of another lab.
# Safe to run at any time, also after a crash or half a run. MODE:
#   rebuild  keeps the CA dir and the state file (the lab is rebuilt right after)
#   down     keeps the CA dir
#   purge    keeps nothing
lab_cleanup() {
  local mode=$1
  local -a pids killed=()
  # 1. Processes. No graceful shutdown: everything is thrown away, and a crash-style stop
  #    (SIGKILL, then sweep) is the one path that must work anyway, after a crashed run.
  #    Engines first (dockerd, containerd, shims), so nothing restarts the containers.
  mapfile -t pids < <(lab_engine_pids all all)
  ((${#pids[@]} == 0)) || lab_log "cleanup: killing engine processes (pids ${pids[*]})"
  lab_kill9_and_wait "engine processes" "${pids[@]}"
  killed+=("${pids[@]}")
  lab_cgroups_thaw
  mapfile -t pids < <(lab_cgroup_pids)
  ((${#pids[@]} == 0)) || lab_log "cleanup: killing container processes (${#pids[@]} pids)"
  lab_kill9_and_wait "container processes" "${pids[@]}"
  killed+=("${pids[@]}")
  # 2. Mounts, namespaces, links, cgroups, sockets, files.
  lab_unmount_all
  lab_net_down
  lab_cgroups_remove
  lab_remove_shim_sockets
  lab_unmount_all
  [[ -z $(lab_mounts) ]] || lab_die "refusing to delete $LAB_RUN and $LAB_DATA: mounts remain"
  rm -rf --one-file-system "$LAB_RUN"
  if [[ -d $LAB_DATA ]]; then
    case $mode in
    purge) rm -rf --one-file-system "$LAB_DATA" ;;
    down)
      find "$LAB_DATA" -mindepth 1 -maxdepth 1 ! -name "$LAB_CA_DIRNAME" -exec rm -rf --one-file-system {} +
      rmdir "$LAB_DATA" 2>/dev/null || true
      ;;
    rebuild)
      find "$LAB_DATA" -mindepth 1 -maxdepth 1 ! -name "$LAB_CA_DIRNAME" ! -name "$LAB_STATE_FILE" \
        -exec rm -rf --one-file-system {} +
      ;;
    *) lab_die "lab_cleanup: unknown mode $mode" ;;
    esac
  fi
  # 3. The killed processes were reparented to PID 1: give it a moment to reap them, so that
  #    `ps` shows no <defunct> lab process either (best effort: an init that never reaps).
  local deadline=$(($(lab_now_ms) + 5000))
  while lab_zombies_left "${killed[@]}" && (($(lab_now_ms) < deadline)); do sleep 0.1; done
  if lab_zombies_left "${killed[@]}"; then
    lab_log "cleanup: note: some killed lab processes are zombies not yet reaped by PID 1"
  fi
}

lab_zombies_left() {
  local p
  for p; do [[ $(lab_proc_state "$p" 2>/dev/null) == Z ]] && return 0; done
  return 1
}

# --- single-engine operations (kill / start / pause / resume) -------------------------------

lab_require_node() {
  [[ -n ${1:-} ]] || lab_die "missing NODE (one of: ${LAB_NODES[*]})"
  lab_is_node "$1" || lab_die "unknown node '$1' in lab $LAB_NAME (one of: ${LAB_NODES[*]})"
}

lab_cmd_kill() {
  local node=$1 pid
  pid=$(lab_dockerd_pid "$node") || lab_die "$node: no dockerd is running"
  lab_log "$node: SIGKILL dockerd (pid $pid)"
  kill -KILL "$pid"
  lab_wait_until "$LAB_T_PROC_EXIT" "$node's dockerd (pid $pid) to exit" lab_procs_gone "$pid"
  lab_log "$node: dockerd is gone"
}

lab_cmd_pause() {
  local node=$1 pid
  pid=$(lab_dockerd_pid "$node") || lab_die "$node: no dockerd is running"
  kill -STOP "$pid"
  lab_wait_until "$LAB_T_PROC_EXIT" "$node's dockerd (pid $pid) to stop" lab_proc_is_stopped "$pid"
  lab_log "$node: dockerd paused (SIGSTOP, pid $pid)"
}

lab_proc_is_stopped() { [[ $(lab_proc_state "$1" 2>/dev/null) == [Tt] ]]; }

lab_cmd_resume() {
  local node=$1 pid
  pid=$(lab_dockerd_pid "$node") || lab_die "$node: no dockerd is running"
  kill -CONT "$pid"
  lab_engine_wait "$node"
  lab_log "$node: dockerd resumed (SIGCONT, pid $pid) and answers; waiting for the swarm and its containers"
  lab_node_wait_back "$node"
}

# What a killed dockerd leaves running: its shims and its containers (its managed containerd
# dies with it, but a leftover one is handled too). dockerd 20.10 without live-restore would
# kill still-running containers at start-up and count that as a manual stop, so that
# `--restart unless-stopped` would NOT bring them back. Killing them first makes the restart
# look like a crash of the whole engine: dockerd finds them dead and restarts them itself.
lab_engine_clear_leftovers() {
  local node=$1 d
  local -a pids
  mapfile -t pids < <(lab_engine_pids containerd "$node"; lab_engine_pids shim "$node")
  ((${#pids[@]} == 0)) || lab_log "$node: killing leftover containerd/shims of the killed engine (pids ${pids[*]})"
  lab_kill9_and_wait "$node's leftover containerd and shims" "${pids[@]}"
  pids=()
  for d in /sys/fs/cgroup/pids"$LAB_CGROUP_PARENT/$node"/*/; do
    if [[ -r ${d}cgroup.procs ]]; then mapfile -t -O "${#pids[@]}" pids <"${d}cgroup.procs"; fi
  done
  ((${#pids[@]} == 0)) || lab_log "$node: killing its leftover container processes (${#pids[@]} pids)"
  lab_kill9_and_wait "$node's leftover container processes" "${pids[@]}"
}

# Start the dead engine of NODE again, as it was: first kill what it left (see above).
lab_engine_restart() {
  local node=$1
  lab_engine_clear_leftovers "$node"
  rm -f "$(lab_pidfile "$node")" "$(lab_sock "$node")" "$(lab_exec_root "$node")/containerd/containerd.pid"
  lab_log "$node: starting dockerd"
  lab_engine_launch "$node"
  lab_engine_wait "$node" "$LAB_LAUNCH_PID"
}

lab_cmd_start() {
  local node=$1 pid
  lab_net_is_up && lab_tls_files_present || lab_die "lab $LAB_NAME is not set up (run: lab.sh up --name $LAB_NAME)"
  if pid=$(lab_dockerd_pid "$node"); then
    lab_proc_is_stopped "$pid" && lab_die "$node: dockerd (pid $pid) is paused: use resume"
    lab_log "$node: dockerd already running (pid $pid)"
    lab_engine_wait "$node"
  else
    lab_engine_restart "$node"
  fi
  lab_log "$node: engine answers (pid $(lab_dockerd_pid "$node")); waiting for the swarm and its containers"
  lab_node_wait_back "$node"
}

# After start/resume: NODE is a Ready swarm member with a leader present, its containers run;
# and when every other engine answers too, the whole swarm has settled (a leader change leaves
# the other nodes "Unknown" for a few seconds), so that `status` reports the lab up again.
lab_node_wait_back() {
  local node=$1 n others=1
  lab_swarm_wait_node_ready "$node"
  lab_wait_until "$LAB_T_CONTAINERS" "$node's containers to run" lab_node_containers_running "$node"
  for n in "${LAB_NODES[@]}"; do
    [[ $n == "$node" ]] || lab_engine_answers "$n" || others=0
  done
  if ((others)); then
    lab_wait_until "$LAB_T_SWARM" "the swarm to show ${#LAB_NODES[@]} Ready nodes and a leader" lab_swarm_healthy
    lab_log "$node: back: engine answers, swarm node Ready with a leader present, containers running; swarm healthy"
  else
    lab_log "$node: back: engine answers, swarm node Ready with a leader present, containers running (other engines are down)"
  fi
}
