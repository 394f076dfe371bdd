#!/usr/bin/env bash
# Measures each packaged service's resident set size with the images' JVM flags, to size the prod overlay's memory
# requests and limits (docs/operations.md, "Measured RSS"). Runs the four jars of `./mvnw -B -DskipTests package`
# through deploy/observability/live-stack.sh (throwaway databases, private Redis key prefix, free ports, the demo
# seed as traffic), then:
#   1. idle: RSS 20 s after the seed,
#   2. load: REQUESTS (default 3000) gateway calls, CONCURRENCY (default 8) at a time, across the run, admin and
#      error paths, with RSS sampled every second; the peak is reported,
#   3. heap and non-heap committed, from each service's /actuator/prometheus.
# The JVM is told the container's memory with -XX:MaxRAM (CONTAINER_MEMORY, default 768m, the prod limit), so it
# picks its heap and collector as it would in the pod. Prints a table; stops what it started.
#   deploy/image/measure-rss.sh [WORKDIR]       default: target/measure-rss
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=${1:-$ROOT/target/measure-rss}
CONTAINER_MEMORY=${CONTAINER_MEMORY:-768m}
REQUESTS=${REQUESTS:-3000}
CONCURRENCY=${CONCURRENCY:-8}
# The flags of the images (root pom, profile "image"), plus the container's memory.
export LIVE_JAVA_OPTS="-XX:MaxRAM=$CONTAINER_MEMORY -XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError"
SERVICES=(gateway run-service worker-service assign-service)
STACK="$ROOT/deploy/observability/live-stack.sh"

"$STACK" stop "$WORK" >/dev/null 2>&1 || true
rm -rf "$WORK"
trap '"$STACK" stop "$WORK"' EXIT
"$STACK" start "$WORK"

rss_kb() { ps -o rss= -p "$(cat "$WORK/pids/$1.pid")" | tr -d ' '; }
mib() { echo $(( ($1 + 1023) / 1024 )); }
declare -A idle peak
sleep 20
for s in "${SERVICES[@]}"; do idle[$s]=$(rss_kb "$s"); peak[$s]=${idle[$s]}; done

set -a; source "$WORK/service.env"; source "$WORK/demo.env"; source "$WORK/stack.env"; set +a
gw=$GATEWAY_URL
# One request per line: method, path, header. The run API list and history (gateway -> run-service), the admin API
# (gateway -> assign-service), unknown and unauthenticated paths (gateway alone).
paths=(
  "GET /api/v1/runs Authorization: Bearer $USER_TOKEN"
  "GET /api/v1/admin/servers X-Admin-Key: $ADMIN_API_KEY"
  "GET /api/v1/admin/sites X-Admin-Key: $ADMIN_API_KEY"
  "GET /api/v1/runs X-None: 1"
  "GET /no-such-path X-None: 1"
)
load() {
  local i line method path header
  for ((i = $1; i < REQUESTS; i += CONCURRENCY)); do
    line=${paths[$((i % ${#paths[@]}))]}
    method=${line%% *}; line=${line#* }; path=${line%% *}; header=${line#* }
    curl -s -o /dev/null --max-time 10 -X "$method" -H "$header" "$gw$path" || true
  done
}
start=$SECONDS
loaders=()
for ((c = 0; c < CONCURRENCY; c++)); do load "$c" & loaders+=($!); done
while kill -0 "${loaders[@]}" 2>/dev/null; do
  for s in "${SERVICES[@]}"; do r=$(rss_kb "$s"); (( r > peak[$s] )) && peak[$s]=$r; done
  sleep 1
done
wait "${loaders[@]}" || true
elapsed=$((SECONDS - start))
sleep 5
declare -A after
for s in "${SERVICES[@]}"; do after[$s]=$(rss_kb "$s"); (( after[$s] > peak[$s] )) && peak[$s]=${after[$s]}; done

committed() { # service area -> MiB committed (sum over pools; pool names hold spaces, the value is the last field)
  local url_var=${1//-/_}; url_var=${url_var^^}_MANAGEMENT_URL
  curl -fs "${!url_var}/actuator/prometheus" \
    | awk -v area="$2" '/^jvm_memory_committed_bytes\{/ && index($0, "area=\"" area "\"") { s += $NF } END { printf "%d", s / 1048576 }'
}
echo
echo "JVM flags: $LIVE_JAVA_OPTS"
echo "load: $REQUESTS requests through the gateway, $CONCURRENCY at a time, in ${elapsed} s"
printf '%-16s %10s %10s %10s %10s %14s\n' service "idle MiB" "peak MiB" "after MiB" "heap MiB" "non-heap MiB"
for s in "${SERVICES[@]}"; do
  printf '%-16s %10s %10s %10s %10s %14s\n' "$s" "$(mib "${idle[$s]}")" "$(mib "${peak[$s]}")" "$(mib "${after[$s]}")" \
    "$(committed "$s" heap)" "$(committed "$s" nonheap)"
done
