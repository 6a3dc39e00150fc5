# shellcheck shell=bash
# Lifeboat lab: every constant (names, addresses, paths) lives here and only here.
# Sourced by lab.sh; nothing in this file has side effects.

# --- Binaries (always the Debian docker.io client, never /usr/local/bin/docker) ---
LAB_DOCKER=/usr/bin/docker
LAB_DOCKERD=/usr/sbin/dockerd
# PATH given to every dockerd: finds Debian's containerd, containerd-shim-runc-v2, runc, docker-init.
LAB_ENGINE_PATH=/usr/sbin:/usr/bin:/sbin:/bin

# --- Labs ---
# Several labs can run side by side, one per purpose (demo, test, bench, …). Each has a name, a
# number of controllers fixed when it is created, and its own subnet, bridge, namespaces, paths,
# CA, cgroup parent and lock. labs.sh derives every per-lab value from the constants below.
LAB_NAME_DEFAULT=demo            # --name, else $LIFEBOAT_LAB_NAME, else this
LAB_NAME_PATTERN='^[a-z0-9]{1,8}$'
LAB_CONTROLLERS_DEFAULT=3
LAB_CONTROLLER_COUNTS=(1 3 5)    # allowed --controllers values (an odd number of managers)

# --- Nodes ---
# Lab with C controllers: ctrl-1..ctrl-C (swarm managers), then the workers below.
LAB_CONTROLLER_PREFIX=ctrl-
LAB_WORKER_NODES=(worker-1)
LAB_FIRST_MANAGER=ctrl-1
LAB_CONTROLLER_HOST_BASE=10      # ctrl-N   -> <subnet>.(10+N)   (demo: 10.77.0.11, .12, .13)
LAB_WORKER_HOST_BASE=20          # worker-N -> <subnet>.(20+N)   (demo: 10.77.0.21)

# --- Network ---
# Lab subnets: ${LAB_SUBNET_PREFIX}.X.0/24. The demo lab always has X = 0 (10.77.0.0/24); any
# other lab gets X in 1..254, first choice derived from its name (cksum), the next free one when
# another lab (or any address of this host) already uses it. Recorded in the lab's state file.
LAB_SUBNET_PREFIX=10.77
LAB_DEMO_NAME=demo
LAB_DEMO_SUBNET=0
LAB_BRIDGE_HOST=1                # the bridge's address in the lab subnet: <subnet>.1
LAB_PREFIXLEN=24
# Linux limits link names to 15 characters: with names of at most 8 characters,
#   bridge of lab L:           lbbr-L          (<= 13)
#   root end of node's veth:   lbv-L-c1 / lbv-L-w1 (c = controller, w = worker; <= 15)
#   network namespace:         lblab-L-NODE    (a file name, no such limit)
LAB_BRIDGE_PREFIX=lbbr-
LAB_VETH_PREFIX=lbv-
LAB_NETNS_PREFIX=lblab-
LAB_NETNS_DIR=/run/netns         # where `ip netns` keeps its bind mounts (/var/run -> /run)
LAB_TCP_PORT=2376
LAB_SWARM_PORT=2377

# --- Paths ---
# Per lab L (labs.sh):
#   $LAB_RUN_ROOT/L/NODE/   socket, exec-root, pid file, log, daemon.json (short: unix sockets < 108 bytes)
#   $LAB_RUN_ROOT/L/tls/    engine server certificates;  L/image, L/fixtures: staging
#   $LAB_RUN_ROOT/L.lock    the lab's lock (removed by `down`)
#   $LAB_DATA_ROOT/L/NODE   data-roots;  L/lab.conf: the lab's state (controllers, subnet, built)
#   $LAB_DATA_ROOT/L/ca/    lab CA, client and rogue bundles: kept by `down` and by a rebuild
#                           (removed by `down --purge`), so a dashboard keeps trusting the engines
LAB_RUN_ROOT=/run/lifeboat-lab
LAB_DATA_ROOT=/var/lib/lifeboat-lab
LAB_CGROUP_ROOT=/lifeboat-lab    # containers of node N of lab L live in cgroup /lifeboat-lab/L/N
LAB_STATE_FILE=lab.conf
LAB_CA_DIRNAME=ca

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

# Exit status of a command that found the lab broken beyond repair in place (a node out of the
# swarm, an engine that cannot start): `up` then rebuilds it. Any other failure of a repair
# (a timeout, say) leaves the lab as it is and fails.
LAB_EXIT_BROKEN=3

# --- Timeouts (seconds) for polls ---
LAB_T_ENGINE=60        # an engine answering on its socket after start
LAB_T_SWARM=90         # swarm convergence (nodes Ready, leader present)
LAB_T_CONTAINERS=60    # containers running after an engine restart
LAB_T_PROC_EXIT=20     # a process going away after a signal
LAB_T_CALL=5           # one docker CLI call in a health probe
