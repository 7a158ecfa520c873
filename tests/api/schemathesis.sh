#!/usr/bin/env bash
# Runs the API as a client generated from its OpenAPI document would:
# schemathesis (from PyPI) with every check, as a cấp ủy and as the Ban
# Tuyên giáo, against a live server on fresh demo data. Exits non-zero on
# any failure (a server error, an undocumented status, a request valid by
# the document refused or one outside it accepted, a body unlike its schema).
#
#   bash tests/api/schemathesis.sh                 # SQLite, a fresh data folder
#   bash tests/api/schemathesis.sh postgres://…    # a fresh database on that server
# DIENHINH_ST_EXAMPLES (default 15) bounds the examples per operation.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
pg="${1:-}"

if ! python3 -c "import schemathesis" >/dev/null 2>&1; then
  # The version this script was last checked with; its CLI and checks change between releases.
  python3 -m pip install -q --disable-pip-version-check "schemathesis==4.32.5"
fi
(cd "$root" && cargo build --quiet --bin dienhinh)
bin="$target/debug/dienhinh"

data="$(mktemp -d)"
db_args=()
if [ -n "$pg" ]; then
  db="dienhinh_st_$$"
  psql "$pg" -qc "CREATE DATABASE $db" >/dev/null
  db_args=(--database-url "${pg%/*}/$db")
fi
port=$((20000 + RANDOM % 20000))
# Generated requests come faster than the default rate limit allows.
printf 'api_rate_per_minute = 1000000\n' >"$data/config.toml"
export DIENHINH_CONFIG="$data/config.toml" DIENHINH_DEMO_PASSWORD="matkhau-schemathesis"
"$bin" serve --demo --data "$data" "${db_args[@]}" --addr "127.0.0.1:$port" >"$data/server.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ -n "$pg" ] && psql "$pg" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

status=0
for user in capuy btg; do
  token="$("$bin" token create --user "$user" --data "$data" "${db_args[@]}" | tail -n1)"
  echo "== schemathesis as $user ($([ -n "$pg" ] && echo PostgreSQL || echo SQLite))"
  # From the scratch folder: schemathesis keeps its example database in `.schemathesis/` there.
  run() {
    (cd "$data" && python3 "$here/st.py" --config-file "$here/schemathesis.toml" run "http://127.0.0.1:$port/api/openapi.json" \
      --checks all -H "Authorization: Bearer $token" \
      --max-examples "${DIENHINH_ST_EXAMPLES:-15}" --workers 2 --continue-on-failure --seed 48 "$@") || status=1
  }
  # Through st.py: schemathesis with a guard around a CPython 3.11 bug that
  # otherwise ends an operation's coverage phase with an error of its own.
  run --phases examples,coverage,fuzzing
done
if grep -q '"level":"ERROR"\|ERROR' "$data/server.log"; then
  echo "server logged errors:"; grep 'ERROR' "$data/server.log" | head -20; status=1
fi
exit $status
