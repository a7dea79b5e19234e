#!/usr/bin/env bash
# partition-node.sh BASE_DIR cut|heal I
# cut: node I of start-netns-cluster.sh's cluster can no longer reach the other nodes, nor they it
# (blackhole routes on both sides: packets vanish, no reset, no ICMP), while this host still reaches
# every node. heal: removes those routes. Both are idempotent and return at once; Erlang notices a
# cut after net_ticktime.
. "$(dirname "$0")/rmq-node.sh"
. "$(dirname "$0")/netns.sh"
init_base "$1"
action=${2:-} victim=${3:-}
[ -s "$BASE/netns.env" ] || { echo "no netns cluster under $BASE" >&2; exit 2; }
PREFIX=$(sed -n 's/^PREFIX=//p' "$BASE/netns.env")
NODES=$(sed -n 's/^NODES=//p' "$BASE/netns.env")
SUBNET=$(sed -n 's/^SUBNET=//p' "$BASE/netns.env")
[[ "$victim" =~ ^[0-9]+$ ]] && [ "$victim" -ge 1 ] && [ "$victim" -le "$NODES" ] \
  || { echo "usage: ${0##*/} BASE_DIR cut|heal 1..$NODES" >&2; exit 2; }

for j in $(seq 1 "$NODES"); do
  [ "$j" = "$victim" ] && continue
  case $action in
    cut)
      ip -n "$(ns_name "$PREFIX" "$victim")" route replace blackhole "$SUBNET.$j/32"
      ip -n "$(ns_name "$PREFIX" "$j")" route replace blackhole "$SUBNET.$victim/32" ;;
    heal)
      ip -n "$(ns_name "$PREFIX" "$victim")" route del blackhole "$SUBNET.$j/32" 2> /dev/null || true
      ip -n "$(ns_name "$PREFIX" "$j")" route del blackhole "$SUBNET.$victim/32" 2> /dev/null || true ;;
    *) echo "usage: ${0##*/} BASE_DIR cut|heal I" >&2; exit 2 ;;
  esac
done
echo "$action: node $victim ($SUBNET.$victim) and nodes 1..$NODES"
