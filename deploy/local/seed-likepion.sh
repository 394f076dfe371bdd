#!/usr/bin/env bash
# Seeds the LIKEPION demo through the gateway's admin API: an assign server, three tool servers, sites, accounts,
# rate_limit settings and one running request whose links the built-in dispatcher generates and hands out.
# Prints exactly ASSIGN_API_KEY=, TOOL_API_KEY=, TOOL_API_KEY_2=, TOOL_API_KEY_3= on stdout; progress goes to stderr.
# Idempotent: on an already seeded database it only rotates the demo servers' keys (raw keys are never stored).
set -euo pipefail

: "${GATEWAY_URL:?GATEWAY_URL is required}"
: "${ADMIN_API_KEY:=}"
[[ -n "$ADMIN_API_KEY" || -n "${ADMIN_INTERNAL_TOKEN:-}" ]] || { echo "seed-likepion: ADMIN_API_KEY is required" >&2; exit 1; }

ADMIN="$GATEWAY_URL/api/v1/admin"
GROUP_ID="01930000-0000-7000-8000-00000000d3e0"

log() { echo "seed-likepion: $*" >&2; }

api() {
  local method=$1 path=$2 body=${3:-}
  local args=(-fsS --retry 5 --retry-connrefused --retry-delay 1 -X "$method" -H "Accept: application/json")
  if [[ -n "${ADMIN_INTERNAL_TOKEN:-}" ]]; then
    # Straight to assign-service, bypassing the gateway (used by assign-service's own tests).
    args+=(-H "X-Internal-Token: $ADMIN_INTERNAL_TOKEN")
  else
    args+=(-H "X-Admin-Key: $ADMIN_API_KEY")
  fi
  if [[ -n "$body" ]]; then
    args+=(-H "Content-Type: application/json" --data "$body")
  fi
  curl "${args[@]}" "$ADMIN$path"
}

first() { grep -o "\"$1\":\"[^\"]*\"" | head -n 1 | sed "s/^\"$1\":\"\(.*\)\"$/\1/"; }

server_key() {
  local name=$1 service=$2 threads=$3
  local existing id
  existing=$(api GET "/servers?name=$name")
  id=$(printf '%s' "$existing" | first id)
  if [[ -n "$id" ]]; then
    log "rotating the key of $name"
    api POST "/servers/$id/rotate-key" | first api_key
  else
    log "registering $name"
    api POST /servers "{\"name\":\"$name\",\"service\":\"$service\",\"max_threads\":$threads,\"priority\":10}" \
      | first api_key
  fi
}

seeded=$(api GET "/servers?name=demo-assign" | first id || true)

assign_key=$(server_key demo-assign assign 0)
tool_key=$(server_key demo-tool-1 tool 5)
tool_key_2=$(server_key demo-tool-2 tool 5)
tool_key_3=$(server_key demo-tool-3 tool 5)

if [[ -z "$seeded" ]]; then
  log "creating sites, accounts, settings and a running request"
  for site in entity-one.example entity-two.example entity-three.example; do
    api POST /sites "{\"name\":\"$site\",\"type\":\"entity\"}" >/dev/null
  done
  for n in 1 2 3 4; do
    api POST /accounts "{\"group_id\":\"$GROUP_ID\",\"email\":\"demo$n@example.com\",\"username\":\"demo$n\",\"password\":\"demo-password-$n\",\"about\":\"Demo account $n\"}" >/dev/null
  done
  api PUT /settings/rate_limit '{"max_posts_per_day":"50","cooldown_minutes":"1"}' >/dev/null
  api POST /requests "{\"name\":\"Demo campaign\",\"service_type\":\"entity\",\"website\":\"https://target.example\",\"auction_price\":100,\"target\":12,\"priority\":5,\"group_id\":\"$GROUP_ID\",\"status\":\"running\",\"config\":{\"anchor\":\"demo\"}}" >/dev/null
else
  log "already seeded; keys rotated"
fi

for key in "$assign_key" "$tool_key" "$tool_key_2" "$tool_key_3"; do
  [[ -n "$key" ]] || { log "the admin API returned no key"; exit 1; }
done

echo "ASSIGN_API_KEY=$assign_key"
echo "TOOL_API_KEY=$tool_key"
echo "TOOL_API_KEY_2=$tool_key_2"
echo "TOOL_API_KEY_3=$tool_key_3"
