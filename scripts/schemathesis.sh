#!/usr/bin/env bash
# API contract fuzzing (issue 12): start motcua with the demo data on a fresh SQLite file (or on
# the empty database MOTCUA_ST_DATABASE_URL names), run schemathesis (PyPI) against its OpenAPI
# document — anonymous, then as the provincial admin — and fail on any 5xx, any status the
# document does not list, or any answer that does not match its schema.
#   MOTCUA_ST_EXAMPLES: examples per operation (default 25). Needs `pip install schemathesis`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command -v schemathesis >/dev/null || { echo "schemathesis: not installed (pip install schemathesis)" >&2; exit 1; }
# The fuzzer logs in and looks dossiers up far faster than a person: the throttles are part of
# what it checks (429 is documented) but must not lock the admin out of the second run.
export MOTCUA_SECURITY__LIMITS__LOGIN_FAILURES_PER_ACCOUNT__BURST=1000000
export MOTCUA_SECURITY__LIMITS__LOGINS_PER_ADDRESS__BURST=1000000
. "$root/scripts/demo-server.sh"
start_demo_server schemathesis "${MOTCUA_ST_DATABASE_URL:-}"
token=$(curl -sf -X POST "$url/api/v1/auth/token" -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"motcua-demo-2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,unsupported_method,allow_header_conformance
# One worker: schemathesis' workers are threads, and CPython 3.11 before 3.11.8 builds ASTs with a
# shared recursion counter (python/cpython#106905): two threads describing Hypothesis lambdas at
# once fail with "AST constructor recursion depth mismatch", a fuzzer crash, not a finding.
run() {
  schemathesis run "$url/api/openapi.json" --url "$url" --checks "$checks" \
    --max-examples "${MOTCUA_ST_EXAMPLES:-25}" --seed 2026 --workers 1 --request-timeout 60 \
    -H 'Sec-Fetch-Site: same-origin' --exclude-path /api/v1/auth/logout "$@"
}
echo "== schemathesis: anonymous"
run
echo "== schemathesis: as the provincial admin"
run -H "Authorization: Bearer $token"
if grep -q "panicked" "$data/server.log"; then
  echo "schemathesis: the server logged a panic" >&2
  grep -n "panicked" "$data/server.log" >&2
  exit 1
fi
