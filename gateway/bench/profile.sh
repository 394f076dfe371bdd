#!/usr/bin/env bash
# profile.sh JAR OUTDIR: the user shape (PROF_SHAPE=assign: the assign shape) under JFR (issue 14). This gateway (every filter) and bare SCG pinned to cpu 0
# in front of one nginx backend, wrk -c50 on cpu 1; 2 x 30 s of interleaved warm-up, then 30 s of JFR (settings=profile)
# under wrk for each, with the JVM's CPU ticks. Then: python3 gateway/bench/jfr-owners.py OUTDIR/gw-user.jfr (shares
# by the code that asked for the work). Run it under the exclusive bench lock.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JAR=$1 OUT=$2
mkdir -p "$OUT"
BACKEND=18281 BARE=18290 GW=18285
. "$ROOT/gateway/bench/pinned-pair.sh"
start_pinned_pair "$JAR" "${PROF_ENV:-}"
warm_pair 2
prof() { # pid name wrkargs...
  local pid=$1 name=$2; shift 2
  jcmd $pid JFR.start name=p settings=profile filename="$OUT/$name.jfr" >/dev/null
  local t0; t0=$(awk '{print $14+$15}' /proc/$pid/stat)
  taskset -c 1 wrk -t1 -c50 -d30s "$@" | tee "$OUT/$name.wrk" | grep Requests/sec
  local t1; t1=$(awk '{print $14+$15}' /proc/$pid/stat)
  echo "$name jvm cpu ticks $((t1 - t0))" | tee -a "$OUT/$name.wrk"
  jcmd $pid JFR.stop name=p >/dev/null
}
if [[ ${PROF_SHAPE:-user} == assign ]]; then
  prof $GWPID gw-assign -H "X-API-Key: $ASSIGN_API_KEY" "http://127.0.0.1:$GW/api/v1/worker/servers/available"
else
  prof $GWPID gw-user -H "Authorization: Bearer $USER_TOKEN" $USER_URL
fi
prof $BAREPID bare $BARE_URL
