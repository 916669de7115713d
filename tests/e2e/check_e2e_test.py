#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# check_e2e_test.py - the e2e judge must fail on every kind of bad run (synthetic logs).
import hashlib
import importlib.util
import io
import json
import os
import struct
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("check_e2e", os.path.join(HERE, "check_e2e.py"))
ce = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ce)

EXPECT = """\
load.e2e ok 0 rc=0
jit.unlisted fail EACCES hook=file_mprotect audit=deny
jit.listed ok 0 ret=42
"""


def audit_lines(records):
    """JSON lines as `policyctl audit` prints them, with a valid chain."""
    prev = b"\0" * 32
    out = [json.dumps({"anchor": prev.hex(), "first_index": 0, "next_index": len(records)})]
    for i, (tgid, hook, verdict) in enumerate(records):
        r = {"index": i, "event_seq": 100 + i, "event_digest": "ab" * 32, "rule_id": 120,
             "verdict": 1 if verdict == "deny" else 0, "flags": 0, "epoch": 1,
             "hook": 2, "tgid": tgid, "obligations": 1, "session_id": 0}
        body = struct.pack("<QQ32s8I", r["index"], r["event_seq"], bytes.fromhex(r["event_digest"]),
                           r["rule_id"], r["verdict"], r["flags"], r["epoch"], r["hook"],
                           r["tgid"], r["obligations"], r["session_id"])
        prev = hashlib.sha256(prev + body).digest()
        r.update(hash=prev.hex(), hook_name=hook, verdict_name=verdict, flags_text=[])
        out.append(json.dumps(r))
    return out


def good_log():
    lines = ["[    1.0] booting", "E2E load.e2e ok errno=0 pid=0 rc=0",
             "E2E jit.unlisted fail errno=13 pid=77", "E2E jit.listed ok errno=0 pid=78 ret=42"]
    lines += ["E2E-BEGIN stats final.s1",
              json.dumps({"decisions": 5, "allowed": 3, "per_hook": {"file_mprotect": 3, "task_exit": 2}}),
              "E2E-END stats final.s1 rc=0"]
    lines += ["E2E-BEGIN lsm final", "/sys/kernel/security/tz_hooks/decisions:5",
              "/sys/kernel/security/tz_hooks/allowed:3",
              "/sys/kernel/security/tz_hooks/hooks:file_mprotect 3 2",
              "/sys/kernel/security/tz_hooks/hooks:task_exit 2 0",
              "E2E-END lsm final rc=0"]
    lines += ["E2E-BEGIN stats final.s2",
              json.dumps({"decisions": 5, "allowed": 3, "per_hook": {"file_mprotect": 3, "task_exit": 2}}),
              "E2E-END stats final.s2 rc=0"]
    lines += ["E2E-BEGIN audit final"] + audit_lines([(77, "file_mprotect", "deny")])
    lines += ["E2E-END audit final rc=0", "E2E-BEGIN dmesg final", "[ 1.1] tz_hooks: ready",
              "[ 1.2] tz_hooks: audit hook=file_mprotect verdict=deny rule=120 epoch=1 flags=0x0 "
              "obl=0x1 seq=100 pid=77 tgid=77 uid=0 euid=0 exe=2:16 comm=\"jit\" name=\"\"",
              "E2E-END dmesg final rc=0", "E2E-DONE", "E2E-END nonce=" + NONCE]
    return "\n".join(lines) + "\n"


NONCE = "5e" * 32


def secure_log(nonce=NONCE):
    """The secure console as run-zc702 saves it: CRLF, boot lines, and the
    answer to the guest's final report request (None: the log stops early)."""
    lines = ["[tzucon] secure monitor (ABI 2, SMCCC rev 1.0) on ZC702, CPU0",
             "[tzucon] normal world: entry 01000000 dtb 08000000, NS SVC"]
    if nonce is not None:
        lines.append("[tzucon] report nonce=" + nonce)
    return "\r\n".join(lines) + "\r\n"


class CheckE2eTest(unittest.TestCase):
    def run_check(self, log, only=None, pairs=None, secure=None, expect=EXPECT):
        with tempfile.TemporaryDirectory() as d:
            lp, ep = os.path.join(d, "linux.log"), os.path.join(d, "exp.txt")
            with open(lp, "w") as f:
                f.write(log)
            with open(ep, "w") as f:
                f.write(expect)
            argv = ["check_e2e.py", "--linux-log", lp, "--expect", ep]
            if secure is not None:
                sp = os.path.join(d, "secure.log")
                with open(sp, "w", newline="") as f:
                    f.write(secure)
                argv += ["--secure-log", sp]
            for o in only or []:
                argv += ["--only", o]
            old, ce.COUNTER_PAIRS = ce.COUNTER_PAIRS, pairs or {
                "decisions": ce._single("decisions"), "allowed": ce._single("allowed"),
                "per_hook.file_mprotect": ce._hook_events("file_mprotect"),
                "per_hook.task_exit": ce._hook_events("task_exit")}
            sys.argv = argv
            out = io.StringIO()
            try:
                with redirect_stdout(out):
                    rc = ce.main()
            finally:
                ce.COUNTER_PAIRS = old
            return rc, out.getvalue()

    def test_good_run_passes(self):
        rc, out = self.run_check(good_log())
        self.assertEqual(rc, 0, out)

    def test_wrong_errno_fails(self):
        rc, out = self.run_check(good_log().replace("fail errno=13 pid=77", "fail errno=1 pid=77"))
        self.assertEqual(rc, 1)
        self.assertIn("expected fail errno=13, got fail errno=1", out)

    def test_allowed_instead_of_denied_fails(self):
        rc, out = self.run_check(good_log().replace("jit.unlisted fail errno=13", "jit.unlisted ok errno=0"),
                                 only=["cases"])
        self.assertEqual(rc, 1, out)

    def test_missing_and_unexpected_cases_fail(self):
        log = good_log().replace("E2E jit.listed ok errno=0 pid=78 ret=42", "E2E surprise ok errno=0 pid=9")
        rc, out = self.run_check(log, only=["cases"])
        self.assertEqual(rc, 1)
        self.assertIn("case 'jit.listed' missing", out)
        self.assertIn("unexpected case 'surprise'", out)

    def test_extra_field_mismatch_fails(self):
        rc, out = self.run_check(good_log().replace("ret=42", "ret=41"), only=["cases"])
        self.assertEqual(rc, 1)
        self.assertIn("expected ret=42", out)

    def test_no_done_fails(self):
        rc, out = self.run_check(good_log().replace("E2E-DONE", ""), only=["run"])
        self.assertEqual(rc, 1)

    def test_setup_error_fails(self):
        rc, out = self.run_check(good_log() + "E2E x error errno=2 pid=5 what=open\n", only=["run"])
        self.assertEqual(rc, 1)

    def test_broken_chain_fails(self):
        log = good_log()
        rec = next(l for l in log.splitlines() if '"index": 0' in l)
        bad = json.loads(rec)
        bad["rule_id"] = 999
        rc, out = self.run_check(log.replace(rec, json.dumps(bad)), only=["audit"])
        self.assertEqual(rc, 1)
        self.assertIn("hash does not chain", out)

    def test_kernel_audit_line_missing_needs_a_drop(self):
        log = good_log()
        kline = next(l for l in log.splitlines() if "tz_hooks: audit hook=" in l)
        no_line = log.replace(kline + "\n", "")
        rc, out = self.run_check(no_line, only=["audit"])
        self.assertEqual(rc, 1)
        self.assertIn("beyond the 0 lines the kernel dropped", out)
        # The kernel counted one line its rate limit dropped: one record may
        # lack its line ...
        dropped = no_line.replace("E2E-END lsm final",
                                  "/sys/kernel/security/tz_hooks/audit_dropped:1\n"
                                  "E2E-END lsm final")
        rc, out = self.run_check(dropped, only=["audit"])
        self.assertEqual(rc, 0, out)
        self.assertIn("(1 dropped by the rate limit)", out)
        # ... but a line with no record still fails, drop or not.
        extra = log.replace(kline, kline + "\n" + kline.replace("seq=100", "seq=101")).replace(
            "E2E-END lsm final", "/sys/kernel/security/tz_hooks/audit_dropped:1\nE2E-END lsm final")
        rc, out = self.run_check(extra, only=["audit"])
        self.assertEqual(rc, 1)
        self.assertIn("kernel only [(101,", out)

    def test_missing_audit_record_fails(self):
        log = good_log().replace('"tgid": 77', '"tgid": 70')
        rc, out = self.run_check(log, only=["audit"])
        self.assertEqual(rc, 1)
        self.assertIn("no audit record with tgid=77", out)

    def test_audit_rule_is_checked(self):
        # The record's rule_id is 120 (audit_lines).
        deny = "hook=file_mprotect audit=deny"
        rc, out = self.run_check(good_log(), only=["audit"],
                                 expect=EXPECT.replace(deny, deny + " rule=120"))
        self.assertEqual(rc, 0, out)
        rc, out = self.run_check(good_log(), only=["audit"],
                                 expect=EXPECT.replace(deny, deny + " rule=125"))
        self.assertEqual(rc, 1)
        self.assertIn("verdict=deny rule=125", out)

    def test_unexplained_audit_record_fails(self):
        extra = audit_lines([(77, "file_mprotect", "deny"), (90, "devmem_open", "deny")])
        log = good_log()
        old = "\n".join(audit_lines([(77, "file_mprotect", "deny")]))
        rc, out = self.run_check(log.replace(old, "\n".join(extra)), only=["audit"])
        self.assertEqual(rc, 1)
        self.assertIn("tgid=90 hook=devmem_open verdict=deny", out)

    def test_kernel_and_secure_audit_disagree_fails(self):
        rc, out = self.run_check(good_log().replace("rule=120 epoch=1", "rule=121 epoch=1"),
                                 only=["audit"])
        self.assertEqual(rc, 1)
        self.assertIn("kernel audit lines (1) and secure records (1) differ", out)

    def test_counter_disagreement_fails(self):
        log = good_log().replace('{"decisions": 5, "allowed": 3', '{"decisions": 6, "allowed": 3')
        rc, out = self.run_check(log, only=["counters"])
        self.assertEqual(rc, 1)
        self.assertIn("final.s2: secure decisions=6 but kernel decisions=5", out)

    def test_per_hook_disagreement_fails(self):
        log = good_log().replace('"per_hook": {"file_mprotect": 3, "task_exit": 2}',
                                 '"per_hook": {"file_mprotect": 4, "task_exit": 2}')
        rc, out = self.run_check(log, only=["counters"])
        self.assertEqual(rc, 1)
        self.assertIn("secure per_hook.file_mprotect=4 but kernel hooks=3", out)

    def test_unexplained_difference_to_first_snapshot_fails(self):
        # the first occurrence is the first snapshot's (final.s1)
        log = good_log().replace('"file_mprotect": 3', '"file_mprotect": 2', 1)
        rc, out = self.run_check(log, only=["counters"])
        self.assertEqual(rc, 1)
        self.assertIn("final.s1: secure per_hook.file_mprotect=2 but kernel hooks=3", out)

    def test_kernel_warning_fails(self):
        log = good_log().replace("tz_hooks: ready", "WARNING: CPU: 0 PID: 1 at security/x.c:1")
        rc, out = self.run_check(log, only=["kernel"])
        self.assertEqual(rc, 1)
        log = good_log().replace("[    1.0] booting", "Internal error: Oops: 17 [#1] ARM")
        rc, out = self.run_check(log, only=["kernel"])
        self.assertEqual(rc, 1)

    def test_good_run_with_secure_log_passes(self):
        rc, out = self.run_check(good_log(), secure=secure_log())
        self.assertEqual(rc, 0, out)
        self.assertIn("PASS secure", out)

    def test_secure_report_line_matches_case_insensitively(self):
        rc, out = self.run_check(good_log(), only=["secure"],
                                 secure=secure_log(NONCE.upper()))
        self.assertEqual(rc, 0, out)

    def test_empty_secure_log_fails(self):
        rc, out = self.run_check(good_log(), only=["secure"], secure="")
        self.assertEqual(rc, 1, out)
        self.assertIn("secure console is empty", out)

    def test_secure_log_ending_before_the_guest_fails(self):
        # Regression (issue 7): UART0's clock gated by Linux, the secure log
        # stops after boot and "no fault" was judged on a silent console.
        rc, out = self.run_check(good_log(), only=["secure"], secure=secure_log(None))
        self.assertEqual(rc, 1, out)
        self.assertIn("secure log ends before the normal world does", out)

    def test_secure_report_for_another_nonce_fails(self):
        rc, out = self.run_check(good_log(), only=["secure"],
                                 secure=secure_log("77" * 32))
        self.assertEqual(rc, 1, out)
        self.assertIn(f"no '[tzucon] report nonce={NONCE}'", out)

    def test_guest_without_final_nonce_fails(self):
        log = good_log().replace("E2E-END nonce=" + NONCE, "")
        rc, out = self.run_check(log, only=["secure"], secure=secure_log())
        self.assertEqual(rc, 1, out)
        self.assertIn("no final 'E2E-END nonce=HEX' line", out)

    def test_last_nonce_counts(self):
        log = good_log().replace("E2E-END nonce=" + NONCE,
                                 "E2E-END nonce=" + NONCE + "\nE2E-END nonce=" + "11" * 32)
        rc, out = self.run_check(log, only=["secure"], secure=secure_log())
        self.assertEqual(rc, 1, out)

    def test_secure_fault_fails(self):
        sec = secure_log() + "[tzucon] SECURE FAULT on CPU0: undefined instruction\r\n"
        rc, out = self.run_check(good_log(), only=["secure"], secure=sec)
        self.assertEqual(rc, 1, out)
        self.assertIn("SECURE FAULT", out)


if __name__ == "__main__":
    unittest.main()
