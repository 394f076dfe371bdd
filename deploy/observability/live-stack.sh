#!/usr/bin/env bash
# Starts the four packaged services (throwaway databases, a private Redis key prefix, free ports), seeds the demo
# data through the gateway for some traffic, and a Debian Prometheus scraping them every second with the alert rules.
# Used by deploy-checks' live test. Usage: live-stack.sh start WORKDIR | live-stack.sh stop WORKDIR
# LIVE_JAVA_OPTS replaces the services' JVM flags (default: a small heap and C1 only, for a quick start);
# deploy/image/measure-rss.sh passes the images' flags.
# `start` leaves WORKDIR/stack.env (PROMETHEUS_URL=, GATEWAY_URL=, ...) and returns once Prometheus has scraped
# every target; `stop` ends only the processes it started (by the pids it recorded) and drops the databases.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cmd=${1:?start|stop}; WORK=${2:?WORKDIR}
PG_HOST=${PG_HOST:-127.0.0.1}; PG_PORT=${PG_PORT:-5432}; PG_USER=${PG_USER:-postgres}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}; REDIS_PORT=${REDIS_PORT:-6379}
# shellcheck source=service-env.sh
source "$ROOT/deploy/observability/service-env.sh"
psql_admin() { PGPASSWORD=${PG_PASSWORD:-} psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

used_ports=" "
free_port() {
  local p
  while true; do
    p=$((20000 + RANDOM % 30000))
    [[ $used_ports == *" $p "* ]] && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
    used_ports+="$p "; echo "$p"; return
  done
}

stop() {
  if [[ -d "$WORK/pids" ]]; then
    for f in "$WORK"/pids/*.pid; do [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null || true; done
    for f in "$WORK"/pids/*.pid; do
      [[ -f $f ]] || continue
      for _ in $(seq 1 40); do kill -0 "$(cat "$f")" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$(cat "$f")" 2>/dev/null || true
      rm -f "$f"
    done
  fi
  if [[ -f "$WORK/databases" ]]; then
    while read -r db; do psql_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null || true; done < "$WORK/databases"
    rm -f "$WORK/databases"
  fi
}

start() {
  mkdir -p "$WORK/pids" "$WORK/logs"
  local tag="ops_$(date +%s)_$RANDOM" svc
  local likepion="${tag}_likepion" runs="${tag}_runs"
  for db in "$likepion" "$runs"; do psql_admin -c "CREATE DATABASE \"$db\"" >/dev/null; echo "$db" >> "$WORK/databases"; done
  declare -A port mport
  for svc in gateway run-service worker-service assign-service; do port[$svc]=$(free_port); mport[$svc]=$(free_port); done
  local prom_port; prom_port=$(free_port)
  write_service_env "$WORK/service.env" "$tag" "$likepion" "$runs"
  echo "LOG_FORMAT=" >> "$WORK/service.env"
  # worker-service first: it applies the shared LIKEPION migrations.
  for svc in worker-service assign-service run-service gateway; do
    local jar="$ROOT/$svc/target/$svc.jar"
    [[ -f $jar ]] || { echo "live-stack: $jar is missing (./mvnw package first)" >&2; exit 1; }
    ( set -a; source "$WORK/service.env"; set +a
      exec env -i PATH="$PATH" HOME="${HOME:-/tmp}" $(sed 's/^/ /' "$WORK/service.env" | tr '\n' ' ') \
        java ${LIVE_JAVA_OPTS:--Xms64m -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -jar "$jar" > "$WORK/logs/$svc.log" 2>&1 ) &
    echo $! > "$WORK/pids/$svc.pid"
    if [[ $svc == worker-service ]]; then sleep 4; fi
  done
  local deadline=$((SECONDS + ${LIVE_STARTUP_SECONDS:-300}))
  for svc in worker-service assign-service run-service gateway; do
    until curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:${mport[$svc]}/actuator/health/readiness"; do
      kill -0 "$(cat "$WORK/pids/$svc.pid")" 2>/dev/null || { echo "live-stack: $svc exited" >&2; tail -30 "$WORK/logs/$svc.log" >&2; exit 1; }
      [[ $SECONDS -lt $deadline ]] || { echo "live-stack: $svc not ready" >&2; tail -30 "$WORK/logs/$svc.log" >&2; exit 1; }
      sleep 1
    done
  done
  sed -e "s#@GATEWAY@#127.0.0.1:${mport[gateway]}#" -e "s#@RUN@#127.0.0.1:${mport[run-service]}#" \
      -e "s#@WORKER@#127.0.0.1:${mport[worker-service]}#" -e "s#@ASSIGN@#127.0.0.1:${mport[assign-service]}#" \
      -e "s#@RULES@#$ROOT/deploy/observability/prometheus/alerts.yml#" -e "s#@INTERVAL@#1s#" \
      "$ROOT/deploy/observability/prometheus/prometheus.local.yml" > "$WORK/prometheus.yml"
  prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
    --web.listen-address="127.0.0.1:$prom_port" > "$WORK/logs/prometheus.log" 2>&1 &
  echo $! > "$WORK/pids/prometheus.pid"
  # Traffic: the demo seed (admin API through the gateway, a running request the dispatcher hands out), run API
  # calls with a user JWT, some 401s and 404s.
  ( set -a; source "$WORK/service.env"; set +a
    GATEWAY_URL="http://127.0.0.1:${port[gateway]}" "$ROOT/deploy/local/seed-demo.sh" > "$WORK/demo.env" 2> "$WORK/logs/seed.log" )
  local user; user=$(grep '^USER_TOKEN=' "$WORK/demo.env" | cut -d= -f2-)
  local gw="http://127.0.0.1:${port[gateway]}"
  for i in $(seq 1 20); do
    curl -s -o /dev/null -H "Authorization: Bearer $user" "$gw/api/v1/runs" || true
    curl -s -o /dev/null "$gw/api/v1/runs" || true
    curl -s -o /dev/null "$gw/no-such-path-$i" || true
  done
  cat > "$WORK/stack.env" <<ENV
PROMETHEUS_URL=http://127.0.0.1:$prom_port
GATEWAY_URL=$gw
GATEWAY_MANAGEMENT_URL=http://127.0.0.1:${mport[gateway]}
RUN_SERVICE_MANAGEMENT_URL=http://127.0.0.1:${mport[run-service]}
WORKER_SERVICE_MANAGEMENT_URL=http://127.0.0.1:${mport[worker-service]}
ASSIGN_SERVICE_MANAGEMENT_URL=http://127.0.0.1:${mport[assign-service]}
ENV
  until [[ $(curl -fs "http://127.0.0.1:$prom_port/api/v1/query?query=count(up==1)" | grep -o '"value":\[[^]]*"4"\]') ]]; do
    kill -0 "$(cat "$WORK/pids/prometheus.pid")" 2>/dev/null || { cat "$WORK/logs/prometheus.log" >&2; exit 1; }
    [[ $SECONDS -lt $deadline ]] || { echo "live-stack: Prometheus does not see four targets up" >&2; exit 1; }
    sleep 1
  done
}

case "$cmd" in
  start) trap 'stop' ERR; start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop WORKDIR" >&2; exit 2 ;;
esac
