#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# bench_table.py - medians and on/off ratios from run-bench's guest console logs.
"""Usage: bench_table.py CFG=LOG [CFG=LOG ...]   (CFG: on | off)

Each LOG holds BENCH-PHASE <phase> markers and BENCH lines from e2e_bench.
Prints a markdown table: per operation and phase the median ns/op over the
boots of each configuration, the on/off ratio, and the failure counts (a
denied operation still costs a decision)."""
import re
import statistics
import sys

BENCH = re.compile(r"BENCH (\S+) iters=(\d+) rounds=\d+ ns_per_op=(\d+) .*failures=(\d+)")
PHASE = re.compile(r"BENCH-PHASE (\S+)")


def parse(path):
    out, phase = {}, None
    with open(path, errors="replace") as f:
        for line in f:
            m = PHASE.search(line)
            if m:
                phase = m.group(1)
                continue
            m = BENCH.search(line)
            if m and phase:
                out[(phase, m.group(1))] = (int(m.group(3)), int(m.group(4)),
                                            int(m.group(2)))
    return out


def main(argv):
    runs = {}
    for arg in argv:
        cfg, sep, path = arg.partition("=")
        if not sep or cfg not in ("on", "off"):
            print(__doc__, file=sys.stderr)
            return 2
        runs.setdefault(cfg, []).append(parse(path))
    if set(runs) != {"on", "off"}:
        print("bench_table: need logs of both 'on' and 'off' boots", file=sys.stderr)
        return 2
    keys = []
    for r in runs["on"] + runs["off"]:
        keys += [k for k in r if k not in keys]
    print(f"boots: on={len(runs['on'])} off={len(runs['off'])}; "
          "values are medians over boots of per-boot medians (ns per syscall)\n")
    print("| phase | operation | off ns | on ns | on/off | failures on/off |")
    print("|---|---|---:|---:|---:|---|")
    for phase, op in keys:
        vals = {c: [r[(phase, op)] for r in runs[c] if (phase, op) in r] for c in runs}
        if not vals["on"] or not vals["off"]:
            continue
        med = {c: statistics.median(v[0] for v in vals[c]) for c in vals}
        fails = {c: max(v[1] for v in vals[c]) for c in vals}
        ratio = med["on"] / med["off"] if med["off"] else float("nan")
        print(f"| {phase} | {op} | {med['off']:.0f} | {med['on']:.0f} | "
              f"{ratio:.2f}x | {fails['on']}/{fails['off']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
