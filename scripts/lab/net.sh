# shellcheck shell=bash
# Lifeboat lab: the lab's bridge in the root namespace and one network namespace + veth per node.

lab_link_exists() { ip link show dev "$1" >/dev/null 2>&1; }
lab_netns_exists() { [[ -e $LAB_NETNS_DIR/$1 ]]; }

lab_net_up() {
  local node ns veth addr who
  # Never share a subnet with anything else on this host (another lab, a leftover, not ours).
  who=$(ip -o -4 addr show to "$LAB_SUBNET" 2>/dev/null | awk '{ print $2 }' | tr '\n' ' ')
  [[ -z $who ]] || lab_die "network: $LAB_SUBNET is already in use on this host (link ${who% })"
  lab_log "network: bridge $LAB_BRIDGE $LAB_BRIDGE_ADDR/$LAB_PREFIXLEN"
  ip link add "$LAB_BRIDGE" type bridge
  # Frames between the nodes must not go through the host's iptables (br_netfilter).
  ip link set dev "$LAB_BRIDGE" type bridge nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 2>/dev/null ||
    lab_log "network: note: could not turn off bridge netfilter calls on $LAB_BRIDGE"
  ip addr add "$LAB_BRIDGE_ADDR/$LAB_PREFIXLEN" dev "$LAB_BRIDGE"
  ip link set dev "$LAB_BRIDGE" up

  for node in "${LAB_NODES[@]}"; do
    ns=$(lab_netns "$node")
    veth=$(lab_veth "$node")
    addr=${LAB_ADDR[$node]}
    ip netns add "$ns"
    ip link add "$veth" type veth peer name eth0 netns "$ns"
    ip link set dev "$veth" master "$LAB_BRIDGE"
    ip link set dev "$veth" up
    ip -n "$ns" link set dev lo up
    ip -n "$ns" addr add "$addr/$LAB_PREFIXLEN" dev eth0
    ip -n "$ns" link set dev eth0 up
    lab_log "network: $node: netns $ns, $addr (veth $veth)"
  done
}

# Remove this lab's namespaces (lblab-LAB-*), veths (lbv-LAB-*) and bridge, and nothing of
# another lab's (lab names contain no '-', so these prefixes are the lab's alone). Idempotent.
lab_net_down() {
  local ns link
  while read -r ns _; do
    [[ $ns == "$LAB_NETNS_LAB_PREFIX"* ]] || continue
    ip netns delete "$ns" 2>/dev/null || true
  done < <(ip netns list 2>/dev/null)
  # A namespace file whose bind mount was already removed is not listed by every ip version.
  for ns in "$LAB_NETNS_DIR/$LAB_NETNS_LAB_PREFIX"*; do
    [[ -e $ns ]] || continue
    umount -l "$ns" 2>/dev/null || true
    rm -f "$ns"
  done
  while read -r link; do
    link=${link%%@*}
    [[ $link == "$LAB_VETH_LAB_PREFIX"* ]] || continue
    ip link delete dev "$link" 2>/dev/null || true
  done < <(ip -o link show 2>/dev/null | awk -F': ' '{print $2}')
  if lab_link_exists "$LAB_BRIDGE"; then ip link delete dev "$LAB_BRIDGE"; fi
  # `ip netns add` bind-mounts the netns directory onto itself: undo that once no namespace at
  # all is left (another lab's, or anyone's). A plain umount only: it fails while any namespace
  # is mounted below, where a lazy one would detach another lab's namespaces.
  if [[ -d $LAB_NETNS_DIR && -z $(ls -A "$LAB_NETNS_DIR" 2>/dev/null) ]]; then
    local i
    for i in 1 2 3 4; do
      grep -qF " $LAB_NETNS_DIR " /proc/self/mountinfo || break
      [[ -z $(ls -A "$LAB_NETNS_DIR" 2>/dev/null) ]] || break
      umount "$LAB_NETNS_DIR" 2>/dev/null || break
    done
    rmdir "$LAB_NETNS_DIR" 2>/dev/null || true
  fi
}

# The lab's network is as `lab_net_up` left it: bridge with its address, every node's
# namespace with its address on eth0.
lab_net_is_up() {
  local node ns
  ip -o -4 addr show dev "$LAB_BRIDGE" 2>/dev/null | grep -qF " $LAB_BRIDGE_ADDR/$LAB_PREFIXLEN " || return 1
  for node in "${LAB_NODES[@]}"; do
    ns=$(lab_netns "$node")
    lab_netns_exists "$ns" || return 1
    ip -n "$ns" -o -4 addr show dev eth0 2>/dev/null | grep -qF " ${LAB_ADDR[$node]}/$LAB_PREFIXLEN " || return 1
  done
}
