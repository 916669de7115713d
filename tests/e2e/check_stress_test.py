#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# check_stress_test.py - the stress judge must pass a good run and fail each kind of bad one.
"""Synthetic consoles of the stress boot (the line formats of
tests/e2e/guest/stress.sh and e2e_stress.c): one good two-CPU run, which
every section must pass, then one mutation per failure the judge exists to
catch, each of which must fail the section named."""
import contextlib
import io
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_stress  # noqa: E402  (the judge, run in this process: 55 runs)
NONCE = "ab" * 32
HOOKS = ["mmap_file", "file_mprotect", "kernel_read_file", "kernel_load_data",
         "module_request", "bpf_prog_load", "devmem_open", "ptrace_access", "key_alloc",
         "key_permission", "alg_socket", "alg_bind", "task_fix_setuid", "usage_end",
         "task_exit", "key_free"]
# per hook: events the kernel sent (= the secure world's per_hook)
SENT = {"mmap_file": 700, "file_mprotect": 24000, "kernel_read_file": 650,
        "key_alloc": 3, "key_permission": 20000, "task_exit": 40, "usage_end": 2}
DENIED = 1250


def worker(w, pid):
    return (f"@stress worker={w} cpu={w} pid={pid} iters=10000 wrong_cpu=0 flip_ok=10000 "
            f"flip_fail=0 key_ok=10000 key_denied=0 key_err=0 xmap_ok=300 xmap_denied=0 "
            f"xmap_err=0 mod_denied=300 mod_ok=0 mod_err=0 key=12{w} ms=30000")


def wx(w, pid):
    return (f"@stress wx={w} cpu={w} pid={pid} attempts=1250 wrong_cpu=0 wx_ok=600 "
            f"wx_denied=650 wx_err=0 ms=30000")


def istatus(label, passes):
    return (f"@istatus label={label} state=1 flags=0xf passes={passes} mismatches=0 "
            f"heartbeats=600 kernel_decisions=45395 secure_decisions=45395 now_us=1")


def good_log():
    total = sum(SENT.values())
    out = ["TZUCON-INIT: up uptime=1.0 kernel=6.1",
           "E2E-INFO stress run: cpus=2 seconds=30 cmdline=x",
           "@stress cpus expected=2 online=0-1 possible=0-1 nproc=2",
           "E2E stress.load ok errno=0 pid=0 rc=0",
           "E2E stress.quota ok errno=0 pid=0 rc=0",
           istatus("before", 3),
           wx(0, 201), worker(0, 101), wx(1, 202), worker(1, 102),
           "@stress cpustat cpu=0 busy=2950 total=3000",
           "@stress cpustat cpu=1 busy=2990 total=3000",
           "@stress done workers=2 seconds=30 failed=0",
           "E2E stress.run ok errno=0 pid=100 rc=0",
           "@stress attr writes_ok=30 writes_fail=0 jit_on=8 jit_off=7",
           istatus("after", 90),
           "@stress follow alive=1",
           "@snap quiet=1 tries=1",
           f"@snap kernel decisions={total} allowed={total - DENIED} denied={DENIED} "
           f"would_deny=0 filtered=10 errors=0 unreachable=0 early_allowed=3 "
           f"early_denied=0 local_denials=0 revocations=0 audit=60 audit_dropped=900 "
           f"kills=0 remeasure=0 hook_events={total + 13}"]
    out += [f"@snap khook name={h} counts={SENT.get(h, 0)} {10 if h == 'key_free' else 0}"
            for h in HOOKS]
    out.append(f"@snap secure decisions={total} allowed={total - DENIED} denied={DENIED} "
               "permissive_denials=0 filtered=0 errors=0 revocations=0 audit_records=2600 "
               "audit_dropped=0 audit_full_denials=0 auth_failures=0 epoch=40 "
               "live_sessions=4 integrity_state=1 client_sessions=1")
    out += [f"@snap shook name={h} decisions={SENT.get(h, 0)}" for h in HOOKS]
    out.append(istatus("snapshot", 92).replace("45395", str(total)))
    out.append(f"@snap report decisions={total} denied={DENIED} errors=0 "
               "audit_next_index=2600 audit_dropped=0 audit_unrecorded=0 "
               "integrity_state=1 integrity_passes=92 integrity_mismatches=0")
    out += ["@snap after_report same=1",
            "E2E stress.audit.verify ok errno=0 pid=0 rc=0"]
    for pid in (101, 102):
        out += [f"@saudit tgid={pid + 100} hook=file_mprotect allow=600 deny=650 nonmono=0 "
                "first_seq=10 last_seq=40000",
                f"@saudit tgid={pid} hook=kernel_read_file allow=0 deny=300 nonmono=0 "
                "first_seq=11 last_seq=40001"]
    out += ["@saudit total records=2600 decisions=2500 secure=100 first=0 last=2599 "
            "gaps=0 anchors=0 dup_seq=0 overflow=0",
            "E2E-BEGIN dmesg warnings",
            "<4>[    0.000000] tz_hooks: a harmless boot warning-level line",
            "E2E-END dmesg warnings rc=0",
            "E2E-STRESS-END cpus=2 seconds=30",
            "E2E-BEGIN report final", "00 11", "E2E-END report final rc=0",
            "E2E-DONE", f"E2E-END nonce={NONCE}"]
    return out


def secure_log():
    return ["[tzucon] up", f"[tzucon] report nonce={NONCE}"]


def mutate(lines, old, new):
    """Replaces `old` in the first line containing it by `new` (None: drops the line)."""
    for i, l in enumerate(lines):
        if old in l:
            return lines[:i] + ([] if new is None else [l.replace(old, new, 1)]) + lines[i + 1:]
    raise AssertionError(f"no line with '{old}'")


def shook(h, d):
    return lambda l: mutate(l, f"shook name={h} decisions=", f"shook name={h} decisions={d}")


MUTATIONS = [
    ("run", "truncated before the end marker",
     lambda l: [x for x in l if not x.startswith("E2E-STRESS-END")]),
    ("run", "no final report", lambda l: [x for x in l if x != "E2E-DONE"]),
    ("run", "a precondition failed",
     lambda l: l + ["E2E stress error errno=22 pid=1 what=sched_setaffinity"]),
    ("cpus", "one CPU online while the boot has two", lambda l: mutate(l, "online=0-1", "online=0")),
    ("cpus", "a worker missing", lambda l: mutate(l, "@stress worker=1 ", None)),
    ("cpus", "a worker off its CPU", lambda l: mutate(l, "iters=10000 wrong_cpu=0",
                                                      "iters=10000 wrong_cpu=7")),
    ("cpus", "a W->X child off its CPU", lambda l: mutate(l, "@stress wx=1 cpu=1", "@stress wx=1 cpu=0")),
    ("cpus", "a W->X child missing", lambda l: mutate(l, "@stress wx=0 ", None)),
    ("cpus", "a CPU idle during the run", lambda l: mutate(l, "busy=2990", "busy=200")),
    ("cpus", "made no iteration", lambda l: mutate(l, "iters=10000", "iters=0")),
    ("workers", "a flip denied", lambda l: mutate(l, "flip_fail=0", "flip_fail=1")),
    ("workers", "a module loaded", lambda l: mutate(l, "mod_ok=0", "mod_ok=1")),
    ("workers", "a key read denied", lambda l: mutate(l, "key_denied=0", "key_denied=3")),
    ("workers", "an odd errno", lambda l: mutate(l, "wx_err=0", "wx_err=2")),
    ("workers", "attribute writes failed", lambda l: mutate(l, "writes_fail=0", "writes_fail=2")),
    ("workers", "the attribute never flipped a decision",
     lambda l: [x.replace("wx_ok=600", "wx_ok=0") for x in l]),
    ("workers", "the run failed", lambda l: mutate(l, "stress.run ok", "stress.run fail")),
    ("counters", "a decision lost on one hook", shook("key_permission", 19999)),
    ("counters", "a decision counted twice", shook("file_mprotect", 24001)),
    ("counters", "kernel decisions differ",
     lambda l: mutate(l, "@snap kernel decisions=", "@snap kernel decisions=1")),
    ("counters", "heartbeat pair differs",
     lambda l: mutate(l, "label=snapshot state=1 flags=0xf passes=92 mismatches=0 "
                      "heartbeats=600 kernel_decisions=", "label=snapshot state=1 flags=0xf "
                      "passes=92 mismatches=0 heartbeats=600 kernel_decisions=9")),
    ("counters", "report decisions differ",
     lambda l: mutate(l, "@snap report decisions=", "@snap report decisions=7")),
    ("counters", "denied differ", lambda l: mutate(l, "denied=1250 permissive", "denied=1249 permissive")),
    ("counters", "kernel errors", lambda l: mutate(l, "filtered=10 errors=0", "filtered=10 errors=2")),
    ("counters", "not quiet", lambda l: mutate(l, "quiet=1", "quiet=0")),
    ("counters", "kernel saw fewer calls than made",
     lambda l: mutate(l, "khook name=kernel_read_file counts=650", "khook name=kernel_read_file counts=5")),
    ("audit", "the drain does not verify",
     lambda l: mutate(l, "stress.audit.verify ok", "stress.audit.verify fail")),
    ("audit", "an audited W->X decision lost",
     lambda l: mutate(l, "hook=file_mprotect allow=600 deny=650", "hook=file_mprotect allow=600 deny=649")),
    ("audit", "a module denial audited twice",
     lambda l: mutate(l, "hook=kernel_read_file allow=0 deny=300", "hook=kernel_read_file allow=0 deny=301")),
    ("audit", "the drain died", lambda l: mutate(l, "follow alive=1", "follow alive=0")),
    ("audit", "seqs out of order", lambda l: mutate(l, "nonmono=0", "nonmono=1")),
    ("audit", "a worker's flips audited",
     lambda l: l + ["@saudit tgid=101 hook=file_mprotect allow=5 deny=0 nonmono=0 "
                    "first_seq=1 last_seq=9"]),
    ("audit", "a duplicated seq", lambda l: mutate(l, "dup_seq=0", "dup_seq=1")),
    ("audit", "records fell off the ring", lambda l: mutate(l, "anchors=0", "anchors=1")),
    ("audit", "drain short of the report", lambda l: mutate(l, "last=2599", "last=2590")),
    ("audit", "ring full denials", lambda l: mutate(l, "audit_full_denials=0", "audit_full_denials=4")),
    ("integrity", "measurement stalled", lambda l: mutate(l, "label=after state=1 flags=0xf passes=90",
                                                          "label=after state=1 flags=0xf passes=4")),
    ("integrity", "degraded (counters disagree)",
     lambda l: mutate(l, "label=after state=1 flags=0xf", "label=after state=3 flags=0x4f")),
    ("integrity", "a false mismatch", lambda l: mutate(l, "integrity_mismatches=0", "integrity_mismatches=1")),
    ("kernel", "a WARNING on the console",
     lambda l: mutate(l, "@stress done", "WARNING: CPU: 1 PID: 55 at kernel/tz_hooks/x.c:1\n@stress done")),
    ("kernel", "a lockdep splat", lambda l: mutate(l, "@stress done",
                                                   "WARNING: possible circular locking dependency detected\n@stress done")),
    ("kernel", "an RCU stall", lambda l: mutate(l, "@stress done", "rcu: INFO: rcu_sched self-detected stall on CPU\n@stress done")),
    ("kernel", "no end marker", lambda l: [x for x in l if not x.startswith("E2E-STRESS-END")]),
]
SECURE_MUTATIONS = [
    ("secure", "a secure fault", lambda s: s + ["[tzucon] FAULT: data abort on CPU1"]),
    ("secure", "the secure world stopped before the end", lambda s: s[:1]),
]


def judge(lines, sec, section, d):
    path, spath = os.path.join(d, "linux.log"), os.path.join(d, "secure.log")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(spath, "w") as f:
        f.write("\n".join(sec) + "\n")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = check_stress.main(["--linux-log", path, "--secure-log", spath,
                                "--min-cpus", "2", "--only", section])
    return rc, out.getvalue()


def main():
    bad, n = 0, 0
    sections = ["run", "cpus", "workers", "counters", "audit", "integrity", "kernel", "secure"]
    with tempfile.TemporaryDirectory() as d:
        for s in sections:
            n += 1
            rc, out = judge(good_log(), secure_log(), s, d)
            if rc != 0:
                print(f"FAIL: the good run fails section {s}:\n{out}")
                bad += 1
        cases = [(s, w, f, lambda x: x) for s, w, f in MUTATIONS] + \
                [(s, w, lambda x: x, f) for s, w, f in SECURE_MUTATIONS]
        for s, what, f, g in cases:
            n += 1
            rc, out = judge(f(good_log()), g(secure_log()), s, d)
            if rc == 0:
                print(f"FAIL: section {s} passes a run with {what}:\n{out}")
                bad += 1
            else:
                print(f"ok: section {s} fails a run with {what}")
        # one CPU expected and online passes cpus only without --min-cpus 2
        one = [x.replace("expected=2 online=0-1", "expected=1 online=0") for x in good_log()]
        rc, out = judge(one, secure_log(), "cpus", d)
        n += 1
        if rc == 0:
            print(f"FAIL: --min-cpus 2 passes a one-CPU boot:\n{out}")
            bad += 1
    print(f"check_stress_test: {n - bad} of {n} ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
