#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the sync server's tests (Debian's postgresql package).
#   cloud/scripts/test-postgres.sh start   → prints DATABASE_URL=postgres://… (cluster in a temp dir)
#   cloud/scripts/test-postgres.sh stop    → stops it and deletes its files
# Runs the server as the unprivileged `postgres` user when started as root, listens on 127.0.0.1
# only, on a free port, with trust auth for the test role `relay_test`.
set -euo pipefail

STATE_FILE="${AGENT_RELAY_PG_STATE:-${TMPDIR:-/tmp}/agent-relay-test-postgres.env}"

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  command -v pg_ctl >/dev/null 2>&1 && dirname "$(command -v pg_ctl)" && return 0
  echo "PostgreSQL is not installed (apt-get install -y postgresql)." >&2
  return 1
}

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  if [ -f "$STATE_FILE" ]; then stop >/dev/null 2>&1 || true; fi
  local bin dir port
  bin="$(find_bin)"
  dir="$(mktemp -d "${TMPDIR:-/tmp}/agent-relay-pg.XXXXXX")"
  port="$(free_port)"
  if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$dir"; fi
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off" start >/dev/null
  as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE relay_test LOGIN" -c "CREATE DATABASE relay_test OWNER relay_test" >/dev/null
  printf 'PG_BIN=%q\nPG_DIR=%q\nPG_PORT=%q\n' "$bin" "$dir" "$port" >"$STATE_FILE"
  echo "DATABASE_URL=postgres://relay_test@127.0.0.1:$port/relay_test"
}

stop() {
  [ -f "$STATE_FILE" ] || { echo "No test cluster is running."; return 0; }
  # shellcheck disable=SC1090
  . "$STATE_FILE"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR" "$STATE_FILE"
  echo "Stopped the test cluster."
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
