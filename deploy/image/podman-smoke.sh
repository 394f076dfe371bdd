#!/usr/bin/env bash
# Loads the Jib image tarballs into podman and runs them against the PostgreSQL and Redis of this machine (host
# network, throwaway databases, a private Redis key prefix, free ports), each container limited to CONTAINER_MEMORY
# (default 768m, the prod limit); waits for each service's /actuator/health/readiness on its management port, prints
# /actuator/health and the container's RSS, then removes the containers and drops the databases.
#   deploy/image/podman-smoke.sh [service...]      default: the four, worker-service first (it applies the migrations)
# Build the images first: ./dev image. Needs root podman; on this project's build machine it needs runc (crun refuses
# the hybrid cgroup v1/v2 mounts) and ulimits no higher than the caller's (the sandbox lacks CAP_SYS_RESOURCE), which
# PODMAN_RUN_FLAGS sets; override it elsewhere (PODMAN_RUN_FLAGS= for a normal host).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PG_HOST=${PG_HOST:-127.0.0.1}; PG_PORT=${PG_PORT:-5432}; PG_USER=${PG_USER:-postgres}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}; REDIS_PORT=${REDIS_PORT:-6379}
CONTAINER_MEMORY=${CONTAINER_MEMORY:-768m}
PODMAN=(podman --runtime "${PODMAN_RUNTIME:-runc}")
PODMAN_RUN_FLAGS=${PODMAN_RUN_FLAGS-"--ulimit nofile=$(ulimit -Hn):$(ulimit -Hn) --ulimit nproc=4096:4096"}
services=("$@")
[[ ${#services[@]} -gt 0 ]] || services=(worker-service assign-service run-service gateway)
# shellcheck source=../observability/service-env.sh
source "$ROOT/deploy/observability/service-env.sh"
psql_admin() { PGPASSWORD=${PG_PASSWORD:-} psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
# Sets PORT to a free port not handed out before (in this shell: $(...) would run in a subshell and forget it).
handed_out=" "
next_port() {
  while true; do
    PORT=$((20000 + RANDOM % 30000))
    [[ $handed_out == *" $PORT "* ]] && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && continue
    handed_out+="$PORT "; return
  done
}

tag="podman_$(date +%s)_$RANDOM"
containers=()
cleanup() {
  for c in "${containers[@]}"; do "${PODMAN[@]}" rm -f -t 10 "$c" >/dev/null 2>&1 || true; done
  for db in "${tag}_likepion" "${tag}_runs"; do psql_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null || true; done
}
trap cleanup EXIT
for db in "${tag}_likepion" "${tag}_runs"; do psql_admin -c "CREATE DATABASE \"$db\"" >/dev/null; done

declare -A port mport
for s in gateway run-service worker-service assign-service; do next_port; port[$s]=$PORT; next_port; mport[$s]=$PORT; done
env_file=$(mktemp); trap 'cleanup; rm -f "$env_file"' EXIT
write_service_env "$env_file" "$tag" "${tag}_likepion" "${tag}_runs"
echo "MANAGEMENT_ADDRESS=127.0.0.1" >> "$env_file"

for s in "${services[@]}"; do
  tarball="$ROOT/$s/target/jib-image.tar"
  [[ -f $tarball ]] || { echo "podman-smoke: $tarball is missing (./dev image $s)" >&2; exit 1; }
  "${PODMAN[@]}" load -q -i "$tarball" >/dev/null
  # shellcheck disable=SC2086
  "${PODMAN[@]}" run -d --name "$tag-$s" --network host --memory "$CONTAINER_MEMORY" $PODMAN_RUN_FLAGS \
    --env-file "$env_file" "localhost/runway/$s:0.1.0" >/dev/null
  containers+=("$tag-$s")
  url="http://127.0.0.1:${mport[$s]}/actuator/health"
  started=$SECONDS; deadline=$((SECONDS + ${STARTUP_SECONDS:-240}))
  until curl -fs -o /dev/null --max-time 2 "$url/readiness"; do
    [[ $("${PODMAN[@]}" inspect -f '{{.State.Running}}' "$tag-$s") == true ]] \
      || { echo "podman-smoke: $s exited" >&2; "${PODMAN[@]}" logs --tail 30 "$tag-$s" >&2; exit 1; }
    [[ $SECONDS -lt $deadline ]] || { echo "podman-smoke: $s not ready" >&2; "${PODMAN[@]}" logs --tail 30 "$tag-$s" >&2; exit 1; }
    sleep 2
  done
  pid=$("${PODMAN[@]}" inspect -f '{{.State.Pid}}' "$tag-$s")
  health=$(curl -fs "$url" | python3 -c 'import json, sys; h = json.load(sys.stdin)
print(h["status"], "(" + ", ".join(k + " " + v["status"] for k, v in sorted(h.get("components", {}).items())) + ")")')
  echo "$s: ready in $((SECONDS - started)) s; uid $(ps -o uid= -p "$pid" | tr -d ' '); RSS $(( $(ps -o rss= -p "$pid") / 1024 )) MiB; health $health"
done
echo "podman-smoke: ${#services[@]} image(s) ran and answered readiness"
