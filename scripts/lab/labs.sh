# shellcheck shell=bash
# Lifeboat lab: which lab a command is about. Every per-lab name and path (derived from the
# constants in config.sh), the lab's state file (controllers, subnet, built), the choice of its
# subnet, and its lock.

# lab_select NAME: the per-lab names and paths (not the nodes: see lab_set_topology).
lab_select() {
  local name=$1
  [[ $name =~ $LAB_NAME_PATTERN ]] ||
    lab_die "invalid lab name '$name' (1 to 8 characters, each a-z or 0-9)"
  LAB_NAME=$name
  LAB_RUN=$LAB_RUN_ROOT/$name
  LAB_DATA=$LAB_DATA_ROOT/$name
  LAB_STATE=$LAB_DATA/$LAB_STATE_FILE
  LAB_CA_DIR=$LAB_DATA/$LAB_CA_DIRNAME
  LAB_CLIENT_TLS=$LAB_CA_DIR/client
  LAB_ROGUE_TLS=$LAB_CA_DIR/rogue
  LAB_TLS=$LAB_RUN/tls
  LAB_IMAGE_DIR=$LAB_RUN/image
  LAB_FIXTURES=$LAB_RUN/fixtures
  LAB_CGROUP_PARENT=$LAB_CGROUP_ROOT/$name
  LAB_BRIDGE=$LAB_BRIDGE_PREFIX$name
  LAB_LOCK=$LAB_RUN_ROOT/$name.lock
  LAB_NETNS_LAB_PREFIX=$LAB_NETNS_PREFIX$name- # every netns of this lab (names have no '-')
  LAB_VETH_LAB_PREFIX=$LAB_VETH_PREFIX$name-   # every veth of this lab
}

# lab_set_topology CONTROLLERS SUBNET_OCTET: the nodes, their addresses, the bridge address.
lab_set_topology() {
  local count=$1 x=$2 i n
  LAB_CONTROLLER_COUNT=$count
  LAB_SUBNET_OCTET=$x
  LAB_SUBNET=$LAB_SUBNET_PREFIX.$x.0/$LAB_PREFIXLEN
  LAB_BRIDGE_ADDR=$LAB_SUBNET_PREFIX.$x.$LAB_BRIDGE_HOST
  LAB_CONTROLLERS=()
  LAB_WORKERS=("${LAB_WORKER_NODES[@]}")
  declare -gA LAB_ADDR=()
  for ((i = 1; i <= count; i++)); do
    n=$LAB_CONTROLLER_PREFIX$i
    LAB_CONTROLLERS+=("$n")
    LAB_ADDR[$n]=$LAB_SUBNET_PREFIX.$x.$((LAB_CONTROLLER_HOST_BASE + i))
  done
  for n in "${LAB_WORKERS[@]}"; do
    LAB_ADDR[$n]=$LAB_SUBNET_PREFIX.$x.$((LAB_WORKER_HOST_BASE + ${n##*-}))
  done
  LAB_NODES=("${LAB_CONTROLLERS[@]}" "${LAB_WORKERS[@]}")
}

lab_controllers_valid() {
  local c
  for c in "${LAB_CONTROLLER_COUNTS[@]}"; do [[ $1 == "$c" ]] && return 0; done
  return 1
}

# --- the state file: key=value lines -------------------------------------------------------------

# lab_state_read: LAB_S_CONTROLLERS, LAB_S_SUBNET, LAB_S_BUILT from the lab's state file; fails
# if the lab does not exist (no state file).
lab_state_read() {
  LAB_S_CONTROLLERS='' LAB_S_SUBNET='' LAB_S_BUILT=0
  [[ -f $LAB_STATE ]] || return 1
  local key value
  while IFS='=' read -r key value; do
    case $key in
    controllers) LAB_S_CONTROLLERS=$value ;;
    subnet) LAB_S_SUBNET=$value ;;
    built) LAB_S_BUILT=$value ;;
    esac
  done <"$LAB_STATE"
  lab_controllers_valid "$LAB_S_CONTROLLERS" && [[ $LAB_S_SUBNET =~ ^[0-9]{1,3}$ ]] && ((LAB_S_SUBNET <= 254)) ||
    lab_die "corrupt state file $LAB_STATE (remove the lab with: lab.sh down --name $LAB_NAME)"
}

# lab_state_write CONTROLLERS SUBNET_OCTET BUILT (atomically)
lab_state_write() {
  mkdir -p "$LAB_DATA"
  chmod 0755 "$LAB_DATA_ROOT" "$LAB_DATA"
  printf '# Lifeboat lab %s (written by lab.sh: do not edit)\nname=%s\ncontrollers=%s\nsubnet=%s\nbuilt=%s\n' \
    "$LAB_NAME" "$LAB_NAME" "$1" "$2" "$3" >"$LAB_STATE.tmp"
  mv -f "$LAB_STATE.tmp" "$LAB_STATE"
}

lab_state_set_built() { lab_state_write "$LAB_CONTROLLER_COUNT" "$LAB_SUBNET_OCTET" "$1"; }

# --- subnets ---------------------------------------------------------------------------------------

# Third octets of ${LAB_SUBNET_PREFIX}.X.0/24 in use by another lab (its state file) or by any
# address on this host other than this lab's own bridge (a leftover, or not ours at all).
# Prints "X WHO" lines.
lab_subnets_in_use() {
  local f name key value link addr rest
  for f in "$LAB_DATA_ROOT"/*/"$LAB_STATE_FILE"; do
    [[ -f $f ]] || continue
    name=${f%/*}
    name=${name##*/}
    [[ $name == "$LAB_NAME" ]] && continue
    while IFS='=' read -r key value; do
      if [[ $key == subnet ]]; then printf '%s lab:%s\n' "$value" "$name"; fi
    done <"$f"
  done
  while read -r _ link _ addr rest; do
    [[ $link == "$LAB_BRIDGE" ]] && continue
    [[ $addr == "$LAB_SUBNET_PREFIX".* ]] || continue
    addr=${addr#"$LAB_SUBNET_PREFIX".}
    printf '%s link:%s\n' "${addr%%.*}" "$link"
  done < <(ip -o -4 addr show 2>/dev/null)
}

# The subnet this lab gets when it is created: the demo lab always X = 0; another lab the first
# free X in 1..254, starting from one derived from its name (so, usually, always the same one).
lab_subnet_choose() {
  local used x start i
  used=$(lab_subnets_in_use)
  if [[ $LAB_NAME == "$LAB_DEMO_NAME" ]]; then
    x=$LAB_DEMO_SUBNET
    local who
    who=$(awk -v x="$x" '$1 == x { print $2 }' <<<"$used" | tr '\n' ' ')
    [[ -z $who ]] || lab_die "the demo lab's subnet $LAB_SUBNET_PREFIX.$x.0/$LAB_PREFIXLEN is in use by ${who% } (a lab from an older lab.sh? remove that link and its engines)"
    echo "$x"
    return 0
  fi
  start=$(lab_subnet_guess)
  for ((i = 0; i < 254; i++)); do
    x=$(((start - 1 + i) % 254 + 1))
    ((x == LAB_DEMO_SUBNET)) && continue
    awk -v x="$x" '$1 == x { found = 1 } END { exit !found }' <<<"$used" && continue
    echo "$x"
    return 0
  done
  lab_die "no free subnet left in $LAB_SUBNET_PREFIX.0.0/16"
}

# The subnet a lab that does not exist yet would likely get (for `status` of such a lab).
lab_subnet_guess() {
  if [[ $LAB_NAME == "$LAB_DEMO_NAME" ]]; then
    echo "$LAB_DEMO_SUBNET"
  else
    echo $(($(printf '%s' "$LAB_NAME" | cksum | cut -d' ' -f1) % 254 + 1))
  fi
}

# Create the lab's state file (a new lab): its subnet is chosen and recorded under a short lock
# shared by all labs (on the $LAB_DATA_ROOT directory), so that two labs created at once differ.
lab_create() { # CONTROLLERS
  local x
  mkdir -p "$LAB_DATA_ROOT"
  exec 8<"$LAB_DATA_ROOT"
  flock -w 60 8 || lab_die "timed out waiting for the subnet allocation lock on $LAB_DATA_ROOT"
  x=$(lab_subnet_choose)
  lab_set_topology "$1" "$x"
  lab_state_write "$1" "$x" 0
  exec 8<&-
  lab_log "lab $LAB_NAME: created: $1 controller(s) and ${#LAB_WORKERS[@]} worker(s) on $LAB_SUBNET"
}

# Remove the top directories once no lab uses them any more (never while another lab does).
lab_roots_remove_if_empty() {
  rmdir "$LAB_RUN_ROOT" 2>/dev/null || true
  if [[ -d $LAB_DATA_ROOT ]]; then
    exec 8<"$LAB_DATA_ROOT"
    if flock -w 60 8; then rmdir "$LAB_DATA_ROOT" 2>/dev/null || true; fi
    exec 8<&-
  fi
}

# --- the lab's lock ----------------------------------------------------------------------------------

# One mutating command per lab at a time (status excepted); labs do not wait for each other.
# The lock file is outside the lab's directories; `down` deletes it while holding it, so a
# waiter that then gets the lock checks that it holds the file that is still at that path.
# Engines are started with fd 9 closed.
lab_lock() {
  local i
  for ((i = 0; i < 20; i++)); do
    mkdir -p "$LAB_RUN_ROOT"
    { exec 9>>"$LAB_LOCK"; } 2>/dev/null || continue
    flock -w 600 9 || lab_die "another command on lab $LAB_NAME is still running (waited 600s)"
    if [[ $(stat -L -c %d:%i /proc/self/fd/9) == "$(stat -c %d:%i "$LAB_LOCK" 2>/dev/null)" ]]; then
      return 0
    fi
    exec 9>&-
  done
  lab_die "could not take the lock $LAB_LOCK"
}

lab_lock_remove() { rm -f "$LAB_LOCK"; } # by `down`, while holding the lock
