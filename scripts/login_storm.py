#!/usr/bin/env python3
"""Concurrent wrong logins against a running motcua, with the server's memory sampled.

    scripts/login_storm.py URL PID [--clients 300] [--rounds 3]

Each round, CLIENTS threads send POST /api/v1/auth/token with a wrong password at the same
moment (one connection each). Reports the answers by status, the time, and the server's resident
memory (VmRSS) before, at its peak (VmHWM) and 5 s after. Issue 12, item 2; figures in
docs/RELIABILITY.md.
"""
import argparse
import collections
import http.client
import json
import threading
import time
import urllib.parse


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def login(host, port, user, barrier, out):
    body = json.dumps({"username": user, "password": "doan-sai-mat-khau"})
    barrier.wait()
    try:
        c = http.client.HTTPConnection(host, port, timeout=120)
        c.request("POST", "/api/v1/auth/token", body, {"Content-Type": "application/json"})
        out.append(c.getresponse().status)
        c.close()
    except Exception as e:  # a refused or reset connection is an answer too
        out.append(type(e).__name__)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("pid", type=int)
    p.add_argument("--clients", type=int, default=300)
    p.add_argument("--rounds", type=int, default=3)
    a = p.parse_args()
    u = urllib.parse.urlparse(a.url)
    before = rss_kib(a.pid)
    statuses = collections.Counter()
    started = time.time()
    for r in range(a.rounds):
        out, barrier = [], threading.Barrier(a.clients)
        users = ["chuyenvien", "lanhdao", "motcua", "congdan", "admin"]
        threads = [threading.Thread(target=login, args=(u.hostname, u.port, users[i % len(users)] + str(r * a.clients + i), barrier, out))
                   for i in range(a.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses.update(out)
    elapsed = time.time() - started
    peak = rss_kib(a.pid, "VmHWM")
    time.sleep(5)
    after = rss_kib(a.pid)
    print(json.dumps({
        "clients": a.clients, "rounds": a.rounds, "seconds": round(elapsed, 1),
        "answers": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        "rss_before_mib": round(before / 1024, 1), "rss_peak_mib": round(peak / 1024, 1),
        "rss_after_mib": round(after / 1024, 1),
    }))


if __name__ == "__main__":
    main()
