#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# check_report.py - the e2e run's last signed report, verified off the device.
"""Extracts the guest's final report (the "E2E-BEGIN report final" block, an
od hex dump of GET_REPORT's answer) and the nonce of its "E2E-END nonce="
line from a Linux console log, and verifies it on the host with
`policyctl verify-report` against the device public key the image build
published. Fails if either is missing, if the signature or the nonce does
not verify, or if the report does not show what the run must have left:
--expect-boot, --expect-flag (a TZU_SF_* name as verify-report prints it,
e.g. cmdline_weak), --expect-integrity (unknown, ok, violated or degraded),
and for the integrity runs (report version 2): --expect-mismatches-min N
(integrity_mismatches >= N), --expect-region KIND (the latest detection's
region kind as verify-report prints it: text, syscall_table, rodata,
ro_after_init, ex_table, vectors, stubs, module), --expect-integrity-flag
NAME (a TZU_IS_* name: heartbeat_lost, manifest_bad, ...).

  check_report.py --linux-log LOG --policyctl HOST_POLICYCTL --device-pub PUB
                  [--expect-boot N] [--expect-flag NAME]... [--expect-integrity S]
                  [--expect-mismatches-min N] [--expect-region KIND]
                  [--expect-integrity-flag NAME]...
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile


def integrity_problems(rep, a):
    """The report v2 integrity checks asked for; a v1 report has no such
    fields, so any of them asked of it fails rather than passes silently."""
    problems = []
    if a.expect_mismatches_min is not None:
        got = rep.get("integrity_mismatches")
        if not isinstance(got, int) or got < a.expect_mismatches_min:
            problems.append(f"integrity_mismatches {got} < {a.expect_mismatches_min}")
    if a.expect_region is not None and rep.get("last_region_kind") != a.expect_region:
        problems.append(f"last_region_kind '{rep.get('last_region_kind')}' != "
                        f"'{a.expect_region}'")
    for flag in a.expect_integrity_flag:
        if flag not in rep.get("integrity_flags", []):
            problems.append(f"integrity_flags {rep.get('integrity_flags')} lack '{flag}'")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--linux-log", required=True)
    ap.add_argument("--policyctl", required=True)
    ap.add_argument("--device-pub", required=True)
    ap.add_argument("--expect-boot", type=int)
    ap.add_argument("--expect-flag", action="append", default=[])
    ap.add_argument("--expect-integrity",
                    choices=["unknown", "ok", "violated", "degraded"])
    ap.add_argument("--expect-mismatches-min", type=int)
    ap.add_argument("--expect-region", metavar="KIND")
    ap.add_argument("--expect-integrity-flag", action="append", default=[])
    a = ap.parse_args()
    text = open(a.linux_log, errors="replace").read().replace("\r", "")
    text = re.sub(r"^\[linux\]  ", "", text, flags=re.M)  # scripts/demo's prefix
    m = re.search(r"E2E-BEGIN report final\n(.*?)E2E-END report final rc=(\d+)", text, re.S)
    n = re.findall(r"^E2E-END nonce=([0-9a-f]+)$", text, re.M)
    if not m or not n:
        print("check_report: FAIL: no final report block or no E2E-END nonce line")
        return 1
    # Only od's hex lines: a kernel message may land between them.
    hexlines = [l for l in m.group(1).splitlines() if re.fullmatch(r"[0-9a-f ]+", l.strip())]
    data = bytes.fromhex("".join("".join(hexlines).split()))
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "report.bin")
        with open(path, "wb") as f:
            f.write(data)
        r = subprocess.run([a.policyctl, "verify-report", path, "--device-pub",
                            a.device_pub, "--nonce", n[-1], "--json"],
                           capture_output=True, text=True)
    print(r.stdout + r.stderr, end="")
    if r.returncode != 0:
        print(f"check_report: FAIL: verify-report exit {r.returncode}")
        return 1
    rep = json.loads(r.stdout)
    problems = []
    if a.expect_boot is not None and rep.get("boot_counter") != a.expect_boot:
        problems.append(f"boot_counter {rep.get('boot_counter')} != {a.expect_boot}")
    for flag in a.expect_flag:
        if flag not in rep.get("flags", []):
            problems.append(f"flags {rep.get('flags')} lack '{flag}'")
    if a.expect_integrity and rep.get("integrity") != a.expect_integrity:
        problems.append(f"integrity '{rep.get('integrity')}' != '{a.expect_integrity}'")
    problems += integrity_problems(rep, a)
    for p in problems:
        print(f"check_report: FAIL: {p}")
    if not problems:
        print(f"check_report: ok: {len(data)}-byte report, nonce {n[-1]}, "
              f"signature verified with {a.device_pub}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
