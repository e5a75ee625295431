#!/usr/bin/env bash
# Browser tests: build motcua, start it with the demo data on a fresh SQLite file (or on the
# database named by MOTCUA_E2E_DATABASE_URL, which must be empty), run the playwright-core tests
# against it in Debian Chromium, stop it. Screenshots: e2e/screenshots/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
command -v chromium >/dev/null || { echo "e2e: chromium is not installed (apt-get install chromium)" >&2; exit 1; }
[ -d "$here/node_modules/playwright-core" ] || (cd "$here" && npm ci --no-audit --no-fund)
(cd "$root" && cargo build --bin motcua)
bin="${CARGO_TARGET_DIR:-$root/target}/debug/motcua"
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
db_url="${MOTCUA_E2E_DATABASE_URL:-sqlite:$data/e2e.db}"
"$bin" serve --demo --data-dir "$data" --database-url "$db_url" --listen "127.0.0.1:$port" >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$data/server.log" >&2; exit 1; }
  sleep 0.2
done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { echo "e2e: server did not become ready" >&2; cat "$data/server.log" >&2; exit 1; }
cd "$here"
MOTCUA_E2E_URL="http://127.0.0.1:$port" npm test
