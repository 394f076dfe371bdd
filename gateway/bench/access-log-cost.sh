#!/usr/bin/env bash
# access-log-cost.sh JAR: what the access line (common AccessLog, logger "access", ECS JSON on the console) costs per
# request in the gateway. One jar, three instances pinned to cpu 0 in front of one nginx backend, wrk -c50 on cpu 1:
#   quiet   as shipped: no line for a proxied success, a line for each 4xx/5xx
#   logged  GATEWAY_ACCESS_LOG_SUCCESSES=true: a line for every request, as the services write them
#   off     LOGGING_LEVEL_ACCESS=OFF: no line at all
# Success path (user shape): logged vs quiet. Refusal path (401, wrong API key, cached as unknown): quiet vs off.
# 2 x 20 s of interleaved warm-up per instance and path, then 20 s each; JVM CPU ticks (1/100 s) per request.
# Console output goes to a file, as under Kubernetes it goes to a pipe. Run it under the exclusive bench lock.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JAR=$1
BACKEND=18481 Q=18485 L=18487 O=18489
WORK=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
set -a; . "$ROOT/.dev/demo.env"; set +a
. "$ROOT/gateway/bench/backend.sh"
start_backend "$WORK/backend" "$BACKEND" 0
declare -A PID
start() { # name port env...
  local name=$1 port=$2; shift 2
  env PG_HOST=127.0.0.1 PG_PORT=5432 PG_USER=postgres LIKEPION_DB_NAME=${LIKEPION_DB_NAME:-likepion} \
    REDIS_KEY_PREFIX=bench-gw: INTERNAL_TOKEN_SECRET="$(cat "$ROOT/.dev/internal-token.secret")" \
    JWT_SECRET="$(cat "$ROOT/.dev/jwt.secret")" GATEWAY_PORT=$port GATEWAY_MANAGEMENT_PORT=$((port + 1)) \
    WORKER_SERVICE_URL=http://127.0.0.1:$BACKEND RUN_SERVICE_URL=http://127.0.0.1:$BACKEND \
    ASSIGN_SERVICE_URL=http://127.0.0.1:$BACKEND RATE_LIMIT_RUN_ACTIVE=1000000000 RATE_LIMIT_ASSIGN_PER_KEY=1000000000 "$@" \
    taskset -c 0 java -Xms256m -Xmx512m -jar "$JAR" >"$WORK/$name.log" 2>&1 &
  pids+=($!); PID[$name]=$!
}
start quiet $Q
start logged $L GATEWAY_ACCESS_LOG_SUCCESSES=true
start off $O LOGGING_LEVEL_ACCESS=OFF
for port in $Q $L $O; do
  for _ in $(seq 1 240); do curl -fs -o /dev/null "http://127.0.0.1:$((port + 1))/actuator/health/readiness" && break; sleep 0.5; done
done
user() { taskset -c 1 wrk -t1 -c50 -d"$2" -H "Authorization: Bearer $USER_TOKEN" "http://127.0.0.1:$1/api/v1/automation/run/active"; }
refused() { taskset -c 1 wrk -t1 -c50 -d"$2" -H "X-API-Key: not-a-key" "http://127.0.0.1:$1/api/v1/worker/servers/available"; }
port_of() { case $1 in quiet) echo $Q ;; logged) echo $L ;; off) echo $O ;; esac; }
for _ in 1 2; do
  for name in quiet logged; do user "$(port_of $name)" 20s | grep Requests/sec | sed "s/^/warm-up user $name /"; done
  for name in quiet off; do refused "$(port_of $name)" 20s | grep Requests/sec | sed "s/^/warm-up 401 $name /"; done
done
measure() { # path name
  local pid=${PID[$2]} t0 t1 out requests
  t0=$(awk '{print $14+$15}' /proc/$pid/stat)
  out=$($1 "$(port_of "$2")" 20s)
  t1=$(awk '{print $14+$15}' /proc/$pid/stat)
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$1 $2: $(echo "$out" | grep -E 'Requests/sec|Non-2xx' | tr -s ' ' | tr '\n' ' ') jvm ticks $((t1 - t0)), $(awk -v t=$((t1 - t0)) -v r="$requests" 'BEGIN {printf "%.1f", t * 10000 / r}') us/request"
}
measure user quiet; measure user logged; measure refused quiet; measure refused off
measure user logged; measure user quiet; measure refused off; measure refused quiet
echo "lines written: quiet $(grep -c '"logger":"access"' "$WORK/quiet.log"), logged $(grep -c '"logger":"access"' "$WORK/logged.log"), off $(grep -c '"logger":"access"' "$WORK/off.log")"
