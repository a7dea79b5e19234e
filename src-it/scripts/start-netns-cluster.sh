#!/usr/bin/env bash
# start-netns-cluster.sh BASE_DIR
# Starts RMQ_NODES (default 3) throw-away nodes, each in a network namespace of its own (netns.sh),
# as <RMQ_PREFIX>i@10.x.0.i (long names), AMQP on 10.x.0.i:5672, and joins nodes 2..N to node 1:
# a cluster whose links partition-node.sh can cut. Needs root. The nodes run with
# cluster_partition_handling = RMQ_PARTITION_HANDLING (pause_minority), Erlang's net_ticktime =
# RMQ_NET_TICKTIME (10 s: a cut link is noticed after 7.5-12.5 s instead of 45-75 s), and
# loopback_users = none (guest logs in from the bridge, 10.x.0.254). Cleans up the leftovers of runs
# whose owner process has gone first. The owner of this run is RMQ_OWNER_PID (default: the caller).
# Prints "subnet 10.x.0" for the caller. Safe to run again; stop-cluster.sh BASE_DIR undoes it all.
. "$(dirname "$0")/rmq-node.sh"
. "$(dirname "$0")/netns.sh"
[ "$(id -u)" = 0 ] || { echo "network namespaces need root" >&2; exit 3; }
command -v ip > /dev/null || { echo "ip (iproute2) is not on PATH" >&2; exit 3; }
init_base "$1"
N=${RMQ_NODES:-3}

reap_stale
t=$(now)
[ -s "$BASE/netns.env" ] || setup_network "$RMQ_PREFIX" "$N" "${RMQ_OWNER_PID:-$PPID}"
SUBNET=$(sed -n 's/^SUBNET=//p' "$BASE/netns.env")
echo "subnet $SUBNET"

# Each namespace's epmd is started here and awaited: a node that starts it itself can ask it for
# its name before it listens, and then fails to boot ("epmd error for host 10.x.0.i"), seen once at
# load average 20. teardown_network kills it with the namespace's other processes.
for i in $(seq 1 "$N"); do
  ns=$(ns_name "$RMQ_PREFIX" "$i")
  ip netns exec "$ns" epmd -names > /dev/null 2>&1 || ip netns exec "$ns" epmd -daemon
  for _ in $(seq 100); do ip netns exec "$ns" epmd -names > /dev/null 2>&1 && break; sleep 0.1; done
  ip netns exec "$ns" epmd -names > /dev/null 2>&1 || { echo "epmd did not start in $ns" >&2; exit 1; }
done
for i in $(seq 1 "$N"); do
  RMQ_NETNS=$(ns_name "$RMQ_PREFIX" "$i") RMQ_HOST=$SUBNET.$i \
    RMQ_ERL_ARGS="-kernel net_ticktime ${RMQ_NET_TICKTIME:-10}" \
    start_node "$RMQ_PREFIX$i" 25672 "listeners.tcp.default = 5672" "loopback_users = none" \
      "cluster_partition_handling = ${RMQ_PARTITION_HANDLING:-pause_minority}"
done
for i in $(seq 1 "$N"); do wait_node "$RMQ_PREFIX$i"; done
echo "booted $N nodes in $(elapsed "$t") s"

t=$(now)
SEED=${RMQ_PREFIX}1@$SUBNET.1
for i in $(seq 2 "$N"); do
  dir=$BASE/$RMQ_PREFIX$i
  if [[ $(node_ctl "$dir" cluster_status) == *"$SEED"* ]]; then continue; fi
  node_ctl "$dir" stop_app
  node_ctl "$dir" reset
  node_ctl "$dir" join_cluster "$SEED"
  node_ctl "$dir" start_app
done
node_ctl "$BASE/${RMQ_PREFIX}1" await_online_nodes "$N" --timeout "$WAIT_S" > /dev/null
echo "cluster of $N nodes running after $(elapsed "$t") s more; cookie in $BASE/.erlang.cookie"
