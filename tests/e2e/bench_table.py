#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# bench_table.py - medians and on/off ratios from run-bench's guest console logs.
"""Usage: bench_table.py CFG=LOG [CFG=LOG ...]   (CFG: on | off)

Each LOG holds BENCH-PHASE <phase> markers and BENCH lines from e2e_bench.
Prints a markdown table: per operation and phase the median ns/op over the
boots of each configuration, the spread (lowest-highest boot median), the
on-off difference and on/off ratio, and the failure counts (a denied
operation still costs a decision). Then the SMCBENCH lines of the first log
that has them (tests/bench/kmod/smcbench.c: SMC and DECIDE cost from the
kernel)."""
import re
import statistics
import sys

BENCH = re.compile(r"BENCH (\S+) iters=(\d+) rounds=\d+ ns_per_op=(\d+) .*failures=(\d+)")
PHASE = re.compile(r"BENCH-PHASE (\S+)")
STATE = re.compile(r'^\{"state":"([a-z_]+)","flags":\[([^\]]*)\]')
SMCB = re.compile(r"SMCBENCH (\S+) n=(\d+) rounds=\d+ median=(\d+) min=(\d+) max=(\d+) (.*)")


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
    print("| phase | operation | off ns | (spread) | on ns | (spread) | on-off | on/off "
          "| failures on/off |")
    print("|---|---|---:|---|---:|---|---:|---:|---|")
    for phase, op in keys:
        vals = {c: [r[(phase, op)] for r in runs[c] if (phase, op) in r] for c in runs}
        if not vals["on"] or not vals["off"]:
            continue
        med = {c: statistics.median(v[0] for v in vals[c]) for c in vals}
        spread = {c: f"{min(v[0] for v in vals[c])}-{max(v[0] for v in vals[c])}"
                  for c in vals}
        fails = {c: max(v[1] for v in vals[c]) for c in vals}
        ratio = med["on"] / med["off"] if med["off"] else float("nan")
        print(f"| {phase} | {op} | {med['off']:.0f} | {spread['off']} | {med['on']:.0f} | "
              f"{spread['on']} | {med['on'] - med['off']:+.0f} | {ratio:.3f}x | "
              f"{fails['on']}/{fails['off']} |")
    states(argv)
    smc_table([p for p in argv])
    return 0


def states(args):
    """The secure world's integrity state at each boot's end: a degraded on
    boot measured the policy's reaction (refusals), not its decisions."""
    out = []
    for arg in args:
        cfg, _, path = arg.partition("=")
        with open(path, errors="replace") as f:
            m = next((m for m in map(STATE.search, f) if m), None)
        out.append(f"{cfg} {m.group(1)} [{m.group(2)}]" if m else f"{cfg} ?")
    print("\nintegrity state at the end of each boot: " + "; ".join(out))


def smc_table(args):
    """The smcbench lines of the first log that has them."""
    for arg in args:
        cfg, _, path = arg.partition("=")
        with open(path, errors="replace") as f:
            rows = [m.groups() for m in map(SMCB.search, f) if m]
        if not rows:
            continue
        print(f"\nsmcbench (kernel module, {cfg} boot {path}): ns per call, "
              "median (min-max) of the rounds\n")
        print("| case | calls | ns | (min-max) | result |")
        print("|---|---:|---:|---|---|")
        for name, n, med, lo, hi, rest in rows:
            print(f"| {name} | {n} | {med} | {lo}-{hi} | {rest} |")
        return


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
