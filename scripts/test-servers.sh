#!/usr/bin/env bash
# Starts private redis-server and PostgreSQL 15 instances on loopback for the tests, unless already running,
# and prints the environment variables the tests read. Usage: eval "$(scripts/test-servers.sh)"
#   ORLEANSMEMORY_TEST_REDIS     host:port of redis-server (default port 6391)
#   ORLEANSMEMORY_TEST_POSTGRES  Npgsql connection string (default port 5433)
# Stop them with: scripts/test-servers.sh stop
set -euo pipefail
redis_port=${ORLEANSMEMORY_TEST_REDIS_PORT:-6391}
pg_port=${ORLEANSMEMORY_TEST_POSTGRES_PORT:-5433}
state=${ORLEANSMEMORY_TEST_STATE:-/tmp/orleansmemory-test-servers}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

if [ "${1:-}" = "stop" ]; then
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  [ -d "$state/pg/data" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$state/pg/data" -m fast stop >/dev/null 2>&1 || true
  exit 0
fi

mkdir -p "$state"
if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
  if ! command -v redis-server >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing redis-server (apt-get)" >&2
    apt-get install -y redis-server >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y redis-server >/dev/null 2>&1; } || true
  fi
  command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install -y redis-server)" >&2; exit 1; }
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --logfile "$state/redis.log" --dir "$state" >/dev/null
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

if ! "$pg_bin/pg_isready" -h 127.0.0.1 -p "$pg_port" >/dev/null 2>&1; then
  [ -n "$pg_bin" ] || { echo "PostgreSQL is not installed" >&2; exit 1; }
  rm -rf "$state/pg"; mkdir -p "$state/pg"; chown postgres:postgres "$state/pg"
  runuser -u postgres -- "$pg_bin/initdb" -D "$state/pg/data" -U postgres --auth=trust >/dev/null
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$state/pg/data" -w -l "$state/pg/log" \
    -o "-p $pg_port -k $state/pg -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null
fi

echo "export ORLEANSMEMORY_TEST_REDIS=127.0.0.1:$redis_port"
echo "export ORLEANSMEMORY_TEST_POSTGRES='Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres'"
