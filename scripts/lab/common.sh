# shellcheck shell=bash
# Lifeboat lab: logging, polling, docker CLI wrappers, process helpers, parallel jobs.

lab_log() { printf 'lab: %s\n' "$*" >&2; }
lab_die() {
  printf 'lab: ERROR: %s\n' "$*" >&2
  exit 1
}

lab_die_broken() { # like lab_die, for what a repair cannot fix (exit status LAB_EXIT_BROKEN)
  printf 'lab: ERROR: %s\n' "$*" >&2
  exit "$LAB_EXIT_BROKEN"
}

lab_on_err() { # ERR trap: say what failed instead of dying silently under `set -e`
  printf 'lab: ERROR: command failed (exit %s) at %s:%s: %s\n' "$1" "${BASH_SOURCE[1]##*/}" "$2" "$3" >&2
}

lab_now_ms() {
  local t=$EPOCHREALTIME
  echo $((${t%.*} * 1000 + 10#${t#*.} / 1000))
}

lab_elapsed() { # START_MS -> "12.3s"
  local d=$(($(lab_now_ms) - $1))
  printf '%d.%ds' $((d / 1000)) $((d % 1000 / 100))
}

# lab_poll_until TIMEOUT_S CMD [ARG...]
# Polls CMD (quickly at first, then every 0.5 s) until it succeeds; fails after TIMEOUT_S.
lab_poll_until() {
  local timeout=$1
  shift
  local deadline=$(($(lab_now_ms) + timeout * 1000)) delay=0.05
  until "$@"; do
    (($(lab_now_ms) < deadline)) || return 1
    sleep "$delay"
    case $delay in
    0.05) delay=0.1 ;;
    0.1) delay=0.2 ;;
    0.2) delay=0.5 ;;
    esac
  done
}

# lab_wait_until TIMEOUT_S DESCRIPTION CMD [ARG...]
# Like lab_poll_until, but dies with a clear message after TIMEOUT_S. Every wait for readiness
# in the lab goes through here.
lab_wait_until() {
  local timeout=$1 desc=$2
  shift 2
  lab_poll_until "$timeout" "$@" || lab_die "timed out after ${timeout}s waiting for ${desc}"
}

lab_set_err_trap() { trap 'lab_on_err $? $LINENO "$BASH_COMMAND"' ERR; }

# lab_try FUNC [ARG...]: runs FUNC in a subshell with `set -e` in force and sets LAB_TRY_RC to
# its status instead of dying with it. Call it as a plain command, never in an `if` or after
# `||`: bash ignores `set -e` in everything such a condition runs, even inside a subshell.
lab_try() {
  set +e
  trap - ERR
  (
    set -e
    lab_set_err_trap
    "$@"
  )
  LAB_TRY_RC=$?
  lab_set_err_trap
  set -e
}

lab_is_node() {
  local n
  for n in "${LAB_NODES[@]}"; do [[ $n == "$1" ]] && return 0; done
  return 1
}
lab_is_controller() {
  local n
  for n in "${LAB_CONTROLLERS[@]}"; do [[ $n == "$1" ]] && return 0; done
  return 1
}
lab_role() { if lab_is_controller "$1"; then echo manager; else echo worker; fi; }

lab_node_run() { echo "$LAB_RUN/$1"; }
lab_sock() { echo "$LAB_RUN/$1/docker.sock"; }
lab_pidfile() { echo "$LAB_RUN/$1/docker.pid"; }
lab_exec_root() { echo "$LAB_RUN/$1/exec"; }
lab_data_root() { echo "$LAB_DATA/$1"; }
lab_engine_log() { echo "$LAB_RUN/$1/dockerd.log"; }
lab_netns() { echo "${LAB_NETNS_LAB_PREFIX}$1"; }
# Root-namespace end of NODE's veth: a short name (15 characters at most): ctrl-2 -> lbv-LAB-c2.
lab_veth() {
  local short
  case $1 in
  "$LAB_CONTROLLER_PREFIX"*) short=c${1#"$LAB_CONTROLLER_PREFIX"} ;;
  *) short=${1:0:1}${1##*-} ;;
  esac
  echo "${LAB_VETH_LAB_PREFIX}$short"
}

# The docker CLI against one node's unix socket, insulated from the caller's docker env.
lab_docker() {
  local node=$1
  shift
  env -u DOCKER_HOST -u DOCKER_CONTEXT -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH \
    "$LAB_DOCKER" -H "unix://$(lab_sock "$node")" "$@"
}
# Same, bounded in time (a paused engine accepts connections and never answers).
lab_docker_t() {
  local node=$1
  shift
  timeout -k 1 "$LAB_T_CALL" env -u DOCKER_HOST -u DOCKER_CONTEXT -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH \
    "$LAB_DOCKER" -H "unix://$(lab_sock "$node")" "$@"
}
# The docker CLI over TCP with mutual TLS, using a bundle directory (ca.pem, cert.pem, key.pem).
lab_docker_tls() {
  local node=$1 bundle=$2
  shift 2
  timeout -k 1 "$LAB_T_CALL" env -u DOCKER_HOST -u DOCKER_CONTEXT -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH \
    "$LAB_DOCKER" --tlsverify --tlscacert "$bundle/ca.pem" --tlscert "$bundle/cert.pem" \
    --tlskey "$bundle/key.pem" -H "tcp://${LAB_ADDR[$node]}:$LAB_TCP_PORT" "$@"
}

# GET PATH from NODE's engine API over its unix socket, bounded in time; fails unless 2xx.
lab_api_get() {
  curl -sf --max-time "$LAB_T_CALL" --unix-socket "$(lab_sock "$1")" "http://lab$2" 2>/dev/null
}

lab_engine_answers() { [[ $(lab_api_get "$1" /_ping) == OK ]]; }

# --- processes -------------------------------------------------------------------------------

# State letter of a process (R, S, T, Z, …); fails if it does not exist.
lab_proc_state() {
  local s
  { read -r s <"/proc/$1/stat"; } 2>/dev/null || return 1
  s=${s##*) }
  printf '%s\n' "${s%% *}"
}
lab_proc_alive() {
  local s
  s=$(lab_proc_state "$1") || return 1
  [[ $s != Z && $s != X ]]
}
lab_procs_gone() {
  local p
  for p; do lab_proc_alive "$p" && return 1; done
  return 0
}

# Prints "PID KIND NODE" for every engine process of THIS lab still alive: kind is dockerd,
# containerd or shim; node is the lab node it belongs to (or "?" for a node not in the lab).
# Recognised by command name plus an argument inside this lab's directories ($LAB_RUN/,
# $LAB_DATA/: never another lab's), so it also finds what a crashed earlier run left behind.
lab_scan_engine_procs() {
  local d pid comm kind a node
  local -a args
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    { read -r comm <"$d/comm"; } 2>/dev/null || continue
    case $comm in
    dockerd) kind=dockerd ;;
    containerd) kind=containerd ;;
    containerd-shim*) kind=shim ;;
    *) continue ;;
    esac
    { mapfile -d '' -t args <"$d/cmdline"; } 2>/dev/null || continue
    node=
    for a in "${args[@]}"; do
      case $a in
      "$LAB_DATA"/* | "$LAB_RUN"/*)
        node=${a#"$LAB_DATA"/}
        node=${node#"$LAB_RUN"/}
        node=${node%%/*}
        break
        ;;
      esac
    done
    [[ -n $node ]] || continue
    lab_proc_alive "$pid" || continue
    lab_is_node "$node" || node='?'
    printf '%s %s %s\n' "$pid" "$kind" "$node"
  done
}

# The pid in NODE's pid file, if that process is alive and is NODE's dockerd (quick: no scan,
# no subshell).
lab_pidfile_dockerd() {
  local f=$LAB_RUN/$1/docker.pid pid='' comm a
  local -a args
  { read -r pid <"$f" || [[ -n $pid ]]; } 2>/dev/null || return 1 # (dockerd writes no newline)
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  { read -r comm <"/proc/$pid/comm"; } 2>/dev/null || return 1
  [[ $comm == dockerd ]] || return 1
  { mapfile -d '' -t args <"/proc/$pid/cmdline"; } 2>/dev/null || return 1
  for a in "${args[@]}"; do
    if [[ $a == "$f" ]]; then
      lab_proc_alive "$pid" || return 1
      echo "$pid"
      return 0
    fi
  done
  return 1
}

# PIDs of one kind (dockerd|containerd|shim|all) of one node (or "all").
lab_engine_pids() {
  local want_kind=$1 want_node=$2 pid kind node
  while read -r pid kind node; do
    [[ $want_kind == all || $want_kind == "$kind" ]] || continue
    [[ $want_node == all || $want_node == "$node" ]] || continue
    echo "$pid"
  done < <(lab_scan_engine_procs)
}

lab_dockerd_pid() { # prints the dockerd pid of NODE, fails if none runs
  local pids
  lab_pidfile_dockerd "$1" && return 0
  pids=$(lab_engine_pids dockerd "$1")
  [[ -n $pids ]] || return 1
  echo "${pids%%$'\n'*}"
}

# SIGKILL PIDs and wait until they are gone.
lab_kill9_and_wait() {
  local what=$1
  shift
  (($# > 0)) || return 0
  kill -KILL "$@" 2>/dev/null || true
  lab_wait_until "$LAB_T_PROC_EXIT" "$what to exit (pids $*)" lab_procs_gone "$@"
}

# --- parallel jobs ---------------------------------------------------------------------------

# lab_for_nodes_parallel WHAT FUNC NODE... : runs FUNC NODE for each node in background jobs,
# waits for all, dies if any failed (with LAB_EXIT_BROKEN if one did). Each job runs with
# `set -e` like the main script.
lab_for_nodes_parallel() {
  local what=$1 func=$2 n rc=0 p
  shift 2
  local -a pids=()
  for n; do
    "$func" "$n" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do
    wait "$p" || if (($? == LAB_EXIT_BROKEN)); then rc=2; elif ((rc == 0)); then rc=1; fi
  done
  ((rc != 2)) || lab_die_broken "$what failed (see messages above)"
  ((rc == 0)) || lab_die "$what failed (see messages above)"
}

# JSON string literal (the lab's values are plain, but escape properly anyway).
lab_json_str() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/\\r}
  printf '"%s"' "$s"
}
