# shellcheck shell=bash
# Lifeboat lab: every constant (names, addresses, paths) lives here and only here.
# Sourced by lab.sh; nothing in this file has side effects.

# --- Binaries (always the Debian docker.io client, never /usr/local/bin/docker) ---
LAB_DOCKER=/usr/bin/docker
LAB_DOCKERD=/usr/sbin/dockerd
# PATH given to every dockerd: finds Debian's containerd, containerd-shim-runc-v2, runc, docker-init.
LAB_ENGINE_PATH=/usr/sbin:/usr/bin:/sbin:/bin

# --- Nodes ---
LAB_NODES=(ctrl-1 ctrl-2 ctrl-3 worker-1)
LAB_CONTROLLERS=(ctrl-1 ctrl-2 ctrl-3)
LAB_WORKERS=(worker-1)
LAB_FIRST_MANAGER=ctrl-1
declare -A LAB_ADDR=(
  [ctrl-1]=10.77.0.11
  [ctrl-2]=10.77.0.12
  [ctrl-3]=10.77.0.13
  [worker-1]=10.77.0.21
)

# --- Network ---
LAB_BRIDGE=lblab0
LAB_BRIDGE_ADDR=10.77.0.1
LAB_PREFIXLEN=24
LAB_NETNS_PREFIX=lblab-          # network namespace of node N: lblab-N
LAB_VETH_PREFIX=lbv-             # root-namespace end of node N's veth pair: lbv-N (<= 15 chars)
LAB_NETNS_DIR=/run/netns         # where `ip netns` keeps its bind mounts (/var/run -> /run)
LAB_TCP_PORT=2376
LAB_SWARM_PORT=2377

# --- Paths ---
LAB_RUN=/run/lifeboat-lab        # sockets, exec-roots, pid files, TLS, logs (short: unix sockets < 108 bytes)
LAB_DATA=/var/lib/lifeboat-lab   # data-roots
LAB_TLS=$LAB_RUN/tls
LAB_CLIENT_TLS=$LAB_TLS/client
LAB_ROGUE_TLS=$LAB_TLS/rogue
LAB_IMAGE_DIR=$LAB_RUN/image
LAB_FIXTURES=$LAB_RUN/fixtures   # host-side staging copy of what the volumes were filled with
LAB_CGROUP_PARENT=/lifeboat-lab  # containers of node N live in cgroup /lifeboat-lab/N

# --- Image and UCP fixtures ---
LAB_IMAGE=lifeboat-lab/busybox:latest
LAB_BUSYBOX=/bin/busybox
LAB_UCP_VERSION=3.2.6
LAB_UCP_INSTANCE_ID=lblab7x2kq9m4v8n3p6r5t1w0z   # one cluster-wide (fake) UCP instance id
LAB_FIXTURE_MTIME=1583928000                     # mtime of every fixture file: 2020-03-11 12:00:00 UTC
LAB_KV_DB_BYTES=$((4 * 1024 * 1024))            # size of ucp-kv member/snap/db
LAB_KV_WAL_BYTES=$((1024 * 1024))               # size of the ucp-kv WAL file

LAB_UCP_CONTROLLER_VOLUMES=(
  ucp-client-root-ca ucp-cluster-root-ca
  ucp-controller-server-certs ucp-controller-client-certs ucp-node-certs
  ucp-kv-certs ucp-kv
  ucp-auth-store-certs ucp-auth-store-data
  ucp-auth-api-certs ucp-auth-worker-certs ucp-auth-worker-data
  ucp-metrics-data ucp-metrics-inventory
)
LAB_UCP_WORKER_VOLUMES=(ucp-node-certs)
# Volumes holding per-node leaf certificates (ca.pem, cert.pem, key.pem).
LAB_UCP_CERT_VOLUMES=(
  ucp-controller-server-certs ucp-controller-client-certs ucp-node-certs ucp-kv-certs
  ucp-auth-store-certs ucp-auth-api-certs ucp-auth-worker-certs
)

LAB_UCP_CONTROLLER_CONTAINERS=(
  ucp-kv ucp-controller ucp-proxy ucp-auth-store ucp-auth-api ucp-auth-worker
  ucp-client-root-ca ucp-cluster-root-ca
)
LAB_UCP_WORKER_CONTAINERS=(ucp-proxy)
# Mounts of each UCP container: "volume:path[:ro]" separated by spaces.
declare -A LAB_UCP_MOUNTS=(
  [ucp-kv]="ucp-kv:/data ucp-kv-certs:/etc/docker/ssl ucp-node-certs:/etc/ucp/node-certs"
  [ucp-controller]="ucp-controller-server-certs:/etc/ucp/server-certs ucp-controller-client-certs:/etc/ucp/client-certs ucp-node-certs:/etc/ucp/node-certs ucp-client-root-ca:/etc/ucp/client-root-ca:ro ucp-cluster-root-ca:/etc/ucp/cluster-root-ca:ro ucp-metrics-data:/var/lib/ucp/metrics-data ucp-metrics-inventory:/var/lib/ucp/metrics-inventory"
  [ucp-proxy]="ucp-node-certs:/etc/docker/ssl"
  [ucp-auth-store]="ucp-auth-store-certs:/tls ucp-auth-store-data:/var/data"
  [ucp-auth-api]="ucp-auth-api-certs:/tls"
  [ucp-auth-worker]="ucp-auth-worker-certs:/tls ucp-auth-worker-data:/var/data"
  [ucp-client-root-ca]="ucp-client-root-ca:/etc/cfssl"
  [ucp-cluster-root-ca]="ucp-cluster-root-ca:/etc/cfssl"
)

# Users' things on every node: a UCP backup must never touch them.
LAB_USER_CONTAINER=user-web
LAB_USER_VOLUME=user-data

# --- Timeouts (seconds) for polls ---
LAB_T_ENGINE=60        # an engine answering on its socket after start
LAB_T_SWARM=90         # swarm convergence (nodes Ready, leader present)
LAB_T_CONTAINERS=60    # containers running after an engine restart
LAB_T_PROC_EXIT=20     # a process going away after a signal
LAB_T_CALL=5           # one docker CLI call in a health probe
