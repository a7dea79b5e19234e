# rmq-node.sh: functions shared by start-cluster.sh, start-tls-node.sh and stop-cluster.sh.
# Sourced, never run. A node keeps everything it writes under BASE_DIR/<short name>/, so deleting
# BASE_DIR removes every trace of it. The machine's own broker (rabbit@<host>, 5672/25672) is never
# touched: our nodes use their own Erlang cookie, ports, config, plugins file and data directories.
set -euo pipefail
[ -n "${1:-}" ] || { echo "usage: ${0##*/} BASE_DIR" >&2; exit 2; }

RMQ_HOST=${RMQ_HOST:-localhost}      # host part of every node name
RMQ_PREFIX=${RMQ_PREFIX:-warrenit}   # node names: <prefix>1@host ... and <prefix>tls@host
WAIT_S=${WAIT_S:-60}                 # bound on one node boot; a CLI call gets WAIT_S + 30 s

command -v rabbitmq-server > /dev/null || { echo "rabbitmq-server is not on PATH" >&2; exit 1; }

# Debian installs root-only wrappers as /usr/sbin/rabbitmq-server and rabbitmqctl: run as root they
# switch to user rabbitmq with su (environment kept, HOME and cwd changed). As another user they
# start the server in the foreground and only then complain, so refuse early; a non-root caller
# puts the real scripts first: PATH=/usr/lib/rabbitmq/bin:$PATH.
NEEDS_CHOWN=
if grep -qs 'su rabbitmq' "$(command -v rabbitmq-server)"; then
  [ "$(id -u)" = 0 ] || {
    echo "rabbitmq-server on PATH is Debian's root-only wrapper; use PATH=/usr/lib/rabbitmq/bin:\$PATH" >&2
    exit 1
  }
  NEEDS_CHOWN=1
fi

now() { date +%s.%N; }
elapsed() { awk -v from="$1" -v to="$(now)" 'BEGIN { printf "%.1f", to - from }'; }

# init_base DIR: makes DIR (absolute path in BASE) and a private Erlang cookie in it. With their own
# cookie our nodes cannot reach the machine's broker, so a wrong join_cluster target fails instead of
# clustering with it.
init_base() {
  mkdir -p "$1"
  BASE=$(cd "$1" && pwd)
  if [ ! -s "$BASE/.erlang.cookie" ]; then
    (umask 077; od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$BASE/.erlang.cookie")
  fi
  COOKIE=$(cat "$BASE/.erlang.cookie")
  # Any erl started by us, the CLI included, writes $HOME/.erlang.cookie if it is missing.
  export HOME=$BASE
}

# ctl ARGS...: rabbitmqctl with our cookie, bounded.
ctl() { timeout "$((WAIT_S + 30))" rabbitmqctl --erlang-cookie "$COOKIE" "$@"; }

# start_node SHORT_NAME DIST_PORT CONF_LINE...: launches SHORT_NAME@RMQ_HOST in the background
# unless it is running; a stopped node comes back on its old data (and so in its cluster).
# The listeners come from the config lines. RABBITMQ_DIST_PORT is always set: its default is the
# AMQP port + 20000 computed from 5672, i.e. 25672, the machine broker's.
# With RMQ_NETNS set the node runs inside that network namespace, with a long name (RMQ_HOST is
# then its IP address); RMQ_ERL_ARGS adds Erlang flags (e.g. "-kernel net_ticktime 10").
start_node() {
  local name=$1 dist=$2 dir=$BASE/$1 run_in=() longname=()
  shift 2
  if [ -s "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2> /dev/null; then
    echo "$name@$RMQ_HOST is running already (pid $(cat "$dir/pid"))"
    return 0
  fi
  mkdir -p "$dir/data" "$dir/log"
  printf '%s\n' "$@" > "$dir/rabbitmq.conf"
  echo '[].' > "$dir/enabled_plugins"     # no plugins, whatever /etc/rabbitmq enables
  : > "$dir/rabbitmq-env.conf"            # and not /etc/rabbitmq/rabbitmq-env.conf either
  echo "$name@$RMQ_HOST" > "$dir/nodename"
  if [ -n "${RMQ_NETNS:-}" ]; then
    echo "$RMQ_NETNS" > "$dir/netns"      # node_ctl runs the CLI in there too
    run_in=(ip netns exec "$RMQ_NETNS")
    longname=(RABBITMQ_USE_LONGNAME=true)
  fi
  if [ -n "$NEEDS_CHOWN" ]; then
    chown -R rabbitmq: "$BASE"
    su rabbitmq -s /bin/sh -c 'test -w "$0"' "$BASE" || {
      echo "user rabbitmq cannot write $BASE (is a parent directory private?)" >&2
      return 1
    }
  fi
  # In the background rather than -detached: -detached swallows every boot error.
  "${run_in[@]}" env "${longname[@]}" RABBITMQ_NODENAME="$name@$RMQ_HOST" RABBITMQ_DIST_PORT="$dist" \
    RABBITMQ_MNESIA_BASE="$dir/data" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/pid" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-setcookie $COOKIE ${RMQ_ERL_ARGS:-}" ERL_CRASH_DUMP="$dir/log/erl_crash.dump" \
    nohup rabbitmq-server > "$dir/log/console.log" 2>&1 < /dev/null &
  echo $! > "$dir/launcher.pid"
}

# node_ctl NODE_DIR ARGS...: ctl against the node recorded in NODE_DIR, from inside its network
# namespace and with long names when it was started in one.
node_ctl() {
  local dir=$1
  shift
  if [ -s "$dir/netns" ]; then
    ip netns exec "$(cat "$dir/netns")" timeout "$((WAIT_S + 30))" \
      rabbitmqctl --erlang-cookie "$COOKIE" -l -n "$(cat "$dir/nodename")" "$@"
  else
    ctl -n "$(cat "$dir/nodename")" "$@"
  fi
}

# wait_node SHORT_NAME: returns when the node has booted. Fails after WAIT_S s, or as soon as the
# launcher exits (a failed boot exits 0 too; the reason is in console.log).
wait_node() {
  local dir=$BASE/$1
  if ! node_ctl "$dir" wait --pid "$(cat "$dir/launcher.pid")" --timeout "$WAIT_S" > /dev/null; then
    echo "$1 did not boot; from $dir/log/console.log:" >&2
    grep -E 'ERROR|rror during|eaddrinuse|BOOT FAILED' "$dir/log/console.log" | head -n 8 >&2 || true
    return 1
  fi
}

# alive PID: the process exists.
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2> /dev/null; }

# stop_node NODE_DIR: stops the node recorded in NODE_DIR (CLI shutdown, then TERM, then KILL of
# the recorded PIDs only), each step bounded.
stop_node() {
  local dir=$1 pid launcher
  pid=$(cat "$dir/pid" 2> /dev/null || true)
  launcher=$(cat "$dir/launcher.pid" 2> /dev/null || true)
  if alive "$pid"; then
    # shutdown returns once the OS process has gone; the CLI waits only for a node it thinks
    # local, which a long name with an IP address is not (the loop below waits instead)
    if [ -s "$dir/netns" ]; then
      node_ctl "$dir" shutdown --no-wait > /dev/null 2>&1 || true
    else
      node_ctl "$dir" shutdown > /dev/null 2>&1 || true
    fi
    for sig in TERM KILL; do
      for _ in $(seq 20); do alive "$pid" || break; sleep 0.5; done
      if alive "$pid"; then kill -s "$sig" "$pid" 2> /dev/null || true; fi
    done
    echo "stopped $(cat "$dir/nodename")"
  fi
  # the launcher shell normally ends with the node; a boot that hung leaves it behind
  if alive "$launcher" && [ "$(ps -o stat= -p "$launcher" 2> /dev/null | cut -c1)" != Z ]; then
    kill -s TERM "$launcher" 2> /dev/null || true
  fi
}
