# shellcheck shell=bash
# Lifeboat lab: certificates (openssl, ECDSA P-256).
# Kept across rebuilds and by `down` (removed by `down --purge` only), in $LAB_CA_DIR:
#   ca.pem, ca-key.pem                  lab CA (signs the engines' and the client's certificates)
#   client/{ca.pem,cert.pem,key.pem}    the client bundle (clientAuth, CN lifeboat)
#   rogue/{ca.pem,cert.pem,key.pem}     a client bundle whose certificate comes from another CA
#   rogue-ca/{ca.pem,ca-key.pem}        that other CA (rogue/rogue-ca.pem is a copy of its ca.pem)
# Made anew by every build, in $LAB_TLS:
#   nodes/NODE/{cert.pem,key.pem}       engine server certificate (serverAuth), signed by the lab CA

# Minimal openssl config, so the host's /etc/ssl/openssl.cnf never matters.
lab_tls_conf() { # FILE [EXTRA SECTION LINES...]
  local f=$1
  shift
  {
    printf '[req]\ndistinguished_name = dn\n[dn]\n'
    printf '[v3_ca]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign,digitalSignature\nsubjectKeyIdentifier = hash\n'
    printf '[leaf]\n'
    printf '%s\n' "$@"
  } >"$f"
}

lab_tls_serial() { printf '0x1%s' "$(openssl rand -hex 15)"; }

lab_tls_key() { # OUT
  (
    umask 077
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
  )
}

# lab_tls_ca CERT KEY CN [DAYS]
lab_tls_ca() {
  local cert=$1 key=$2 cn=$3 days=${4:-3650} conf
  conf=$(mktemp)
  lab_tls_conf "$conf"
  lab_tls_key "$key"
  OPENSSL_CONF=$conf openssl req -x509 -new -sha256 -key "$key" -subj "/CN=$cn" -days "$days" \
    -config "$conf" -extensions v3_ca -set_serial "$(lab_tls_serial)" -out "$cert"
  chmod 0644 "$cert"
  rm -f "$conf"
}

# lab_tls_leaf CA_CERT CA_KEY CERT KEY SUBJECT EXT_KEY_USAGE [SAN]
# SUBJECT like "/CN=x" or "/O=y/CN=x"; EXT_KEY_USAGE like serverAuth or serverAuth,clientAuth.
lab_tls_leaf() {
  local ca=$1 cakey=$2 cert=$3 key=$4 subj=$5 eku=$6 san=${7:-} conf
  conf=$(mktemp)
  local -a ext=(
    'basicConstraints = critical,CA:FALSE'
    'keyUsage = critical,digitalSignature,keyEncipherment'
    "extendedKeyUsage = $eku"
    'subjectKeyIdentifier = hash'
    'authorityKeyIdentifier = keyid'
  )
  [[ -z $san ]] || ext+=("subjectAltName = $san")
  lab_tls_conf "$conf" "${ext[@]}"
  lab_tls_key "$key"
  OPENSSL_CONF=$conf openssl req -new -sha256 -key "$key" -subj "$subj" -config "$conf" |
    OPENSSL_CONF=$conf openssl x509 -req -sha256 -CA "$ca" -CAkey "$cakey" -set_serial "$(lab_tls_serial)" \
      -days 825 -extfile "$conf" -extensions leaf -out "$cert" 2>/dev/null
  chmod 0644 "$cert"
  rm -f "$conf"
}

# The lab CA and the client and rogue bundles: kept when they are there and valid (so that a
# dashboard holding the client bundle keeps working after a rebuild), made otherwise.
lab_tls_ca_ensure() {
  local ca=$LAB_CA_DIR/ca.pem cakey=$LAB_CA_DIR/ca-key.pem
  mkdir -p "$LAB_CA_DIR"
  chmod 0755 "$LAB_CA_DIR"
  if lab_tls_ca_valid; then
    lab_log "tls: keeping the lab CA in $LAB_CA_DIR ($(lab_tls_fingerprint "$ca"))"
  else
    lab_log "tls: new lab CA in $LAB_CA_DIR"
    rm -rf "$LAB_CLIENT_TLS" "$LAB_ROGUE_TLS" "$LAB_CA_DIR/rogue-ca"
    lab_tls_ca "$ca" "$cakey" "Lifeboat Lab CA ($LAB_NAME)"
  fi
  if ! lab_tls_cert_valid "$ca" "$LAB_CLIENT_TLS/cert.pem" "$LAB_CLIENT_TLS/key.pem" ||
    ! cmp -s "$ca" "$LAB_CLIENT_TLS/ca.pem"; then
    lab_log "tls: new client bundle in $LAB_CLIENT_TLS"
    mkdir -p "$LAB_CLIENT_TLS"
    cp "$ca" "$LAB_CLIENT_TLS/ca.pem"
    lab_tls_leaf "$ca" "$cakey" "$LAB_CLIENT_TLS/cert.pem" "$LAB_CLIENT_TLS/key.pem" \
      "/O=Lifeboat Lab/CN=lifeboat" clientAuth
  fi
  # Rogue bundle: trusts the real lab CA (so the client accepts the engine), but presents a
  # client certificate from a CA the engines do not know: the ENGINE must refuse it.
  local rca=$LAB_CA_DIR/rogue-ca
  if ! lab_tls_cert_valid "$rca/ca.pem" "$LAB_ROGUE_TLS/cert.pem" "$LAB_ROGUE_TLS/key.pem" ||
    ! cmp -s "$ca" "$LAB_ROGUE_TLS/ca.pem" || ! cmp -s "$rca/ca.pem" "$LAB_ROGUE_TLS/rogue-ca.pem"; then
    lab_log "tls: new rogue bundle in $LAB_ROGUE_TLS"
    mkdir -p "$rca" "$LAB_ROGUE_TLS"
    lab_tls_ca "$rca/ca.pem" "$rca/ca-key.pem" "Rogue CA"
    cp "$ca" "$LAB_ROGUE_TLS/ca.pem"
    cp "$rca/ca.pem" "$LAB_ROGUE_TLS/rogue-ca.pem"
    lab_tls_leaf "$rca/ca.pem" "$rca/ca-key.pem" "$LAB_ROGUE_TLS/cert.pem" \
      "$LAB_ROGUE_TLS/key.pem" "/O=Rogue/CN=lifeboat" clientAuth
  fi
}

lab_tls_fingerprint() { openssl x509 -in "$1" -noout -fingerprint -sha256 2>/dev/null | cut -d= -f2 | cut -c1-23; }

# The CA certificate and its key are there, belong together and stay valid for a year.
lab_tls_ca_valid() {
  local ca=$LAB_CA_DIR/ca.pem cakey=$LAB_CA_DIR/ca-key.pem a b
  [[ -s $ca && -s $cakey ]] || return 1
  openssl x509 -in "$ca" -noout -checkend $((365 * 86400)) >/dev/null 2>&1 || return 1
  a=$(openssl x509 -in "$ca" -noout -pubkey 2>/dev/null) || return 1
  b=$(openssl pkey -in "$cakey" -pubout 2>/dev/null) || return 1
  [[ -n $a && $a == "$b" ]]
}

# lab_tls_cert_valid CA CERT KEY: CERT is signed by CA, is KEY's, and stays valid for a day.
lab_tls_cert_valid() {
  local ca=$1 cert=$2 key=$3 a b
  [[ -s $ca && -s $cert && -s $key ]] || return 1
  openssl verify -CAfile "$ca" "$cert" >/dev/null 2>&1 || return 1
  openssl x509 -in "$cert" -noout -checkend 86400 >/dev/null 2>&1 || return 1
  a=$(openssl x509 -in "$cert" -noout -pubkey 2>/dev/null) || return 1
  b=$(openssl pkey -in "$key" -pubout 2>/dev/null) || return 1
  [[ -n $a && $a == "$b" ]]
}

lab_tls_setup() {
  local node addr d
  lab_tls_ca_ensure
  lab_log "tls: engine certificates in $LAB_TLS/nodes"
  mkdir -p "$LAB_TLS"
  chmod 0755 "$LAB_TLS"
  for node in "${LAB_NODES[@]}"; do
    addr=${LAB_ADDR[$node]}
    d=$LAB_TLS/nodes/$node
    mkdir -p "$d"
    lab_tls_leaf "$LAB_CA_DIR/ca.pem" "$LAB_CA_DIR/ca-key.pem" "$d/cert.pem" "$d/key.pem" \
      "/O=Lifeboat Lab/CN=$node" serverAuth "DNS:$node,DNS:localhost,IP:$addr,IP:127.0.0.1"
  done
}

lab_tls_files_present() {
  local node f
  for f in "$LAB_CA_DIR/ca.pem" "$LAB_CLIENT_TLS"/{ca,cert,key}.pem "$LAB_ROGUE_TLS"/{ca,cert,key}.pem; do
    [[ -s $f ]] || return 1
  done
  for node in "${LAB_NODES[@]}"; do
    [[ -s $LAB_TLS/nodes/$node/cert.pem && -s $LAB_TLS/nodes/$node/key.pem ]] || return 1
  done
}

# Mutual TLS works with the client bundle and is refused with the rogue one, on every node.
lab_tls_verify() {
  lab_for_nodes_parallel "checking TLS" lab_tls_verify_node "${LAB_NODES[@]}"
  lab_log "tls: all engines accept the client bundle and refuse the rogue bundle"
}

lab_tls_verify_node() {
  local node=$1 out
  lab_docker_tls "$node" "$LAB_CLIENT_TLS" version --format '{{.Server.Version}}' >/dev/null ||
    lab_die "tls: $node does not answer tcp://${LAB_ADDR[$node]}:$LAB_TCP_PORT with the client bundle"
  if out=$(lab_docker_tls "$node" "$LAB_ROGUE_TLS" version --format '{{.Server.Version}}' 2>&1); then
    lab_die "tls: $node ACCEPTED the rogue client certificate"
  fi
  [[ $out == *"bad certificate"* || $out == *"unknown certificate authority"* ]] ||
    lab_die "tls: $node refused the rogue bundle, but not with a TLS certificate error: $out"
}
