#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# bench_par.py - decisions per second, 2 pinned workers against 1, from run-bench --parallel logs.
"""Usage: bench_par.py LOG [LOG ...]

Each LOG holds BENCH-PAR lines of e2e_bench --parallel (1 and 2 workers,
alternating). Prints per boot and over all boots the median iterations per
second with 1 and with 2 workers, their ratio (the scaling), the spread of
the per-pair ratios, and the CPUs the guest had online."""
import re
import statistics
import sys

PAR = re.compile(r"BENCH-PAR (\S+) workers=(\d+) ms=\d+ iters=\d+ per_s=(\d+) "
                 r"per_worker_s=(\S+) failures=(\d+)")
CPUS = re.compile(r"E2E-INFO cpus_online=(\S+)")


def parse(path):
    runs, cpus = {1: [], 2: []}, "?"
    with open(path, errors="replace") as f:
        for line in f:
            m = CPUS.search(line)
            if m:
                cpus = m.group(1)
            m = PAR.search(line)
            if m and int(m.group(2)) in runs:
                runs[int(m.group(2))].append((int(m.group(3)), m.group(4), int(m.group(5))))
    return runs, cpus


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    all1, all2, pair_ratios = [], [], []
    print("| boot | cpus online | op/s, 1 worker (median) | op/s, 2 workers (median) "
          "| 2 vs 1 | per-pair ratios | failures |")
    print("|---|---|---:|---:|---:|---|---:|")
    for path in argv:
        runs, cpus = parse(path)
        one, two = [r[0] for r in runs[1]], [r[0] for r in runs[2]]
        if not one or not two:
            print(f"bench_par: no BENCH-PAR lines for both 1 and 2 workers in {path}",
                  file=sys.stderr)
            return 1
        ratios = [b / a for a, b in zip(one, two) if a]
        pair_ratios += ratios
        all1 += one
        all2 += two
        fails = sum(r[2] for r in runs[1] + runs[2])
        m1, m2 = statistics.median(one), statistics.median(two)
        print(f"| {path} | {cpus} | {m1:.0f} | {m2:.0f} | {m2 / m1:.2f}x | "
              f"{min(ratios):.2f}-{max(ratios):.2f} | {fails} |")
    m1, m2 = statistics.median(all1), statistics.median(all2)
    print(f"\nall boots: 1 worker {m1:.0f}/s, 2 workers {m2:.0f}/s, scaling {m2 / m1:.2f}x "
          f"(median of per-pair ratios {statistics.median(pair_ratios):.2f}x, "
          f"{len(pair_ratios)} pairs)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
