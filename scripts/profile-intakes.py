#!/usr/bin/env python3
"""Where an intake batch's time goes, statement by statement (issue 18).

The store prints one line per group commit when MOTCUA_PROFILE_INTAKES is set:
    intake-batch n=8 begin=310 sequence=420 dossier=1010 index=1190 event=1370 audit=1560 outbox=1840 commit=3720
(microseconds since the batch began). Feed the benchmark's stderr here:

    MOTCUA_PROFILE_INTAKES=1 MOTCUA_BENCH_SCENARIOS=intake cargo bench -p motcua-web --bench http_load 2>&1 \\
      | scripts/profile-intakes.py
"""
import collections
import re
import sys

steps = collections.OrderedDict()
batches = intakes = 0
for line in sys.stdin:
    if "intake:" in line or "baseline:" in line:
        print(line.rstrip())
    m = re.match(r"intake-batch n=(\d+) (.*)", line)
    if not m:
        continue
    batches += 1
    intakes += int(m.group(1))
    prev = 0
    for name, us in re.findall(r"(\w+)=(\d+)", m.group(2)):
        steps[name] = steps.get(name, 0) + int(us) - prev
        prev = int(us)
if not batches:
    sys.exit("no intake-batch lines: set MOTCUA_PROFILE_INTAKES=1")
total = sum(steps.values())
print(f"{batches} batches, {intakes} intakes, {intakes / batches:.1f} per batch, {total / batches:.0f} µs per batch")
print(f"{'step':10} {'µs/batch':>9} {'µs/intake':>10} {'share':>6}")
for name, us in steps.items():
    print(f"{name:10} {us / batches:9.0f} {us / intakes:10.0f} {100 * us / total:5.1f} %")
