# netns.sh: network namespaces for throw-away nodes, shared by start-netns-cluster.sh,
# partition-node.sh and stop-cluster.sh. Sourced after rmq-node.sh, never run. Needs root and `ip`.
#
# Layout for prefix P and subnet S (10.x.0, x picked free): bridge Pbr in the root namespace with
# S.254/24; for node i a namespace Pni holding eth0 = S.i/24, joined to the bridge by the veth Phi.
# The nodes reach each other across the bridge, and this host (the test JVM) reaches every node at
# S.i:5672. Each namespace has its own loopback, so each node runs its own epmd on 4369 and uses the
# default ports: nothing clashes with the machine's broker or with another run.
#
# Every run is listed in NETNS_REGISTRY before it creates anything, with the process that owns it;
# reap_stale tears down the runs whose owner has gone (a JVM killed before it could clean up).

NETNS_REGISTRY=${NETNS_REGISTRY:-/run/warren-it-netns}

ns_name() { echo "${1}n$2"; }       # PREFIX I: node I's namespace
bridge_name() { echo "${1}br"; }    # PREFIX: the bridge
veth_name() { echo "${1}h$2"; }     # PREFIX I: node I's veth, bridge side

# owner_id PID: "PID:start time in clock ticks", so a recycled PID is not taken for the owner.
owner_id() {
  local stat
  stat=$(cat "/proc/$1/stat" 2> /dev/null) || return 1
  stat=${stat##*) }
  echo "$1:$(echo "$stat" | awk '{ print $20 }')"
}

owner_alive() { [ "$(owner_id "${1%%:*}" 2> /dev/null)" = "$1" ]; }

# free_subnet: a 10.x.0 with x in 100..249 that no address, route or registered run uses.
free_subnet() {
  local x
  for _ in $(seq 100); do
    x=$((100 + RANDOM % 150))
    if ! ip -4 addr show | grep -q "inet 10\.$x\." && ! ip -4 route show table all | grep -q "10\.$x\." \
        && ! cat "$NETNS_REGISTRY"/*.env 2> /dev/null | grep -qx "SUBNET=10.$x.0"; then
      echo "10.$x.0"
      return 0
    fi
  done
  echo "no free 10.x.0.0/24 subnet" >&2
  return 1
}

# kill_namespace NS: TERM, then KILL, every process left in NS (epmd outlives its node), bounded.
kill_namespace() {
  local pids
  for sig in TERM KILL; do
    pids=$(ip netns pids "$1" 2> /dev/null || true)
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086
    kill -s "$sig" $pids 2> /dev/null || true
    for _ in $(seq 20); do [ -n "$(ip netns pids "$1" 2> /dev/null)" ] || return 0; sleep 0.25; done
  done
}

# teardown_network ENV_FILE: removes what the run described by ENV_FILE created: processes in its
# namespaces, the namespaces (their veths go with them), the bridge, its registry entry.
teardown_network() {
  local PREFIX NODES SUBNET OWNER BASE_OF_RUN ns
  # shellcheck disable=SC1090
  . "$1"
  for i in $(seq 1 "$NODES"); do
    ns=$(ns_name "$PREFIX" "$i")
    if ip netns list | grep -qw "^$ns"; then
      kill_namespace "$ns"
      ip netns del "$ns" || true
    fi
    ip link del "$(veth_name "$PREFIX" "$i")" 2> /dev/null || true
  done
  ip link del "$(bridge_name "$PREFIX")" 2> /dev/null || true
  rm -f "$NETNS_REGISTRY/$PREFIX.env"
  echo "removed network of $PREFIX ($SUBNET.0/24)"
}

# reap_stale: tears down registered runs whose owner process has gone, with their nodes' base
# directory when it is still there and still says it belongs to that run.
reap_stale() {
  local f base prefix
  mkdir -p "$NETNS_REGISTRY"
  for f in "$NETNS_REGISTRY"/*.env; do
    [ -e "$f" ] || continue
    if ! owner_alive "$(sed -n 's/^OWNER=//p' "$f")"; then
      base=$(sed -n 's/^BASE_OF_RUN=//p' "$f")
      prefix=$(sed -n 's/^PREFIX=//p' "$f")
      echo "leftover of a previous run: $prefix (owner gone)"
      teardown_network "$f"
      if [ -n "$base" ] && grep -qsx "PREFIX=$prefix" "$base/netns.env"; then rm -rf "$base"; fi
    fi
  done
}

# setup_network PREFIX NODES OWNER_PID: registers the run, then makes bridge, namespaces and veths;
# writes BASE/netns.env (the registry entry's copy).
setup_network() {
  local prefix=$1 nodes=$2 owner subnet br ns veth peer
  owner=$(owner_id "$3") || { echo "owner process $3 not found" >&2; return 1; }
  mkdir -p "$NETNS_REGISTRY"
  # the lock makes picking a subnet and registering it one step for concurrent runs
  exec 9> "$NETNS_REGISTRY/.lock"
  flock -w 30 9 || { echo "cannot lock $NETNS_REGISTRY" >&2; return 1; }
  subnet=$(free_subnet)
  printf 'PREFIX=%s\nNODES=%s\nSUBNET=%s\nOWNER=%s\nBASE_OF_RUN=%s\n' "$prefix" "$nodes" "$subnet" "$owner" "$BASE" \
    > "$NETNS_REGISTRY/$prefix.env"
  flock -u 9
  cp "$NETNS_REGISTRY/$prefix.env" "$BASE/netns.env"
  br=$(bridge_name "$prefix")
  ip link add "$br" type bridge
  ip addr add "$subnet.254/24" dev "$br"
  ip link set "$br" up
  for i in $(seq 1 "$nodes"); do
    ns=$(ns_name "$prefix" "$i") veth=$(veth_name "$prefix" "$i") peer=${prefix}p$i
    ip netns add "$ns"
    ip link add "$veth" type veth peer name "$peer"
    ip link set "$peer" netns "$ns"
    ip link set "$veth" master "$br" up
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "$peer" name eth0
    ip -n "$ns" addr add "$subnet.$i/24" dev eth0
    ip -n "$ns" link set eth0 up
  done
  echo "network $subnet.0/24: bridge $br, namespaces $(ns_name "$prefix" 1)..$(ns_name "$prefix" "$nodes")"
}
