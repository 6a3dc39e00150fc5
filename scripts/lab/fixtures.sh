# shellcheck shell=bash
# Lifeboat lab: the busybox image, the UCP-like volumes and containers, the users' things.

# --- image ------------------------------------------------------------------------------------

# A root filesystem of Debian's static busybox (every applet as a symlink), as a tar.
lab_image_build_tar() {
  local root=$LAB_IMAGE_DIR/rootfs path
  rm -rf "$root"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,var,home/ucp}
  cp "$LAB_BUSYBOX" "$root/bin/busybox"
  chmod 0755 "$root/bin/busybox"
  while read -r path; do
    [[ -n $path && $path != bin/busybox ]] || continue
    [[ -d $root/${path%/*} ]] || mkdir -p "$root/${path%/*}"
    ln -sfn /bin/busybox "$root/$path"
  done < <("$LAB_BUSYBOX" --list-full)
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'ucp:x:1000:1000:ucp:/home/ucp:/bin/sh' \
    'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'ucp:x:1000:' 'nogroup:x:65534:' >"$root/etc/group"
  chown 1000:1000 "$root/home/ucp"
  chmod 1777 "$root/tmp"
  tar --sort=name --mtime=@0 --numeric-owner -C "$root" -cf "$LAB_IMAGE_DIR/busybox-rootfs.tar" .
  rm -rf "$root"
}

# docker import on the first manager, then the very same image (same id) into the others.
lab_image_distribute() {
  local first=$LAB_FIRST_MANAGER
  lab_log "image: docker import $LAB_IMAGE on $first"
  lab_docker "$first" import --change 'CMD ["sh"]' --message 'Lifeboat lab: Debian static busybox' \
    "$LAB_IMAGE_DIR/busybox-rootfs.tar" "$LAB_IMAGE" >/dev/null
  lab_docker "$first" save -o "$LAB_IMAGE_DIR/image.tar" "$LAB_IMAGE"
  local -a others=()
  local n
  for n in "${LAB_NODES[@]}"; do [[ $n == "$first" ]] || others+=("$n"); done
  lab_for_nodes_parallel "loading the image" lab_image_load "${others[@]}"
  lab_log "image: $LAB_IMAGE ($(lab_docker "$first" image inspect --format '{{.Id}}' "$LAB_IMAGE" | cut -c1-19)) on every node"
}
lab_image_load() { lab_docker "$1" load -q -i "$LAB_IMAGE_DIR/image.tar" >/dev/null; }

# --- staged fixture content (on the host, then copied into the volumes through each engine) ---

# Deterministic pseudo-random bytes: lab_det_bytes SEED COUNT
lab_det_bytes() {
  local key
  key=$(printf '%s' "$1" | sha256sum | cut -c1-32)
  head -c "$2" /dev/zero | openssl enc -aes-128-ctr -nosalt -K "$key" -iv 00000000000000000000000000000000
}

# lab_put FILE MODE OWNER < content
lab_put() {
  mkdir -p "$(dirname "$1")"
  cat >"$1"
  chmod "$2" "$1"
  chown "$3" "$1"
}
lab_dir() { # DIR MODE OWNER
  mkdir -p "$1"
  chmod "$2" "$1"
  chown "$3" "$1"
}

lab_cfssl_config() {
  cat <<'EOF'
{
  "signing": {
    "default": {
      "expiry": "8760h"
    },
    "profiles": {
      "node": {
        "usages": ["signing", "key encipherment", "server auth", "client auth"],
        "expiry": "2160h"
      },
      "client": {
        "usages": ["signing", "key encipherment", "client auth"],
        "expiry": "8760h"
      },
      "intermediate": {
        "usages": ["signing", "key encipherment", "cert sign", "crl sign"],
        "expiry": "43800h",
        "ca_constraint": {"is_ca": true, "max_path_len": 0, "max_path_len_zero": true}
      }
    }
  }
}
EOF
}

# The two cluster-wide root CAs (the same on every controller, as UCP replicates them).
lab_stage_root_cas() {
  local c=$LAB_FIXTURES/cluster d
  for d in ucp-client-root-ca ucp-cluster-root-ca; do
    lab_dir "$c/$d" 0755 0:0
  done
  lab_tls_ca "$c/ucp-client-root-ca/cert.pem" "$c/ucp-client-root-ca/key.pem" "UCP Client Root CA" 7300
  lab_tls_ca "$c/ucp-cluster-root-ca/cert.pem" "$c/ucp-cluster-root-ca/key.pem" "UCP Cluster Root CA" 7300
  for d in ucp-client-root-ca ucp-cluster-root-ca; do
    lab_cfssl_config | lab_put "$c/$d/config.json" 0644 0:0
    chmod 0600 "$c/$d/key.pem"
  done
}

# A volume holding one node's leaf certificate signed by the cluster root CA.
lab_stage_cert_volume() { # NODE VOLUME DIR
  local node=$1 vol=$2 dir=$3 ca=$LAB_FIXTURES/cluster/ucp-cluster-root-ca eku=serverAuth,clientAuth
  [[ $vol == ucp-controller-client-certs ]] && eku=clientAuth
  lab_dir "$dir" 0755 0:0
  cp "$ca/cert.pem" "$dir/ca.pem"
  chmod 0644 "$dir/ca.pem"
  lab_tls_leaf "$ca/cert.pem" "$ca/key.pem" "$dir/cert.pem" "$dir/key.pem" \
    "/O=$LAB_UCP_INSTANCE_ID/OU=${vol%-certs}/CN=$node" "$eku" \
    "DNS:$node,DNS:${vol%-certs},DNS:localhost,IP:${LAB_ADDR[$node]},IP:127.0.0.1"
}

# ucp-kv: etcd-like, a few MB, nested dirs, symlinks, several modes and owners, empty file/dir.
lab_stage_kv() { # NODE DIR
  local node=$1 d=$2
  lab_dir "$d" 0755 0:0
  lab_dir "$d/member" 0700 0:0
  lab_dir "$d/member/snap" 0755 0:0
  lab_dir "$d/member/wal" 0755 0:0
  lab_dir "$d/member/wal/archive" 0755 0:0 # stays empty
  lab_dir "$d/kv-proxy" 0755 0:0
  lab_det_bytes "ucp-kv/$node/db" "$LAB_KV_DB_BYTES" | lab_put "$d/member/snap/db" 0600 0:0
  lab_det_bytes "ucp-kv/$node/snap1" $((64 * 1024)) |
    lab_put "$d/member/snap/0000000000000002-0000000000010001.snap" 0644 0:0
  lab_det_bytes "ucp-kv/$node/snap2" $((96 * 1024)) |
    lab_put "$d/member/snap/0000000000000003-0000000000020002.snap" 0640 1000:1000
  ln -s 0000000000000003-0000000000020002.snap "$d/member/snap/latest.snap"
  lab_det_bytes "ucp-kv/$node/wal" "$LAB_KV_WAL_BYTES" |
    lab_put "$d/member/wal/0000000000000000-0000000000000000.wal" 0600 0:0
  lab_put "$d/member/wal/0.tmp" 0600 0:0 </dev/null # empty file
  ln -s member/snap "$d/snapshots"
  {
    printf 'name: %s\n' "$node"
    printf 'data-dir: /data\n'
    printf 'listen-peer-urls: https://%s:12380\n' "${LAB_ADDR[$node]}"
    printf 'listen-client-urls: https://%s:12379\n' "${LAB_ADDR[$node]}"
    printf 'initial-cluster: '
    local n sep=
    for n in "${LAB_CONTROLLERS[@]}"; do
      printf '%s%s=https://%s:12380' "$sep" "$n" "${LAB_ADDR[$n]}"
      sep=,
    done
    printf '\ninitial-cluster-token: %s\nclient-transport-security:\n  cert-file: /etc/docker/ssl/cert.pem\n  key-file: /etc/docker/ssl/key.pem\n  trusted-ca-file: /etc/docker/ssl/ca.pem\n' "$LAB_UCP_INSTANCE_ID"
  } | lab_put "$d/etcd.conf.yml" 0640 1000:1000
  printf '{"endpoints":["https://%s:12379"]}\n' "${LAB_ADDR[$node]}" | lab_put "$d/kv-proxy/endpoints.json" 0644 65534:65534
  printf '#!/bin/sh\nexec etcdctl endpoint health\n' | lab_put "$d/healthcheck.sh" 0755 0:0
}

lab_stage_auth_store_data() { # NODE DIR (rethinkdb-like)
  local node=$1 d=$2
  lab_dir "$d" 0755 0:0
  lab_dir "$d/rethinkdb" 0755 1000:1000
  lab_dir "$d/rethinkdb/tmp" 0755 1000:1000
  lab_det_bytes "auth-store/$node/metadata" $((32 * 1024)) | lab_put "$d/rethinkdb/metadata" 0600 1000:1000
  lab_det_bytes "auth-store/$node/table" $((128 * 1024)) |
    lab_put "$d/rethinkdb/9a6b0cbb-5b1f-4b0e-8e0c-0d3c5a1e2f01" 0600 1000:1000
  printf '2020-03-11T12:00:00.000000000 0.000000s notice: Running rethinkdb 2.3.6 (GCC 4.9.2)...\n2020-03-11T12:00:00.100000000 0.100000s notice: Server ready, "%s" 7c3c5e10-0000-4000-8000-%012d\n' \
    "$node" "${node//[!0-9]/}" | lab_put "$d/rethinkdb/log_file" 0644 1000:1000
}

lab_stage_auth_worker_data() { # NODE DIR
  local node=$1 d=$2
  lab_dir "$d" 0755 0:0
  lab_dir "$d/enzi-worker" 0755 0:0
  printf '{"worker":"%s","lastSync":"2020-03-11T12:00:00Z","jobs":0}\n' "$node" | lab_put "$d/enzi-worker/state.json" 0644 0:0
  printf '{"ldapSyncJobs":[]}\n' | lab_put "$d/enzi-worker/ldap-sync-jobs.json" 0640 1000:1000
}

lab_stage_metrics_data() { # NODE DIR (prometheus-like)
  local node=$1 d=$2
  lab_dir "$d" 0755 0:0
  lab_dir "$d/prometheus" 0755 1000:1000
  lab_dir "$d/prometheus/wal" 0755 1000:1000
  lab_dir "$d/prometheus/chunks_head" 0755 1000:1000
  lab_det_bytes "metrics/$node/wal" $((256 * 1024)) | lab_put "$d/prometheus/wal/00000000" 0644 1000:1000
  lab_det_bytes "metrics/$node/chunks" $((128 * 1024)) | lab_put "$d/prometheus/chunks_head/000001" 0644 1000:1000
  lab_put "$d/prometheus/lock" 0600 1000:1000 </dev/null
  printf '[]\n' | lab_put "$d/prometheus/queries.active" 0644 1000:1000
}

lab_stage_metrics_inventory() { # NODE DIR
  local node=$1 d=$2 n sep=
  lab_dir "$d" 0755 0:0
  {
    printf '{"instanceID":"%s","nodes":[' "$LAB_UCP_INSTANCE_ID"
    for n in "${LAB_NODES[@]}"; do
      printf '%s{"hostname":"%s","address":"%s","role":"%s"}' "$sep" "$n" "${LAB_ADDR[$n]}" "$(lab_role "$n")"
      sep=,
    done
    printf ']}\n'
  } | lab_put "$d/inventory.json" 0644 0:0
  printf '[{"targets":["%s:12376"],"labels":{"job":"ucp"}}]\n' "${LAB_ADDR[$node]}" |
    lab_put "$d/targets/prometheus-targets.json" 0644 0:0
}

lab_stage_user_data() { # NODE DIR
  local node=$1 d=$2
  lab_dir "$d" 0755 0:0
  printf '<!doctype html>\n<title>user-web on %s</title>\n<p>A user application. Not UCP.</p>\n' "$node" |
    lab_put "$d/index.html" 0644 0:0
  printf 'these files belong to a user: a UCP backup must never read or change them\n' |
    lab_put "$d/notes/todo.txt" 0644 1000:1000
  printf '{"owner":"user","node":"%s"}\n' "$node" | lab_put "$d/config.json" 0640 1000:1000
}

lab_stage_node() { # NODE: $LAB_FIXTURES/NODE/<volume>/...
  local node=$1 base=$LAB_FIXTURES/$1 vol
  lab_dir "$base" 0755 0:0
  if lab_is_controller "$node"; then
    cp -a "$LAB_FIXTURES/cluster/ucp-client-root-ca" "$LAB_FIXTURES/cluster/ucp-cluster-root-ca" "$base/"
    for vol in "${LAB_UCP_CERT_VOLUMES[@]}"; do lab_stage_cert_volume "$node" "$vol" "$base/$vol"; done
    lab_stage_kv "$node" "$base/ucp-kv"
    lab_stage_auth_store_data "$node" "$base/ucp-auth-store-data"
    lab_stage_auth_worker_data "$node" "$base/ucp-auth-worker-data"
    lab_stage_metrics_data "$node" "$base/ucp-metrics-data"
    lab_stage_metrics_inventory "$node" "$base/ucp-metrics-inventory"
  else
    lab_stage_cert_volume "$node" ucp-node-certs "$base/ucp-node-certs"
  fi
  lab_stage_user_data "$node" "$base/$LAB_USER_VOLUME"
  find "$base" -exec touch -h -d "@$LAB_FIXTURE_MTIME" {} +
}

lab_fixtures_stage() {
  lab_log "fixtures: staging volume contents in $LAB_FIXTURES"
  rm -rf "$LAB_FIXTURES"
  lab_dir "$LAB_FIXTURES" 0755 0:0
  lab_stage_root_cas
  lab_for_nodes_parallel "staging fixtures" lab_stage_node "${LAB_NODES[@]}"
  local vol
  for vol in "${LAB_UCP_CONTROLLER_VOLUMES[@]}"; do
    [[ -d $LAB_FIXTURES/${LAB_CONTROLLERS[0]}/$vol ]] || lab_die "fixtures: nothing staged for $vol"
  done
}

# --- volumes and containers on the engines ------------------------------------------------------

lab_node_volumes() { # NODE -> volume names (UCP ones, then the user's)
  if lab_is_controller "$1"; then
    printf '%s\n' "${LAB_UCP_CONTROLLER_VOLUMES[@]}"
  else
    printf '%s\n' "${LAB_UCP_WORKER_VOLUMES[@]}"
  fi
  printf '%s\n' "$LAB_USER_VOLUME"
}

lab_node_ucp_containers() {
  if lab_is_controller "$1"; then
    printf '%s\n' "${LAB_UCP_CONTROLLER_CONTAINERS[@]}"
  else
    printf '%s\n' "${LAB_UCP_WORKER_CONTAINERS[@]}"
  fi
}

# Create the volumes (all of the node's, or those named) and fill them from the staged copy,
# through the engine (one helper run).
lab_node_fill_volumes() { # NODE [VOLUME...]
  local node=$1 vol
  shift
  local -a vols=("$@") mounts=(-v "$LAB_FIXTURES/$node:/src:ro")
  ((${#vols[@]} > 0)) || mapfile -t vols < <(lab_node_volumes "$node")
  for vol in "${vols[@]}"; do
    lab_docker "$node" volume create "$vol" >/dev/null
    mounts+=(-v "$vol:/dst/$vol")
  done
  lab_docker "$node" rm -f lab-fill >/dev/null 2>&1 || true # left by an interrupted run
  # cp -a keeps modes, owners, symlinks and mtimes (busybox cp does not set a symlink's mtime).
  lab_docker "$node" run --rm --network none --name lab-fill -e "MTIME=@$LAB_FIXTURE_MTIME" \
    -e "VOLS=${vols[*]}" "${mounts[@]}" "$LAB_IMAGE" sh -ec '
      for v in $VOLS; do
        cp -a "/src/$v/." "/dst/$v/"
        chown 0:0 "/dst/$v"; chmod 0755 "/dst/$v"
        find "/dst/$v" -type l -exec touch -h -d "$MTIME" {} +
        touch -d "$MTIME" "/dst/$v"
      done'
}

lab_node_create_container() { # NODE CONTAINER
  local node=$1 c=$2 m role=controller
  lab_is_controller "$node" || role=worker
  if [[ $c == "$LAB_USER_CONTAINER" ]]; then
    lab_docker "$node" run -d --init --network none --restart unless-stopped --name "$LAB_USER_CONTAINER" \
      --label app=user-web -v "$LAB_USER_VOLUME:/srv/www" \
      "$LAB_IMAGE" httpd -f -p 8080 -h /srv/www >/dev/null
    return 0
  fi
  local -a mounts=()
  for m in ${LAB_UCP_MOUNTS[$c]}; do mounts+=(-v "$m"); done
  lab_docker "$node" run -d --init --network none --restart unless-stopped --name "$c" \
    --label "com.docker.ucp.version=$LAB_UCP_VERSION" \
    --label "com.docker.ucp.InstanceID=$LAB_UCP_INSTANCE_ID" \
    --label "com.docker.ucp.role=$role" \
    "${mounts[@]}" "$LAB_IMAGE" sleep 2147483647 >/dev/null
}

lab_node_create_containers() {
  local node=$1 c
  while read -r c; do
    lab_node_create_container "$node" "$c"
  done < <(lab_node_expected_containers "$node")
}

lab_node_fixtures() { # NODE: volumes, then containers
  lab_node_fill_volumes "$1"
  lab_node_create_containers "$1"
  lab_log "$1: $(lab_node_volumes "$1" | wc -l) volumes filled, $(($(lab_node_ucp_containers "$1" | wc -l) + 1)) containers running"
}

lab_node_expected_containers() {
  lab_node_ucp_containers "$1"
  echo "$LAB_USER_CONTAINER"
}

# NODE -> names of its running containers, one a line; fails if the engine does not answer.
# Straight from the engine's API with curl (a tenth of the docker CLI's cost: `up` and `status`
# ask every engine), bounded in time like lab_docker_t.
lab_node_running_names() {
  local json names=''
  json=$(lab_api_get "$1" '/containers/json?filters=%7B%22status%22%3A%5B%22running%22%5D%7D') || return 1
  [[ $json == \[* ]] || return 1
  while [[ $json =~ \"Names\":\[\"/([^\"]+)\" ]]; do
    names+=${BASH_REMATCH[1]}$'\n'
    json=${json#*"${BASH_REMATCH[0]}"}
  done
  printf '%s' "$names"
}

lab_names_have_expected() { # NODE NAMES: every container expected on NODE is in NAMES (one a line)
  local names=$'\n'$2$'\n' c
  for c in $(lab_node_expected_containers "$1"); do
    [[ $names == *$'\n'"$c"$'\n'* ]] || return 1
  done
}

lab_node_containers_running() { # NODE: every expected container is running
  local names
  names=$(lab_node_running_names "$1") || return 1
  lab_names_have_expected "$1" "$names"
}

# --- repair: what is missing or stopped on an engine that answers ------------------------------

# The image on every node: loaded from the saved image.tar (or saved anew from a node that has
# it, so that its id stays the same everywhere; or, if none has it, imported again).
lab_image_repair() {
  local node src=''
  local -a missing=()
  for node in "${LAB_NODES[@]}"; do
    if lab_docker "$node" image inspect "$LAB_IMAGE" >/dev/null 2>&1; then
      [[ -n $src ]] || src=$node
    else
      missing+=("$node")
    fi
  done
  ((${#missing[@]} > 0)) || return 0
  mkdir -p "$LAB_IMAGE_DIR"
  if [[ ! -s $LAB_IMAGE_DIR/image.tar ]]; then
    if [[ -z $src ]]; then
      src=${missing[0]}
      lab_log "repair: no node has $LAB_IMAGE: importing it again on $src"
      lab_image_build_tar
      lab_docker "$src" import --change 'CMD ["sh"]' --message 'Lifeboat lab: Debian static busybox' \
        "$LAB_IMAGE_DIR/busybox-rootfs.tar" "$LAB_IMAGE" >/dev/null
      missing=("${missing[@]:1}")
    fi
    lab_docker "$src" save -o "$LAB_IMAGE_DIR/image.tar" "$LAB_IMAGE"
  fi
  if ((${#missing[@]} > 0)); then
    lab_log "repair: loading $LAB_IMAGE into ${missing[*]}"
    lab_for_nodes_parallel "loading the image" lab_image_load "${missing[@]}"
  fi
}

# The staged content of NODE's volumes, if it is gone (the cluster root CAs are then new ones).
lab_node_stage_if_missing() {
  local node=$1
  [[ -d $LAB_FIXTURES/$node ]] && return 0
  lab_log "$node: staging its fixture content again in $LAB_FIXTURES/$node"
  if [[ ! -d $LAB_FIXTURES/cluster ]]; then
    lab_dir "$LAB_FIXTURES" 0755 0:0
    lab_stage_root_cas
  fi
  lab_stage_node "$node"
}

# NODE's volumes and containers as `up` made them: missing volumes are created and filled
# (never an existing one), missing containers created, stopped ones started, paused ones unpaused.
lab_node_repair_fixtures() {
  local node=$1 v c name state have
  local -a vols=() fixed=()
  have=$'\n'$(lab_docker "$node" volume ls -q)$'\n'
  while read -r v; do
    [[ $have == *$'\n'"$v"$'\n'* ]] || vols+=("$v")
  done < <(lab_node_volumes "$node")
  if ((${#vols[@]} > 0)); then
    lab_log "$node: creating missing volumes again: ${vols[*]}"
    lab_node_stage_if_missing "$node"
    lab_node_fill_volumes "$node" "${vols[@]}"
  fi
  local -A states=()
  while read -r name state; do
    if [[ -n $name ]]; then states[$name]=$state; fi
  done < <(lab_docker "$node" ps -a --format '{{.Names}} {{.State}}')
  while read -r c; do
    case ${states[$c]:-missing} in
    running | restarting) ;;
    missing)
      lab_node_create_container "$node" "$c"
      fixed+=("$c (created)")
      ;;
    paused)
      lab_docker "$node" unpause "$c" >/dev/null
      fixed+=("$c (unpaused)")
      ;;
    *) # exited, created, dead: the engine's restart policy may be starting it at this very moment
      lab_docker "$node" start "$c" >/dev/null 2>&1 || lab_log "$node: note: could not start $c (yet)"
      fixed+=("$c (started, was ${states[$c]})")
      ;;
    esac
  done < <(lab_node_expected_containers "$node")
  ((${#fixed[@]} == 0)) || lab_log "$node: containers: ${fixed[*]}"
}
