# Sourced by the scripts that test a running motcua (browser tests, API fuzzing): build the
# binary, start `serve --demo` on a fresh data folder and a free port, wait until it is ready,
# stop it and remove the folder on exit.
#   start_demo_server NAME DATABASE_URL   (an empty DATABASE_URL: SQLite in the data folder)
# Sets: data (the folder), url (http://127.0.0.1:PORT), pid. Extra settings: export MOTCUA_*.
# A TCP port nobody listens on now, below the kernel's range of ephemeral ports: a port of that
# range, free when picked, can be taken before the listener starts by the local end of any
# outgoing connection (it happened: the OpenID Connect provider of the browser tests found its
# port taken by one of the server's connections to the S3 bucket).
free_port() {
  python3 - <<'PY'
import random, socket
try:
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except (OSError, ValueError, IndexError):
    low = 32768
for _ in range(200):
    port = random.randrange(20000, max(low, 20001))
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    raise SystemExit("no free TCP port between 20000 and %d" % low)
PY
}

start_demo_server() {
  local name=$1 db=$2 root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  (cd "$root" && cargo build --bin motcua)
  local bin="${CARGO_TARGET_DIR:-$root/target}/debug/motcua"
  data=$(mktemp -d)
  local port
  port=$(free_port)
  url="http://127.0.0.1:$port"
  "$bin" serve --demo --data-dir "$data" --database-url "${db:-sqlite:$data/$name.db}" --listen "127.0.0.1:$port" \
    >"$data/server.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
  for _ in $(seq 1 150); do
    curl -sf "$url/readyz" >/dev/null && return 0
    kill -0 $pid 2>/dev/null || { cat "$data/server.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$name: server did not become ready" >&2
  cat "$data/server.log" >&2
  exit 1
}
