#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# tb_profile.py - where the instructions of a system call go, from a QEMU trace.
"""Reads a log of `qemu-system-arm -d in_asm,exec,nochain -dfilter RANGES`
(tests/e2e/run-bench --profile) and prints, per kind of system call,
the guest instructions executed in the traced ranges, by function.

in_asm gives each translation block's instructions once (an "IN:" block:
one line per instruction, "0xADDR:  ..."); exec, with nochain, logs every
execution of a block ("Trace N: HOST [FLAGS/PC/...]"). A block's
instructions times its executions, summed per function (--syms: lines
"ADDR SIZE NAME", hex, as `nm -S` prints them), is what the traced code
cost. A window runs from one execution of the marker (--marker: the
address of a system call's entry) to the next, so it holds what one call
of that system call (and whatever the guest ran in the traced ranges until
the next one) cost. Windows of equal totals are one kind; the most
frequent kinds are printed with their breakdown. Instruction counts of a
block interrupted mid-way are counted whole: the figures are upper bounds
by the few instructions of an interrupted block.
"""
import argparse
import bisect
import collections
import re
import sys

TRACE = re.compile(r"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
INSN = re.compile(r"^0x([0-9a-f]+):")


def load_syms(path):
    """[(start, size, name)] sorted by start, from `nm -S`-style lines."""
    syms = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 3:
                continue
            syms.append((int(parts[0], 16), int(parts[1], 16), parts[-1]))
    syms.sort()
    return syms


class Symbols:
    """Address to function name; '?ADDR' outside every symbol."""

    def __init__(self, syms):
        self.syms = syms
        self.starts = [s[0] for s in syms]

    def name(self, pc):
        i = bisect.bisect_right(self.starts, pc) - 1
        if i >= 0 and pc < self.syms[i][0] + self.syms[i][1]:
            return self.syms[i][2]
        return "?%x" % pc


def windows(lines, marker, names):
    """Per window (a Counter: function -> instructions), in trace order."""
    insns = {}          # block start -> instructions (last translation)
    block, count = None, 0
    out, cur = [], None
    for line in lines:
        if line.startswith("IN:"):
            block, count = None, 0
            continue
        m = INSN.match(line)
        if m:
            if block is None:
                block = int(m.group(1), 16)
            count += 1
            continue
        m = TRACE.match(line)
        if not m:
            continue
        if block is not None:   # the block just translated runs first
            insns[block] = count
            block = None
        pc = int(m.group(1), 16)
        if pc == marker:
            if cur is not None:
                out.append(cur)
            cur = collections.Counter()
        if cur is not None:
            cur[names.name(pc)] += insns.get(pc, 0)
    if cur is not None:
        out.append(cur)
    return out


def report(wins, kinds, out):
    """The @kinds most frequent window totals, each with its breakdown."""
    by_total = collections.defaultdict(list)
    for w in wins:
        by_total[sum(w.values())].append(w)
    if not by_total:
        print("no window: the marker never ran", file=out)
        return 1
    common = sorted(by_total.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    print(f"{len(wins)} windows; the {min(kinds, len(common))} most frequent totals:",
          file=out)
    for total, ws in common[:kinds]:
        print(f"\n### {total} instructions ({len(ws)} windows)\n", file=out)
        print("| instructions | function |", file=out)
        print("|---:|---|", file=out)
        for name, n in ws[0].most_common():
            print(f"| {n} | {name} |", file=out)
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("trace", help="QEMU -d in_asm,exec,nochain log")
    ap.add_argument("--syms", required=True, help="ADDR SIZE NAME lines (hex)")
    ap.add_argument("--marker", required=True, help="address (hex) that opens a window")
    ap.add_argument("--kinds", type=int, default=4, help="window totals to print")
    a = ap.parse_args(argv)
    names = Symbols(load_syms(a.syms))
    with open(a.trace, encoding="utf-8", errors="replace") as f:
        wins = windows(f, int(a.marker, 16), names)
    return report(wins, a.kinds, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
