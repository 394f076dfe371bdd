#!/usr/bin/env bash
# Time to warm: starts a fresh gateway (pinned to cpu 0, like side-by-side.sh) in front of an nginx backend, loads it
# with wrk (cpu 1, 50 connections) in back-to-back 5 s slices and prints each slice's req/s, then the first second
# at which a slice reached 90 % of the plateau (the mean of the last 30 s).
# Load starts when readiness reports UP (after the gateway's own warm-up, app.warm-up; WARM_UP_ENABLED=false turns it
# off); the script prints how long after the JVM's start that was.
# Needs what side-by-side.sh needs. Usage: gateway/bench/warm-up.sh [worker|user|assign|bare] [seconds, default 120]
# (bare: bare Spring Cloud Gateway instead, loaded as the assign shape without credentials, from its first answer)
# BENCH_JAVA picks the java binary, BENCH_JAR the jar (used in place), BENCH_JAVA_OPTS adds JVM options; with the
# cache from aot-train.sh: BENCH_JAVA=$JAVA25/bin/java BENCH_JAR=gateway/target/aot/gateway.jar
# BENCH_JAVA_OPTS=-XX:AOTCache=gateway/target/aot/gateway.aot
# It also prints the CPU the JIT compiler threads used before readiness and during the load (from /proc): what is left
# to compile once callers arrive, a steadier figure than the slices on a noisy machine.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHAPE=${1:-worker} SECONDS_TOTAL=${2:-120}
WORK=$(mktemp -d)
BACKEND=18381 GW=18385
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
[[ -f $ROOT/.dev/demo.env ]] || { echo "run ./dev up once first (demo keys and secrets)" >&2; exit 2; }
set -a; . "$ROOT/.dev/demo.env"; set +a

. "$ROOT/gateway/bench/backend.sh"
start_backend "$WORK" "$BACKEND" 0
if [[ $SHAPE == bare ]]; then
  # bare Spring Cloud Gateway (the side-by-side peer; side-by-side.sh builds its jar), the assign shape's GET, no
  # credentials: the framework's own time to warm on this machine
  BARE_JAR=$ROOT/gateway/target/bench/bare-scg.jar
  [[ -f $BARE_JAR ]] || { echo "run gateway/bench/side-by-side.sh once first (it builds $BARE_JAR)" >&2; exit 2; }
  env PORT=$GW UPSTREAM=http://127.0.0.1:$BACKEND \
    taskset -c 0 "${BENCH_JAVA:-java}" -Xms256m -Xmx512m ${BENCH_JAVA_OPTS:-} -jar "$BARE_JAR" >"$WORK/gateway.log" 2>&1 &
  READY_URL=http://127.0.0.1:$GW/api/v1/worker/servers/available
else
  JAR=${BENCH_JAR:-}
  if [[ -z $JAR ]]; then
    JAR=$WORK/gateway.jar
    cp "$ROOT/gateway/target/gateway.jar" "$JAR"
  fi
  env LIKEPION_DB_NAME=${LIKEPION_DB_NAME:-likepion} REDIS_KEY_PREFIX=bench-warm: \
    INTERNAL_TOKEN_SECRET="$(cat "$ROOT/.dev/internal-token.secret")" JWT_SECRET="$(cat "$ROOT/.dev/jwt.secret")" \
    GATEWAY_PORT=$GW GATEWAY_MANAGEMENT_PORT=$((GW + 1)) WORKER_SERVICE_URL=http://127.0.0.1:$BACKEND RUN_SERVICE_URL=http://127.0.0.1:$BACKEND \
    ASSIGN_SERVICE_URL=http://127.0.0.1:$BACKEND \
    RATE_LIMIT_WORKER_PER_KEY=1000000000 RATE_LIMIT_ASSIGN_PER_KEY=1000000000 RATE_LIMIT_RUN_ACTIVE=1000000000 \
    taskset -c 0 "${BENCH_JAVA:-java}" -Xms256m -Xmx512m ${BENCH_JAVA_OPTS:-} -jar "$JAR" >"$WORK/gateway.log" 2>&1 &
  # load starts when the gateway reports ready: after its own warm-up (app.warm-up), as a load balancer would see it
  READY_URL=http://127.0.0.1:$((GW + 1))/actuator/health/readiness
fi
pids+=($!)
GW_PID=$!
started=$(date +%s.%N)
# seconds of CPU the gateway's C1 and C2 compiler threads have used so far
compiler_cpu() {
  local total=0 t stat rest
  for t in /proc/$GW_PID/task/*; do
    [[ $(cat "$t/comm" 2>/dev/null) == C[12]\ CompilerThre* ]] || continue
    stat=$(cat "$t/stat" 2>/dev/null) || continue
    rest=${stat##*) }
    read -r -a f <<<"$rest"
    total=$((total + f[11] + f[12]))
  done
  echo "scale=1; $total / $(getconf CLK_TCK)" | bc
}
for _ in $(seq 1 600); do curl -fs -o /dev/null "$READY_URL" && break; sleep 0.2; done
printf 'ready %.1f s after the JVM started\n' "$(echo "$(date +%s.%N) - $started" | bc)"
compiled_before=$(compiler_cpu)

echo '{"server_name":"bench","cpu_usage":10.5}' >"$WORK/heartbeat.json"
export BENCH_BODY_FILE="$WORK/heartbeat.json"
case $SHAPE in
  worker) URL=/api/v1/worker/health; HEADER="X-API-Key: $TOOL_API_KEY"; SCRIPT=(-s "$ROOT/gateway/bench/post-body.lua") ;;
  user) URL=/api/v1/automation/run/active; HEADER="Authorization: Bearer $USER_TOKEN"; SCRIPT=() ;;
  assign) URL=/api/v1/worker/servers/available; HEADER="X-API-Key: $ASSIGN_API_KEY"; SCRIPT=() ;;
  bare) URL=/api/v1/worker/servers/available; HEADER="Accept: */*"; SCRIPT=() ;;
  *) echo "shape: worker, user, assign or bare" >&2; exit 2 ;;
esac
rates=()
for ((t = 5; t <= SECONDS_TOTAL; t += 5)); do
  rate=$(taskset -c 1 wrk -t1 -c50 -d5s -H "$HEADER" "${SCRIPT[@]}" "http://127.0.0.1:$GW$URL" | awk '/Requests\/sec/{print int($2)}')
  rates+=("$rate")
  printf '%4d s  %6d req/s\n' "$t" "$rate"
done
compiled_after=$(compiler_cpu)
printf 'JIT compiler threads: %s s of CPU before ready, %s s during the load\n' "$compiled_before" \
  "$(echo "$compiled_after - $compiled_before" | bc)"
python3 - "${rates[@]}" <<'PY'
import sys
rates = [int(r) for r in sys.argv[1:]]
plateau = sum(rates[-6:]) / len(rates[-6:])
first = next(((i + 1) * 5 for i, r in enumerate(rates) if r >= 0.9 * plateau), None)
print(f"plateau (last 30 s): {plateau:,.0f} req/s; first 5 s slice at >= 90 % of it ended at {first} s of load")
PY
