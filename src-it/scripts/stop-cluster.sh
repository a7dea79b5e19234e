#!/usr/bin/env bash
# stop-cluster.sh BASE_DIR
# Stops every node that start-cluster.sh, start-tls-node.sh or start-netns-cluster.sh started under
# BASE_DIR, all at once, removes start-netns-cluster.sh's network, then deletes BASE_DIR. Only PIDs
# recorded under BASE_DIR, and processes inside that run's namespaces, are ever signalled. A missing
# BASE_DIR is not an error. Bounded: each node takes at most the CLI time-out + 20 s.
. "$(dirname "$0")/rmq-node.sh"
[ -d "$1" ] || exit 0
init_base "$1"

while IFS= read -r f; do stop_node "$(dirname "$f")" & done < <(find "$BASE" -name nodename)
wait
if [ -s "$BASE/netns.env" ]; then
  . "$(dirname "$0")/netns.sh"
  teardown_network "$BASE/netns.env"
fi
rm -rf "$BASE"
