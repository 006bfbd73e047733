#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: `start DIR` initdb's a cluster into a fresh temporary folder owned by an
# unprivileged user (PostgreSQL refuses to run as root; Debian's package made the `postgres` user), serves it on
# 127.0.0.1 at a free port with its unix socket inside that folder, waits until it accepts connections (pg_isready,
# with a deadline) and writes its URL, without a database name, to DIR/url ("postgresql://postgres@127.0.0.1:PORT";
# a test appends "/NAME" of the database it creates). `stop DIR` stops it (pg_ctl stop -m fast) and removes it.
# ctest runs these as the `postgres` fixture (tests/CMakeLists.txt); by hand:
#   scripts/postgres-fixture.sh start /tmp/pg && cat /tmp/pg/url && scripts/postgres-fixture.sh stop /tmp/pg
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
action=$1
dir=$2
bin=${POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[[ -x $bin/initdb ]] || { echo "postgres-fixture: no PostgreSQL server (scripts/install-deps.sh installs it)" >&2; exit 1; }

# Runs a server command as the unprivileged owner of the cluster (as ourselves when we are not root).
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  mkdir -p "$dir"
  [[ ! -s $dir/cluster ]] || stop  # a cluster left by an interrupted run
  local cluster port deadline
  cluster=$(mktemp -d /tmp/sim7600-postgres.XXXXXX)
  [[ $(id -u) -ne 0 ]] || chown postgres: "$cluster"
  echo "$cluster" >"$dir/cluster"
  as_owner "$bin/initdb" -D "$cluster/data" -U postgres --auth=trust -E UTF8 --locale=C >"$cluster/initdb.log"
  port=$(free_port)
  # fsync off: a test database need not survive a power cut, and the tests run faster.
  as_owner "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -W \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$cluster -c fsync=off" start >/dev/null
  deadline=$((SECONDS + 30))
  until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres -U postgres; do
    if ((SECONDS >= deadline)); then
      echo "postgres-fixture: the server did not accept connections within 30 s; its log:" >&2
      cat "$cluster/server.log" >&2 || true
      exit 1
    fi
    sleep 0.1
  done
  echo "postgresql://postgres@127.0.0.1:$port" >"$dir/url"
  echo "postgres-fixture: $(cat "$dir/url") (cluster in $cluster)"
}

stop() {
  [[ -s $dir/cluster ]] || return 0
  local cluster
  cluster=$(cat "$dir/cluster")
  if [[ -d $cluster/data ]]; then
    as_owner "$bin/pg_ctl" -D "$cluster/data" stop -m fast >/dev/null || true
  fi
  rm -rf "$cluster"
  rm -f "$dir/cluster" "$dir/url"
}

case $action in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
