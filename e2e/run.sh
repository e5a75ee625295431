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
# Sign-in through VNeID: the OpenID Connect provider of test-support/oidc stands in for it. The
# server discovers it on first use, so it starts after the server, once the callback's address
# (the server's port) is known.
oidc_dir="$root/test-support/oidc"
[ -d "$oidc_dir/node_modules/oidc-provider" ] || (cd "$oidc_dir" && npm ci --no-audit --no-fund)
oidc_port=$(free_port)
export MOTCUA_OIDC__ISSUER="http://127.0.0.1:$oidc_port" MOTCUA_OIDC__CLIENT_ID=motcua \
  MOTCUA_OIDC__CLIENT_SECRET=motcua-e2e-secret MOTCUA_OIDC__ID_CLAIM=so_dinh_danh \
  MOTCUA_OIDC__SCOPES='["profile", "cccd"]'
# MOTCUA_E2E_S3=1: the server keeps its files in an S3 bucket (moto_server, PyPI) instead of
# its folder, so the documents' journeys run on both file stores.
if [ "${MOTCUA_E2E_S3:-}" = 1 ]; then
  command -v moto_server >/dev/null || { echo "e2e: moto_server is required (pip install 'moto[server]')" >&2; exit 1; }
  s3_port=$(free_port)
  moto_server -H 127.0.0.1 -p "$s3_port" >/dev/null 2>&1 &
  moto_pid=$!
  for _ in $(seq 1 100); do
    python3 -c "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], method='PUT'))" \
      "http://127.0.0.1:$s3_port/e2e-files" 2>/dev/null && break
    sleep 0.1
  done
  export MOTCUA_FILES__KIND=s3 MOTCUA_FILES__ENDPOINT="http://127.0.0.1:$s3_port" MOTCUA_FILES__BUCKET=e2e-files \
    MOTCUA_FILES__ACCESS_KEY_ID=test MOTCUA_FILES__SECRET_ACCESS_KEY=test MOTCUA_FILES__ALLOW_HTTP=true
  echo "e2e: files in the S3 bucket e2e-files at http://127.0.0.1:$s3_port"
fi
start_demo_server e2e "${MOTCUA_E2E_DATABASE_URL:-}"
(cd "$oidc_dir" && OIDC_PORT=$oidc_port OIDC_CLIENT_ID=motcua OIDC_CLIENT_SECRET=motcua-e2e-secret \
  OIDC_REDIRECT_URIS="$url/dang-nhap/vneid/ve" exec node provider.mjs) >"$data/oidc.log" 2>&1 &
oidc_pid=$!
trap 'kill $pid $oidc_pid ${moto_pid:-} 2>/dev/null || true; wait $pid $oidc_pid ${moto_pid:-} 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$oidc_port/.well-known/openid-configuration" >/dev/null && break
  kill -0 $oidc_pid 2>/dev/null || { cat "$data/oidc.log" >&2; exit 1; }
  sleep 0.1
done
cd "$here"
MOTCUA_E2E_URL="$url" npm test
