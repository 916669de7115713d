#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# bench_par.py - decisions per second, 2 pinned workers against 1, from run-bench --parallel logs.
"""Usage: bench_par.py LOG [LOG ...]

Each LOG holds BENCH-PAR lines of e2e_bench --parallel (1 and 2 workers,
alternating). Prints per operation, per boot and over all boots the median
iterations per second with 1 and with 2 workers, their ratio (the scaling),
the spread of the per-pair ratios, and the CPUs the guest had online."""
import re
import statistics
import sys

PAR = re.compile(r"BENCH-PAR (\S+) workers=(\d+) ms=\d+ iters=\d+ per_s=(\d+) "
                 r"per_worker_s=(\S+) failures=(\d+)")
CPUS = re.compile(r"E2E-INFO cpus_online=(\S+)")


def parse(path):
    """{op: {workers: [(per_s, per_worker, failures)]}}, CPUs online."""
    runs, cpus = {}, "?"
    with open(path, errors="replace") as f:
        for line in f:
            m = CPUS.search(line)
            if m:
                cpus = m.group(1)
            m = PAR.search(line)
            if m and int(m.group(2)) in (1, 2):
                runs.setdefault(m.group(1), {1: [], 2: []})[int(m.group(2))].append(
                    (int(m.group(3)), m.group(4), int(m.group(5))))
    return runs, cpus


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    parsed = [(path, *parse(path)) for path in argv]
    ops = []
    for _, runs, _ in parsed:
        ops += [op for op in runs if op not in ops]
    if not ops:
        print("bench_par: no BENCH-PAR lines", file=sys.stderr)
        return 1
    for op in ops:
        if table(op, parsed):
            return 1
    return 0


def table(op, parsed):
    """One op's table over all boots; 1 if a boot lacks 1- or 2-worker runs."""
    all1, all2, pair_ratios = [], [], []
    print(f"\n{op}:\n")
    print("| boot | cpus online | op/s, 1 worker (median) | op/s, 2 workers (median) "
          "| 2 vs 1 | per-pair ratios | failures |")
    print("|---|---|---:|---:|---:|---|---:|")
    for path, runs, cpus in parsed:
        r = runs.get(op, {1: [], 2: []})
        one, two = [x[0] for x in r[1]], [x[0] for x in r[2]]
        if not one or not two:
            print(f"bench_par: {op}: no BENCH-PAR lines for both 1 and 2 workers in {path}",
                  file=sys.stderr)
            return 1
        ratios = [b / a for a, b in zip(one, two) if a]
        pair_ratios += ratios
        all1 += one
        all2 += two
        fails = sum(x[2] for x in r[1] + r[2])
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
