#!/usr/bin/env bash
# seed.sh: what the gateway benches need without a running stack (./dev up needs the whole stack): the LIKEPION schema
# in its own database (BENCH_DB, default gwbench_likepion), one tool and one assign server with fresh keys, the dev
# secrets and .dev/demo.env (TOOL_API_KEY, ASSIGN_API_KEY, USER_TOKEN; never over one ./dev up wrote). Run the benches
# with LIKEPION_DB_NAME=$BENCH_DB.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DB=${BENCH_DB:-gwbench_likepion}
PSQL=(psql -h "${PG_HOST:-127.0.0.1}" -p "${PG_PORT:-5432}" -U "${PG_USER:-postgres}" -v ON_ERROR_STOP=1 -qtA)
secret() {
  [[ -s $ROOT/.dev/$1 ]] || { mkdir -p "$ROOT/.dev"; head -c 48 /dev/urandom | base64 | tr -d '/+=\n' >"$ROOT/.dev/$1"; }
  cat "$ROOT/.dev/$1"
}
MARK='# written by gateway/bench/seed.sh'
if [[ -f $ROOT/.dev/demo.env ]] && ! grep -qx "$MARK" "$ROOT/.dev/demo.env"; then
  echo "seed.sh: .dev/demo.env comes from ./dev up; its credentials already serve the benches (LIKEPION_DB_NAME=likepion)" >&2
  exit 2
fi
if [[ -z $("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'") ]]; then
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null
  for f in $(ls -v "$ROOT"/common/src/main/resources/db/likepion/V*.sql); do "${PSQL[@]}" -d "$DB" -f "$f" >/dev/null; done
fi
key() { head -c 24 /dev/urandom | base64 | tr -d '/+=\n'; }
TOOL_API_KEY=$(key) ASSIGN_API_KEY=$(key)
hash() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
"${PSQL[@]}" -d "$DB" >/dev/null <<SQL
DELETE FROM servers WHERE name IN ('bench-tool', 'bench-assign');
INSERT INTO servers (id, name, service, status, api_key_hash) VALUES
  (gen_random_uuid(), 'bench-tool', 'tool', 'online', '$(hash "$TOOL_API_KEY")'),
  (gen_random_uuid(), 'bench-assign', 'assign', 'online', '$(hash "$ASSIGN_API_KEY")');
SQL
secret internal-token.secret >/dev/null
USER_TOKEN=$(JWT_SECRET=$(secret jwt.secret) "$ROOT/deploy/local/demo-tokens.sh" 2>/dev/null | sed -n 's/^USER_TOKEN=//p')
printf '%s\nTOOL_API_KEY=%s\nASSIGN_API_KEY=%s\nUSER_TOKEN=%s\n' "$MARK" "$TOOL_API_KEY" "$ASSIGN_API_KEY" "$USER_TOKEN" \
  >"$ROOT/.dev/demo.env"
chmod 600 "$ROOT/.dev/demo.env" "$ROOT/.dev/"*.secret
echo "seeded $DB; credentials in .dev/demo.env"
