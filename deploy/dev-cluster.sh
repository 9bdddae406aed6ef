#!/usr/bin/env bash
# The docker-compose topology from local processes: redis-server, PostgreSQL 15, 3 silos on loopback, and Prometheus,
# an OpenTelemetry collector and Jaeger when their binaries are installed (prometheus, otelcol-contrib or otelcol,
# jaeger-all-in-one or jaeger; each is reported skipped otherwise). tests/.../DeployFilesTests.cs keeps this script
# and docker-compose.yml equivalent: same services, same silo settings (auth is off here: loopback only).
#   deploy/dev-cluster.sh start    build the silo, start everything, wait until all 3 silos are ready
#   deploy/dev-cluster.sh status   show the silos' readiness
#   deploy/dev-cluster.sh stop     SIGTERM the silos (graceful: flush, leave membership), then stop redis and PostgreSQL
# HTTP: http://127.0.0.1:5081 .. :5083 (memory dashboard /dashboard, Orleans Dashboard /orleans-dashboard/), Prometheus
# http://127.0.0.1:9090, Jaeger http://127.0.0.1:16686. Auth is off (loopback only).
# Environment: DEV_CLUSTER_STATE (default /tmp/orleansmemory-dev-cluster), DEV_CLUSTER_REDIS_PORT (6392),
# DEV_CLUSTER_POSTGRES_PORT (5434), DEV_CLUSTER_HTTP_PORT (5081; silos use it, +1, +2), DEV_CLUSTER_SILO_PORT (11111),
# DEV_CLUSTER_GATEWAY_PORT (30001), DEV_CLUSTER_OTLP_PORT (4327, the collector's grpc port), DEV_CLUSTER_JAEGER_OTLP_PORT (4337),
# DEV_CLUSTER_CONFIGURATION (Release).
set -euo pipefail
cd "$(dirname "$0")/.."
# The services of docker-compose.yml, in start order.
services=(postgres redis jaeger otel-collector silo1 silo2 silo3 prometheus)
state=${DEV_CLUSTER_STATE:-/tmp/orleansmemory-dev-cluster}
redis_port=${DEV_CLUSTER_REDIS_PORT:-6392}
pg_port=${DEV_CLUSTER_POSTGRES_PORT:-5434}
http_port=${DEV_CLUSTER_HTTP_PORT:-5081}
silo_port=${DEV_CLUSTER_SILO_PORT:-11111}
gateway_port=${DEV_CLUSTER_GATEWAY_PORT:-30001}
otlp_port=${DEV_CLUSTER_OTLP_PORT:-4327}
jaeger_otlp_port=${DEV_CLUSTER_JAEGER_OTLP_PORT:-4337}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
pg="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
configuration=${DEV_CLUSTER_CONFIGURATION:-Release}
silo_dll=silo/OrleansMemory.Silo/bin/$configuration/net10.0/OrleansMemory.Silo.dll

start_servers() {
  mkdir -p "$state"
  if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --logfile "$state/redis.log" --dir "$state" --pidfile "$state/redis.pid" >/dev/null
  fi
  if ! "$pg_bin/pg_isready" -h 127.0.0.1 -p "$pg_port" >/dev/null 2>&1; then
    rm -rf "$state/pg"; mkdir -p "$state/pg"; chown postgres:postgres "$state/pg"
    runuser -u postgres -- "$pg_bin/initdb" -D "$state/pg/data" -U postgres --auth=trust >/dev/null
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$state/pg/data" -w -l "$state/pg/log" \
      -o "-p $pg_port -k $state/pg -c listen_addresses=127.0.0.1" start >/dev/null
    for f in deploy/sql/postgresql-main.sql deploy/sql/postgresql-persistence.sql deploy/sql/postgresql-clustering.sql deploy/sql/postgresql-reminders.sql; do
      runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -f "$f" >/dev/null
    done
  fi
}

start_silo() {
  local i=$1 port=$((http_port + $1 - 1)) cport=$((silo_port + $1 - 1))
  [ -f "$state/silo$i.pid" ] && kill -0 "$(cat "$state/silo$i.pid")" 2>/dev/null && return
  OrleansMemory__SiloName="silo$i" OrleansMemory__ClusterId=dev-cluster OrleansMemory__ServiceId=orleansmemory \
  OrleansMemory__Clustering__Kind=postgres OrleansMemory__Clustering__ConnectionString="$pg" \
  OrleansMemory__Http__ListenAddress=127.0.0.1 OrleansMemory__Http__Port="$port" \
  OrleansMemory__SiloPort="$cport" OrleansMemory__GatewayPort=$((gateway_port + $1 - 1)) OrleansMemory__AdvertisedAddress=127.0.0.1 \
  OrleansMemory__ShutdownTimeout=00:00:30 \
  OrleansMemory__Storage__Type=postgres OrleansMemory__Storage__ConnectionString="$pg" \
  OrleansMemory__Storage__Providers__cache__Type=redis OrleansMemory__Storage__Providers__cache__ConnectionString="127.0.0.1:$redis_port" \
  OrleansMemory__Storage__GrainTypes__cache=cache \
  OrleansMemory__Telemetry__Otlp__Endpoint="http://127.0.0.1:$otlp_port" OrleansMemory__Telemetry__Otlp__Protocol=grpc \
    nohup dotnet "$silo_dll" >"$state/silo$i.log" 2>&1 &
  echo $! >"$state/silo$i.pid"
}

# Prometheus, the collector and Jaeger: the compose files with loopback addresses, when the binaries exist.
start_observability() {
  local bin
  if bin=$(command -v jaeger-all-in-one || command -v jaeger); then
    COLLECTOR_OTLP_ENABLED=true COLLECTOR_OTLP_GRPC_HOST_PORT="127.0.0.1:$jaeger_otlp_port" nohup "$bin" >"$state/jaeger.log" 2>&1 &
    echo $! >"$state/jaeger.pid"
  else echo "jaeger: not installed, skipped"; fi
  if bin=$(command -v otelcol-contrib || command -v otelcol); then
    sed -e "s/jaeger:4317/127.0.0.1:$jaeger_otlp_port/" -e "s/0.0.0.0:4317/127.0.0.1:$otlp_port/" -e "s/0.0.0.0:4318/127.0.0.1:$((otlp_port + 1))/" \
      deploy/observability/otel-collector.yaml >"$state/otel-collector.yaml"
    nohup "$bin" --config="$state/otel-collector.yaml" >"$state/otel-collector.log" 2>&1 &
    echo $! >"$state/otel-collector.pid"
  else echo "otel-collector: not installed, skipped"; fi
  if bin=$(command -v prometheus); then
    sed -e "s/\"silo1:5080\", \"silo2:5080\", \"silo3:5080\"/\"127.0.0.1:$http_port\", \"127.0.0.1:$((http_port + 1))\", \"127.0.0.1:$((http_port + 2))\"/" \
      deploy/observability/prometheus.yml >"$state/prometheus.yml"
    nohup "$bin" --config.file="$state/prometheus.yml" --storage.tsdb.path="$state/prometheus" --web.listen-address=127.0.0.1:9090 >"$state/prometheus.log" 2>&1 &
    echo $! >"$state/prometheus.pid"
  else echo "prometheus: not installed, skipped"; fi
}

ready() { curl -fsS "http://127.0.0.1:$((http_port + $1 - 1))/health/ready" >/dev/null 2>&1; }

case "${1:-}" in
  start)
    mkdir -p "$state"
    dotnet build silo/OrleansMemory.Silo -c "$configuration" -v q -nologo >"$state/build.log" 2>&1 \
      || { tail -20 "$state/build.log" >&2; echo "build failed; see $state/build.log" >&2; exit 1; }
    start_servers
    start_observability
    for i in 1 2 3; do start_silo "$i"; done
    for i in 1 2 3; do
      for _ in $(seq 120); do ready "$i" && break; sleep 0.5; done
      ready "$i" || { echo "silo$i did not become ready; see $state/silo$i.log" >&2; exit 1; }
      echo "silo$i ready: http://127.0.0.1:$((http_port + i - 1))  (dashboards /dashboard, /orleans-dashboard/)"
    done
    ;;
  status)
    for i in 1 2 3; do
      if ready "$i"; then echo "silo$i ready"; else echo "silo$i not ready"; fi
    done
    ;;
  stop)
    for i in 1 2 3; do
      [ -f "$state/silo$i.pid" ] && kill -TERM "$(cat "$state/silo$i.pid")" 2>/dev/null || true
    done
    for i in 1 2 3; do
      if [ -f "$state/silo$i.pid" ]; then
        pid=$(cat "$state/silo$i.pid")
        for _ in $(seq 70); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        rm -f "$state/silo$i.pid"
      fi
    done
    for p in prometheus otel-collector jaeger; do
      [ -f "$state/$p.pid" ] && kill -TERM "$(cat "$state/$p.pid")" 2>/dev/null || true
      rm -f "$state/$p.pid"
    done
    redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
    [ -d "$state/pg/data" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$state/pg/data" -m fast -w stop >/dev/null 2>&1 || true
    echo "stopped"
    ;;
  *)
    echo "usage: $0 start|status|stop" >&2
    exit 2
    ;;
esac
