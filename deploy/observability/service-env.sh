# Sourced by live-stack.sh and deploy/image/podman-smoke.sh: write_service_env FILE TAG LIKEPION_DB RUN_DB writes the
# environment of the four services on this machine (KEY=value lines): PostgreSQL and Redis from PG_*/REDIS_*, the
# Redis key prefix TAG:, the two databases, the API and management ports from the caller's associative arrays
# `port` and `mport` (by service name), the services' URLs on 127.0.0.1 and fresh secrets.
write_service_env() {
  local file=$1 tag=$2 likepion=$3 runs=$4
  cat > "$file" <<ENV
PG_HOST=$PG_HOST
PG_PORT=$PG_PORT
PG_USER=$PG_USER
PG_PASSWORD=${PG_PASSWORD:-}
REDIS_HOST=$REDIS_HOST
REDIS_PORT=$REDIS_PORT
REDIS_KEY_PREFIX=$tag:
LIKEPION_DB_NAME=$likepion
RUN_DB_NAME=$runs
GATEWAY_PORT=${port[gateway]}
RUN_SERVICE_PORT=${port[run-service]}
WORKER_SERVICE_PORT=${port[worker-service]}
ASSIGN_SERVICE_PORT=${port[assign-service]}
GATEWAY_MANAGEMENT_PORT=${mport[gateway]}
RUN_SERVICE_MANAGEMENT_PORT=${mport[run-service]}
WORKER_SERVICE_MANAGEMENT_PORT=${mport[worker-service]}
ASSIGN_SERVICE_MANAGEMENT_PORT=${mport[assign-service]}
RUN_SERVICE_URL=http://127.0.0.1:${port[run-service]}
WORKER_SERVICE_URL=http://127.0.0.1:${port[worker-service]}
ASSIGN_SERVICE_URL=http://127.0.0.1:${port[assign-service]}
INTERNAL_TOKEN_SECRET=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')
INTERNAL_TOKEN_PREVIOUS_SECRETS=
JWT_SECRET=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')
ADMIN_API_KEY=$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')
ENV
}
