#!/usr/bin/env bash
# Prints long-lived demo JWTs (HS256, signed with $JWT_SECRET) for the local stack, one KEY=value per line:
#   USER_TOKEN              user demo-user of tenant demo-tenant
#   USER_TOKEN_OTHER_TENANT user other-user of tenant other-tenant (to see tenant isolation)
#   ADMIN_TOKEN             operator demo-admin with roles ["admin"] (admin API and, with its tenant, the run API)
# Needs bash and openssl only. Nothing else goes to stdout.
set -euo pipefail

: "${JWT_SECRET:?JWT_SECRET must be set (the secret the gateway verifies JWTs with)}"
TENANT_CLAIM=${JWT_TENANT_CLAIM:-tenant_id}
VALID_DAYS=${DEMO_TOKEN_DAYS:-365}

b64url() {
  openssl base64 -A | tr '+/' '-_' | tr -d '='
}

jwt() {
  local subject=$1 tenant=$2 roles=$3
  local now exp header payload signature
  now=$(date +%s)
  exp=$((now + VALID_DAYS * 86400))
  header=$(printf '%s' '{"alg":"HS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"sub":"%s","%s":"%s","roles":%s,"iat":%d,"exp":%d}' \
    "$subject" "$TENANT_CLAIM" "$tenant" "$roles" "$now" "$exp" | b64url)
  signature=$(printf '%s' "$header.$payload" | openssl dgst -sha256 -mac HMAC -macopt "key:$JWT_SECRET" -binary | b64url)
  printf '%s.%s.%s' "$header" "$payload" "$signature"
}

echo "demo-tokens: minting demo JWTs valid for $VALID_DAYS days" >&2
echo "USER_TOKEN=$(jwt demo-user demo-tenant '[]')"
echo "USER_TOKEN_OTHER_TENANT=$(jwt other-user other-tenant '[]')"
echo "ADMIN_TOKEN=$(jwt demo-admin demo-tenant '["admin"]')"
