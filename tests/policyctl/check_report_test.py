#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# check_report_test.py - tests/e2e/check_report.py's integrity checks on a
# report v2 made and signed here (python3-cryptography), verified by the
# built policyctl exactly as the e2e run does.
"""check_report_test.py CHECK_REPORT POLICYCTL"""
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

TZU_MAGIC_REPORT = 0x50525A54
IREG_SYSCALL_TABLE = 2
INTEGRITY_VIOLATED = 2
IS_REGISTERED, IS_HEARTBEAT_LOST = 0x02, 0x20


def report(key, nonce):
    pub = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    device_id = hashlib.sha256(pub).digest()[:16]
    body = struct.pack("<IHH16s32sQ32s8I32sQ32sQQ5Q", TZU_MAGIC_REPORT, 2, 0, device_id,
                       nonce, 3, b"\x11" * 32, 4, 1, 0, INTEGRITY_VIOLATED, 0, 0, 0, 0,
                       b"\x22" * 32, 10, b"\x33" * 32, 0, 0, 100, 5, 0, 0, 0)
    body += struct.pack("<QQIIII32s32s32s", 40, 2, IS_REGISTERED | IS_HEARTBEAT_LOST,
                        IREG_SYSCALL_TABLE, 0xC0009000, 0x1C, b"\xee" * 32, b"\x0b" * 32,
                        b"\x44" * 32)
    hdr = struct.pack("<IHHII", 0x555A5455, 0, 12, 464, 0)  # not signed
    sig = key.sign(body)
    data = hdr + body + sig
    assert len(data) == 464, len(data)
    return data, pub


def linux_log(data, nonce):
    lines = [" " + " ".join(f"{b:02x}" for b in data[i:i + 16]) for i in range(0, len(data), 16)]
    return ("E2E-BEGIN report final\n" + "\n".join(lines) + "\nE2E-END report final rc=0\n"
            f"E2E-END nonce={nonce.hex()}\n")


def main():
    check, policyctl = sys.argv[1], sys.argv[2]
    key = Ed25519PrivateKey.from_private_bytes(b"\x55" * 32)
    nonce = bytes(range(32))
    data, pub = report(key, nonce)
    failures = 0
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "linux.log")
        with open(log, "w") as f:
            f.write(linux_log(data, nonce))
        pub_path = os.path.join(d, "device.pub")
        with open(pub_path, "w") as f:
            f.write("ed25519-public:" + pub.hex() + "\n")
        base = [sys.executable, check, "--linux-log", log, "--policyctl", policyctl,
                "--device-pub", pub_path]
        cases = [
            ([], 0, "check_report: ok: 464-byte report"),
            (["--expect-integrity", "violated", "--expect-mismatches-min", "2",
              "--expect-region", "syscall_table", "--expect-integrity-flag", "heartbeat_lost"],
             0, "check_report: ok"),
            (["--expect-integrity", "degraded"], 1, "integrity 'violated' != 'degraded'"),
            (["--expect-mismatches-min", "3"], 1, "integrity_mismatches 2 < 3"),
            (["--expect-region", "text"], 1, "last_region_kind 'syscall_table' != 'text'"),
            (["--expect-integrity-flag", "sealed"], 1, "lack 'sealed'"),
            (["--expect-integrity", "fine"], 2, "invalid choice: 'fine'"),
        ]
        for extra, rc, want in cases:
            r = subprocess.run(base + extra, capture_output=True, text=True)
            out = r.stdout + r.stderr
            if r.returncode != rc or want not in out:
                failures += 1
                print(f"FAIL {extra}: rc {r.returncode} (want {rc}), want '{want}' in:\n{out}")
            else:
                print(f"ok   {extra}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
