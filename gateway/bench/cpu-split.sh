#!/usr/bin/env bash
# cpu-split.sh [JAR]: where the one server core goes at max throughput (issue 14). This gateway (user shape) and bare
# SCG pinned to cpu 0 in front of one nginx backend, wrk -c50 on cpu 1; 2 x 30 s of interleaved warm-up, then 20 s of
# wrk on each with the CPU ticks (1/100 s) of the JVM, nginx and Redis, and of the JVM per thread name. Run it under
# the exclusive bench lock with -o (flock -x -o /work/quiet.lock ...), so that the servers it starts do not hold it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JAR=${1:-$ROOT/gateway/target/gateway.jar}
BACKEND=18381 BARE=18390 GW=18385
. "$ROOT/gateway/bench/pinned-pair.sh"
start_pinned_pair "$JAR" "${GW_ENV:-}" "${GW_JAVA:-}"
REDISPID=$(pgrep -x redis-server | head -1)
warm_pair ${WARM_ROUNDS:-2}
ticks() { awk '{print $14+$15}' /proc/$1/stat; }
threads() { for t in /proc/$1/task/*; do printf '%s %s\n' "$(cat $t/comm | tr ' ' _)" "$(awk '{print $14+$15}' $t/stat)"; done | sort; }
measure() { # name pid url args
  local name=$1 pid=$2; shift 2
  threads $pid >"$WORK/t0"; local p0 n0 r0 c0; p0=$(ticks $pid); n0=$(for c in $(pgrep -P $NGINXPID) $NGINXPID; do ticks $c; done | paste -sd+ | bc); r0=$(ticks $REDISPID)
  c0=$(grep '^cpu0 ' /proc/stat)
  taskset -c 1 wrk -t1 -c50 -d${MEAS:-20}s "$@" | grep -E "Requests/sec|Latency"
  threads $pid >"$WORK/t1"; local p1 n1 r1 c1; p1=$(ticks $pid); n1=$(for c in $(pgrep -P $NGINXPID) $NGINXPID; do ticks $c; done | paste -sd+ | bc); r1=$(ticks $REDISPID)
  c1=$(grep '^cpu0 ' /proc/stat)
  echo "$name: jvm ticks $((p1-p0)) nginx $((n1-n0)) redis $((r1-r0)) (100 ticks/s, run ${MEAS:-20}s)"
  echo "cpu0 before: $c0"; echo "cpu0 after:  $c1"
  join <(awk '{a[$1]+=$2} END{for(k in a) print k, a[k]}' "$WORK/t0" | sort) <(awk '{a[$1]+=$2} END{for(k in a) print k, a[k]}' "$WORK/t1" | sort) | awk '{d=$3-$2; if (d>0) print "   ", $1, d}' | sort -k2 -nr | head -15
}
measure gw-user $GWPID -H "Authorization: Bearer $USER_TOKEN" $USER_URL
measure bare $BAREPID $BARE_URL
jcmd $GWPID VM.flags | tr ' ' '\n' | grep -E "Use.*GC|TieredStop|CICompilerCount" || true
jstat -gcutil $GWPID | cat
jstat -gcutil $BAREPID | cat
grep -c . "$WORK/gw.log"; tail -5 "$WORK/gw.log"
