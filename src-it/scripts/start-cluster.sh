#!/usr/bin/env bash
# start-cluster.sh BASE_DIR
# Starts RMQ_NODES (default 3) throw-away nodes <RMQ_PREFIX>1..N@RMQ_HOST beside the machine's
# broker: AMQP on RMQ_PORT.. (default 5681..), Erlang distribution on AMQP port + 20000. Then joins
# nodes 2..N to node 1. Safe to run again: running nodes are kept, stopped ones restart on their
# data and rejoin, nodes already in the cluster are not joined twice. stop-cluster.sh undoes it all.
. "$(dirname "$0")/rmq-node.sh"
init_base "$1"
N=${RMQ_NODES:-3}
PORT=${RMQ_PORT:-5681}
SEED=${RMQ_PREFIX}1@$RMQ_HOST

t=$(now)
for i in $(seq 1 "$N"); do           # launch all, then wait for each: boots overlap
  port=$((PORT + i - 1))
  start_node "$RMQ_PREFIX$i" $((port + 20000)) "listeners.tcp.default = $port"
done
for i in $(seq 1 "$N"); do wait_node "$RMQ_PREFIX$i"; done
echo "booted $N nodes in $(elapsed "$t") s"

t=$(now)
for i in $(seq 2 "$N"); do
  node=$RMQ_PREFIX$i@$RMQ_HOST
  if [[ $(ctl -n "$node" cluster_status) == *"$SEED"* ]]; then continue; fi
  ctl -n "$node" stop_app
  ctl -n "$node" reset               # only an empty node can join
  ctl -n "$node" join_cluster "$SEED"
  ctl -n "$node" start_app
done
ctl -n "$SEED" await_online_nodes "$N" --timeout "$WAIT_S" > /dev/null
echo "cluster of $N nodes running after $(elapsed "$t") s more; cookie in $BASE/.erlang.cookie"
