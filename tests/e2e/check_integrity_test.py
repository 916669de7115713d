#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# check_integrity_test.py - the integrity judge must pass a good run and fail each kind of bad one.
"""Synthetic console logs of the integrity boot (the line formats of
tests/e2e/guest/integrity.sh and e2e_integrity.c): one good run, which
every section must pass, then one mutation per failure the judge exists
to catch, each of which must fail exactly the section named."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
JUDGE = os.path.join(HERE, "check_integrity.py")
N = 10
KIND = {"textpatch": "1:text+3208", "syscall": "2:syscall_table+256",
        "unlink": "4:ro_after_init+1260"}


def good_log():
    out = ["TZUCON-INIT: up uptime=1.0 kernel=6.1",
           f"E2E-INFO integrity run: trials={N} timeout_ms=5000 cmdline=x",
           "E2E integrity.load ok errno=0 pid=0 rc=0",
           "E2E-BEGIN istatus sealed",
           "@istatus state=1 flags=0xf passes=3 mismatches=0 ticks=9 heartbeat_timeout_ms=3000",
           "E2E-END istatus sealed rc=0",
           "@integrity phase=clean cycles=40 passes=21 mismatches=0 state=1 flags=0xf "
           "loads_ok=40 loads_failed=0",
           "E2E integrity.key_add ok errno=0 pid=5 serial=123",
           "E2E integrity.key.before ok errno=0 pid=6",
           "E2E integrity.hold_exec ok errno=0 pid=7 addr=0xb6f00000",
           "@integrity victim=exec_process pid=7 alive=1"]
    for a in ("textpatch", "syscall", "unlink"):
        for t in range(1, N + 1):
            out.append(f"@integrity attack={a} trial={t} insmod=ok detected=1 "
                       f"latency_ms={100 + t}.5 clean=1 prev={t - 1} dirty={KIND[a]}")
            if a == "textpatch" and t == 1:
                out += ["@integrity revoke=state state=2",
                        "@integrity revoke=module denied=1 err=x",
                        "@integrity revoke=key denied=1 errno=128 after_ms=40",
                        "@integrity revoke=exec_process killed=1 wait_status=137 after_ms=90"]
    out += ["E2E integrity.devmem.open ok errno=0 pid=9",
            "@integrity attack=devmem pa=0x107c60 open=ok:0 read=fail:1 write=fail:1 "
            "mmap=fail:1 outcome=prevented detected=none new_mismatches=0",
            "@integrity attack=hbstop trial=1 insmod=ok detected=1 latency_ms=2500.0 "
            "heartbeat_timeout_ms=3000 state=2 flags=0x2f",
            "E2E integrity.drain.verify ok errno=0 pid=0 rc=0",
            "E2E-BEGIN audit drain"]
    idx = 0
    for a in ("textpatch", "syscall", "unlink"):
        for t in range(N):
            out.append(json.dumps({"index": idx, "hook": 0x10c, "kind": "mismatch",
                                   "detail": {"region_kind": KIND[a].split(":")[1].split("+")[0]}}))
            idx += 1
    out += [json.dumps({"index": idx, "hook": 0x10e, "kind": "heartbeat"}),
            "E2E-END audit drain rc=0",
            f"E2E-INTEGRITY-END trials={N}", "E2E-DONE", "E2E-END nonce=00"]
    return out


def mutate(lines, old, new):
    """Replaces the first line containing `old` by `new` (None: drops it)."""
    for i, l in enumerate(lines):
        if old in l:
            return lines[:i] + ([] if new is None else [l.replace(old, new)]) + lines[i + 1:]
    raise AssertionError(f"no line with '{old}'")


MUTATIONS = [
    ("run", "truncated before the end marker",
     lambda l: [x for x in l if not x.startswith("E2E-INTEGRITY-END")]),
    ("run", "an oops", lambda l: l + ["Internal error: Oops: 5 [#1] SMP ARM"]),
    ("run", "a precondition failed",
     lambda l: l + ["E2E integrity error errno=2 pid=1 what=open session"]),
    ("clean", "a false positive", lambda l: mutate(l, "phase=clean cycles=40 passes=21 mismatches=0",
                                                   "phase=clean cycles=40 passes=21 mismatches=1")),
    ("clean", "too few passes", lambda l: mutate(l, "passes=21", "passes=19")),
    ("clean", "not sealed", lambda l: mutate(l, "flags=0xf passes=3", "flags=0x3 passes=3")),
    ("attacks", "one trial undetected",
     lambda l: mutate(l, "attack=syscall trial=4 insmod=ok detected=1",
                      "attack=syscall trial=4 insmod=ok detected=0")),
    ("attacks", "one trial missing", lambda l: mutate(l, "attack=unlink trial=10 ", None)),
    ("attacks", "the wrong region named",
     lambda l: mutate(l, "dirty=4:ro_after_init+1260", "dirty=1:text+8")),
    ("attacks", "not clean after the undo",
     lambda l: mutate(l, "latency_ms=103.5 clean=1", "latency_ms=103.5 clean=0")),
    ("attacks", "a latency before the write",
     lambda l: mutate(l, "latency_ms=105.5", "latency_ms=-1.0")),
    ("attacks", "heartbeat stop undetected",
     lambda l: mutate(l, "attack=hbstop trial=1 insmod=ok detected=1",
                      "attack=hbstop trial=1 insmod=ok detected=0")),
    ("attacks", "too few trials", lambda l: mutate(l, f"trials={N} timeout", "trials=3 timeout")),
    ("devmem", "written and undetected",
     lambda l: mutate(l, "outcome=prevented detected=none", "outcome=written detected=0")),
    ("devmem", "refused yet a mismatch", lambda l: mutate(l, "new_mismatches=0", "new_mismatches=1")),
    ("devmem", "the open refused", lambda l: mutate(l, "open=ok:0", "open=fail:1")),
    ("revocations", "module still loads", lambda l: mutate(l, "revoke=module denied=1",
                                                          "revoke=module denied=0")),
    ("revocations", "key still usable", lambda l: mutate(l, "revoke=key denied=1",
                                                        "revoke=key denied=0")),
    ("revocations", "process not killed", lambda l: mutate(l, "killed=1 wait_status=137",
                                                          "killed=0 wait_status=none")),
    ("revocations", "process exited by itself", lambda l: mutate(l, "wait_status=137",
                                                                "wait_status=0")),
    ("revocations", "victim dead before the attack", lambda l: mutate(l, "alive=1", "alive=0")),
    ("revocations", "state not violated", lambda l: mutate(l, "revoke=state state=2",
                                                          "revoke=state state=1")),
    ("audit", "the drain does not verify", lambda l: mutate(l, "integrity.drain.verify ok",
                                                           "integrity.drain.verify fail")),
    ("audit", "no mismatch record for a region",
     lambda l: [x for x in l if "ro_after_init" not in x or not x.startswith("{")]),
    ("audit", "no heartbeat record", lambda l: [x for x in l if '"heartbeat"' not in x]),
]


def judge(lines, section, d):
    path = os.path.join(d, "linux.log")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    r = subprocess.run([sys.executable, JUDGE, "--linux-log", path, "--only", section],
                       capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def main():
    bad = 0
    sections = ["run", "clean", "attacks", "devmem", "revocations", "audit"]
    with tempfile.TemporaryDirectory() as d:
        for s in sections:
            rc, out = judge(good_log(), s, d)
            if rc != 0:
                print(f"FAIL: the good run fails section {s}:\n{out}")
                bad += 1
        for s, what, f in MUTATIONS:
            rc, out = judge(f(good_log()), s, d)
            if rc == 0:
                print(f"FAIL: section {s} passes a run with {what}:\n{out}")
                bad += 1
            else:
                print(f"ok: section {s} fails a run with {what}")
    print(f"check_integrity_test: {len(MUTATIONS) + len(sections) - bad} of "
          f"{len(MUTATIONS) + len(sections)} ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
