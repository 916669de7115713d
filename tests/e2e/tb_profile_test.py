#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# tb_profile_test.py - the trace profiler on a synthetic QEMU log.
"""A log in the format of qemu-system-arm -d in_asm,exec,nochain: each
block translated once, then executed; windows open at the marker."""
import io
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tb_profile  # noqa: E402

SYMS = "00001000 00000010 marker_fn\n00002000 00000020 f\n00003000 00000020 g\n"


def block(pc, n):
    lines = ["----------------", "IN: "]
    lines += ["0x%08x:  e1a00000  mov r0, r0" % (pc + 4 * i) for i in range(n)]
    return lines + [""]


def run(pc, translate=None):
    out = [] if translate is None else block(pc, translate)
    return out + ["Trace 0: 0x7f00 [00000400/%016x/00000120/ff022200] " % pc]


def profile(lines, marker="1000", kinds=4):
    with tempfile.TemporaryDirectory() as d:
        trace, syms = os.path.join(d, "t.log"), os.path.join(d, "s")
        with open(trace, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        with open(syms, "w", encoding="utf-8") as f:
            f.write(SYMS)
        old, sys.stdout = sys.stdout, io.StringIO()
        try:
            rc = tb_profile.main([trace, "--syms", syms, "--marker", marker,
                                  "--kinds", str(kinds)])
            return rc, sys.stdout.getvalue()
        finally:
            sys.stdout = old


def main():
    failures = []

    def check(name, cond):
        if not cond:
            failures.append(name)

    # window 1: marker (1) + f (3) + g (2) + f (3) = 9; window 2 the same;
    # window 3: marker + a retranslated f of 5 instructions = 6.
    lines = (run(0x1000, 1) + run(0x2000, 3) + run(0x3000, 2) + run(0x2000) +
             run(0x1000) + run(0x2000) + run(0x3000) + run(0x2000) +
             run(0x1000) + run(0x2000, 5))
    rc, out = profile(lines)
    check("rc 0", rc == 0)
    check("three windows", out.startswith("3 windows"))
    check("kind of 9, twice", "### 9 instructions (2 windows)" in out)
    check("f costs 6 in it", "| 6 | f |" in out)
    check("g costs 2 in it", "| 2 | g |" in out)
    check("retranslation counts its own size", "### 6 instructions (1 windows)" in out)
    check("most frequent kind first",
          "### 9 " in out and "### 6 " in out and out.index("### 9 ") < out.index("### 6 "))
    rc, out = profile(lines, kinds=1)
    check("--kinds 1 prints one kind", "### 6 " not in out and "### 9 " in out)
    # code before the first marker belongs to no window
    rc, out = profile(run(0x2000, 3) + run(0x1000, 1) + run(0x3000, 2))
    check("before the marker: not counted", "### 3 instructions (1 windows)" in out)
    # an address outside every symbol is named, not dropped
    rc, out = profile(run(0x1000, 1) + run(0x9000, 4))
    check("unknown address named", "| 4 | ?9000 |" in out)
    # no marker at all: an error, not an empty success
    rc, out = profile(run(0x2000, 3), marker="1000")
    check("no window fails", rc == 1 and "never ran" in out)
    for f in failures:
        print("FAIL:", f)
    print("tb_profile_test: %d checks failed" % len(failures) if failures
          else "tb_profile_test: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
