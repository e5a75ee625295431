#!/usr/bin/env bash
# Browser tests: build motcua, start it with the demo data on a fresh SQLite file (or on the
# database named by MOTCUA_E2E_DATABASE_URL, which must be empty), run the playwright-core tests
# against it in Debian Chromium, stop it. Screenshots: e2e/screenshots/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
command -v chromium >/dev/null || { echo "e2e: chromium is not installed (apt-get install chromium)" >&2; exit 1; }
[ -d "$here/node_modules/playwright-core" ] || (cd "$here" && npm ci --no-audit --no-fund)
. "$root/scripts/demo-server.sh"
# Every browser test logs in from 127.0.0.1: the per-address login throttle (30 at once, then
# 300 an hour) would refuse the later tests of the suite. The throttle has its own HTTP tests.
export MOTCUA_SECURITY__LIMITS__LOGINS_PER_ADDRESS__BURST=500
start_demo_server e2e "${MOTCUA_E2E_DATABASE_URL:-}"
cd "$here"
MOTCUA_E2E_URL="$url" npm test
