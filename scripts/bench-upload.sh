#!/usr/bin/env bash
# Upload speed and memory (issue 17, item 6): a 10 MB PDF sent to the running server
# (`POST /api/v1/dossiers/{code}/documents`, multipart, through curl over TCP) against copying
# the same bytes with `cp` on the same disk, both timed in this run; and the server's peak
# resident memory (VmHWM) before and after the uploads. Then the citizen's filing page
# (`POST /mot-cua/nop-truc-tuyen`, a dossier with two files of that size in one form) the same
# number of times, with the peak memory after. Results go to stdout (docs/PERFORMANCE.md).
#   scripts/bench-upload.sh [ROUNDS]     (default 10; the demo server on SQLite, files in its folder)
#   SIZE_MB=19 scripts/bench-upload.sh   (another file size, at most the 20 MB the server accepts)
set -euo pipefail
rounds=${1:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/demo-server.sh"
start_demo_server bench-upload ""
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data" "$work"' EXIT
size_mb=${SIZE_MB:-10}
python3 - "$work/big.pdf" "$size_mb" <<'PY'
import os, sys
with open(sys.argv[1], "wb") as f:
    f.write(b"%PDF-1.7\n")
    f.write(os.urandom(int(sys.argv[2]) * 1024 * 1024 - 9))
PY
token=$(curl -sf -X POST "$url/api/v1/auth/token" -H 'content-type: application/json' \
  -d '{"username":"motcua","password":"motcua-demo-2026"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
code=$(curl -sf -X POST "$url/api/v1/dossiers" -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"procedure":"2.000908","channel":"counter","applicant":{"kind":"citizen","id":"031095001234","name":"Vũ Minh Anh"}}' \
  | python3 -c 'import sys,json;print(json.load(sys.stdin)["code"])')
hwm() { awk '/VmHWM/ {print $2}' "/proc/$pid/status"; }
# The citizen's session for the filing page (a login's Argon2 check takes 19 MiB of its own:
# done before the first reading, so the figures are the uploads').
curl -sf -o /dev/null -c "$work/jar" -X POST "$url/dang-nhap" -H 'sec-fetch-site: same-origin' \
  --data-urlencode username=congdan --data-urlencode password=motcua-demo-2026
before=$(hwm)
ms() { python3 -c 'import time; print(time.monotonic_ns() // 1000)'; }
up=(); cp_=()
for i in $(seq 1 "$rounds"); do
  t0=$(ms); cp "$work/big.pdf" "$data/copy-$i.pdf"; sync "$data/copy-$i.pdf"; t1=$(ms); cp_+=($((t1 - t0)))
  t0=$(ms)
  curl -sf -o /dev/null -X POST "$url/api/v1/dossiers/$code/documents" -H "authorization: Bearer $token" \
    -F kind=component -F 'name=Bản sao giấy tờ' -F "file=@$work/big.pdf;type=application/pdf"
  t1=$(ms); up+=($((t1 - t0)))
done
after=$(hwm)
filed=()
for i in $(seq 1 "$rounds"); do
  t0=$(ms)
  status=$(curl -s -o /dev/null -w '%{http_code}' -b "$work/jar" -X POST "$url/mot-cua/nop-truc-tuyen" \
    -H 'sec-fetch-site: same-origin' -F procedure=2.000908 -F kind=citizen -F id=031095001234 \
    -F 'name=Vũ Minh Anh' -F phone=0912345678 -F desk=H24.02 \
    -F "file_0=@$work/big.pdf;type=application/pdf" -F "file_1=@$work/big.pdf;type=application/pdf")
  t1=$(ms); filed+=($((t1 - t0)))
  [ "$status" = 303 ] || { echo "filing page answered $status" >&2; exit 1; }
done
after_filing=$(hwm)
python3 - "$before" "$after" "${up[*]}" "${cp_[*]}" "$size_mb" "${filed[*]}" "$after_filing" <<'PY'
import statistics, sys
before, after, size = int(sys.argv[1]), int(sys.argv[2]), sys.argv[5]
up = [int(x) / 1000 for x in sys.argv[3].split()]
cp = [int(x) / 1000 for x in sys.argv[4].split()]
mu, mc = statistics.median(up), statistics.median(cp)
print(f"uploads of {size} MiB: median {mu:.1f} ms (min {min(up):.1f}, max {max(up):.1f}) over {len(up)}")
print(f"cp + sync of the same file: median {mc:.1f} ms (min {min(cp):.1f}, max {max(cp):.1f})")
print(f"ratio upload / cp: {mu / mc:.2f}")
print(f"server peak resident memory: {before / 1024:.1f} MiB before, {after / 1024:.1f} MiB after ({(after - before) / 1024:+.1f} MiB)")
filed, after_filing = [int(x) / 1000 for x in sys.argv[6].split()], int(sys.argv[7])
mf = statistics.median(filed)
print(f"filing page with two files of {size} MiB: median {mf:.1f} ms (min {min(filed):.1f}, max {max(filed):.1f}); "
      f"ratio to 2 x cp: {mf / (2 * mc):.2f}")
print(f"server peak resident memory after the filings: {after_filing / 1024:.1f} MiB ({(after_filing - after) / 1024:+.1f} MiB)")
PY
