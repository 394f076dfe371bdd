#!/usr/bin/env bash
# profile.sh JAR OUTDIR: the user shape under JFR (issue 14). This gateway (every filter) and bare SCG pinned to cpu 0
# in front of one nginx backend, wrk -c50 on cpu 1; 2 x 30 s of interleaved warm-up, then 30 s of JFR (settings=profile)
# under wrk for each, with the JVM's CPU ticks. Then: python3 gateway/bench/jfr-owners.py OUTDIR/gw-user.jfr (shares
# by the code that asked for the work). Run it under the exclusive bench lock.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JAR=$1 OUT=$2
mkdir -p "$OUT"
WORK=$(mktemp -d)
BACKEND=18281 BARE=18290 GW=18285
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
set -a; . "$ROOT/.dev/demo.env"; set +a
. "$ROOT/gateway/bench/backend.sh"
start_backend "$WORK/backend" $BACKEND 0
env PORT=$BARE UPSTREAM=http://127.0.0.1:$BACKEND taskset -c 0 java -Xms256m -Xmx512m -jar $ROOT/gateway/target/bench/bare-scg.jar >"$WORK/bare.log" 2>&1 &
pids+=($!); BAREPID=$!
env PG_HOST=127.0.0.1 PG_PORT=5432 PG_USER=postgres LIKEPION_DB_NAME=likepion REDIS_HOST=127.0.0.1 REDIS_PORT=6379 REDIS_KEY_PREFIX=bench-gw: \
  INTERNAL_TOKEN_SECRET="$(cat $ROOT/.dev/internal-token.secret)" JWT_SECRET="$(cat $ROOT/.dev/jwt.secret)" \
  GATEWAY_PORT=$GW GATEWAY_MANAGEMENT_PORT=$((GW + 1)) WORKER_SERVICE_URL=http://127.0.0.1:$BACKEND RUN_SERVICE_URL=http://127.0.0.1:$BACKEND \
  ASSIGN_SERVICE_URL=http://127.0.0.1:$BACKEND RATE_LIMIT_WORKER_PER_KEY=1000000000 RATE_LIMIT_ASSIGN_PER_KEY=1000000000 RATE_LIMIT_RUN_ACTIVE=1000000000 \
  ${PROF_ENV:-} taskset -c 0 java -Xms256m -Xmx512m -jar "$JAR" >"$WORK/gw.log" 2>&1 &
pids+=($!); GWPID=$!
for port in $BARE $((GW + 1)); do for _ in $(seq 1 120); do ss -ltn | grep -q ":$port " && break; sleep 0.5; done; done
for _ in $(seq 1 240); do curl -fs -o /dev/null "http://127.0.0.1:$((GW + 1))/actuator/health/readiness" && break; sleep 0.5; done
USER_URL=http://127.0.0.1:$GW/api/v1/automation/run/active
BARE_URL=http://127.0.0.1:$BARE/api/v1/worker/servers/available
curl -s -o /dev/null -w 'gw %{http_code}\n' -H "Authorization: Bearer $USER_TOKEN" $USER_URL
curl -s -o /dev/null -w 'bare %{http_code}\n' $BARE_URL
# warm both, interleaved
for i in 1 2; do
  taskset -c 1 wrk -t1 -c50 -d30s -H "Authorization: Bearer $USER_TOKEN" $USER_URL | grep Requests/sec
  taskset -c 1 wrk -t1 -c50 -d30s $BARE_URL | grep Requests/sec
done
prof() { # pid name wrkargs...
  local pid=$1 name=$2; shift 2
  jcmd $pid JFR.start name=p settings=profile filename="$OUT/$name.jfr" >/dev/null
  local t0; t0=$(awk '{print $14+$15}' /proc/$pid/stat)
  taskset -c 1 wrk -t1 -c50 -d30s "$@" | tee "$OUT/$name.wrk" | grep Requests/sec
  local t1; t1=$(awk '{print $14+$15}' /proc/$pid/stat)
  echo "$name jvm cpu ticks $((t1 - t0))" | tee -a "$OUT/$name.wrk"
  jcmd $pid JFR.stop name=p >/dev/null
}
prof $GWPID gw-user -H "Authorization: Bearer $USER_TOKEN" $USER_URL
prof $BAREPID bare $BARE_URL
