#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# check_stress.py - judges the SMP stress e2e boot (tests/e2e/guest/stress.sh).
"""Reads the consoles of the stress boot and checks, each as a named
section (--only SECTION, repeatable; default all):

  run        the script ran to its end (E2E-STRESS-END, E2E-DONE), the
             launcher exited 0, no test precondition failed
  cpus       the CPUs the boot was given (tzucon.stress_cpus=N, from
             run-zc702's -smp) are all online (/sys/devices/system/cpu/
             online is "0-(N-1)"), N >= --min-cpus; one worker per CPU,
             pinned, with its W->X child: both ran (iters, attempts > 0) on
             that CPU only (wrong_cpu 0), and /proc/stat shows each CPU busy
             >= 50% of the run
  workers    every decided call had the outcome the policy gives it: R->RX
             flips, key reads and R+X anonymous maps permitted, module loads
             denied (EPERM), W->X mprotects permitted or denied (EACCES) and
             nothing else; both outcomes of W->X seen (the admin's jit_allowed
             writes changed decisions mid-run); every attribute write ok
  counters   the quiet snapshot (kernel counters read twice around the secure
             world's, unchanged: nothing decided in between), EXACTLY:
               for every hook h: kernel events[h] (sent to the secure world,
                 tz_hooks/hooks column 1) == secure per_hook[h]
               sum_h events[h] == kernel decisions == secure decisions
               kernel allowed == secure allowed, kernel denied == secure denied
               kernel errors == 0 == secure errors
               heartbeat: kernel_decisions (the driver's DECIDE calls) ==
                 secure_decisions (the dispatcher's served) == secure decisions
               report decisions/denied == secure decisions/denied
             and the kernel saw at least every call the workers made (per hook:
             events + filtered + any further column, + local_denials >= the
             workers' calls)
  audit      the drained audit log verified against the snapshot's signed
             report and holds every record it covers (last index + 1 ==
             audit_next_index, no index gap, nothing fell off the ring, no
             record dropped or unrecorded); no event seq twice; per worker,
             seqs strictly increasing and EXACTLY one record per audited call
             with the verdict the process saw (W->X child: allowed == wx_ok,
             denied == wx_denied; worker: module loads denied == mod_denied,
             no mprotect record: its jit_allowed stays 0)
  integrity  the measurement ran through the stress (>= 2 full passes between
             before and after), state ok, no mismatch, no degradation flag
             (heartbeat lost, counters disagree, ...), before, after, at the
             snapshot and in the report
  kernel     no WARNING/BUG/Oops/lockdep/RCU-stall line in the Linux console
             up to E2E-STRESS-END nor in the guest's warning-level dmesg block
             (printed just before it; the marker proves the log is alive past
             the checks)
  secure     no fault/abort/panic line in the secure console, which answered
             the guest's final report (its nonce), so it ran to the end
  report     the final signed report (the snapshot's) verifies off the device
             (tests/e2e/check_report.py), integrity ok, and its signed
             decisions equal the kernel's sent events (needs --policyctl and
             --device-pub)

--json writes the figures (per worker calls and duration, counters).

  check_stress.py --linux-log LOG [--secure-log LOG] [--qemu-rc-file F]
                  [--json OUT] [--min-cpus N] [--only S]...
                  [--policyctl P --device-pub D]
Exit: 0 every selected section passed, 1 otherwise.
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_e2e  # noqa: E402  (its console regexes and the secure-alive test)

SECTIONS = ["run", "cpus", "workers", "counters", "audit", "integrity", "kernel",
            "secure", "report"]
KERNEL_BAD = re.compile(check_e2e.KERNEL_BAD.pattern + r"|possible circular locking|"
                        r"inconsistent lock state|possible recursive locking|"
                        r"suspicious RCU usage|rcu: INFO|soft lockup|hard LOCKUP|"
                        r"Backtrace:|scheduling while atomic")
# TZU_IS_* bits that only inform; any other is a degradation
IS_FINE = 0x01 | 0x02 | 0x04 | 0x08 | 0x10
WORKER_CALLS = {"file_mprotect": ("flip_ok", "flip_fail", "wx_ok", "wx_denied", "wx_err"),
                "key_permission": ("key_ok", "key_denied", "key_err"),
                "mmap_file": ("xmap_ok", "xmap_denied", "xmap_err"),
                "kernel_read_file": ("mod_ok", "mod_denied", "mod_err")}


def kv(line):
    return dict(m.groups() for m in re.finditer(r"(\w+)=(\S*)", line))


def as_int(s, default=None):
    try:
        return int(s, 0)
    except (TypeError, ValueError):
        return default


class Log:
    def __init__(self, text):
        text = text.replace("\r", "")
        text = re.sub(r"^\[linux\]  ", "", text, flags=re.M)
        self.text = text
        self.lines = text.splitlines()
        self.at = [l.strip() for l in self.lines if l.strip().startswith("@")]
        self.blocks = {}
        cur = None
        for l in self.lines:
            m = re.match(r"^E2E-BEGIN (\S+) (\S+)$", l.strip())
            if m:
                cur = (m.group(1), m.group(2))
                self.blocks[cur] = []
                continue
            if cur and l.strip().startswith(f"E2E-END {cur[0]} {cur[1]} "):
                cur = None
                continue
            if cur:
                self.blocks[cur].append(l)

    def tagged(self, tag, **match):
        """key=value dicts of the @-lines `tag WORD ...` (WORD given as kind=)."""
        out = []
        for l in self.at:
            parts = l.split(" ", 2)
            if parts[0] != tag:
                continue
            kind = match.get("kind")
            if kind is not None and (len(parts) < 2 or parts[1] != kind):
                continue
            d = kv(l)
            if all(d.get(k) == v for k, v in match.items() if k != "kind"):
                out.append(d)
        return out

    def one(self, tag, kind=None, **match):
        got = self.tagged(tag, **({"kind": kind} if kind else {}), **match)
        return got[-1] if got else None

    def e2e(self, case):
        out = []
        for l in self.lines:
            m = re.match(r"^E2E (\S+) (ok|fail|error) errno=(\d+)(.*)$", l.strip())
            if m and m.group(1) == case:
                out.append(m.group(2))
        return out


def workers(log):
    return [d for d in log.tagged("@stress") if "worker" in d and "iters" in d]


def wx_children(log):
    return [d for d in log.tagged("@stress") if "wx" in d and "attempts" in d]


def ints(d, *keys):
    return {k: as_int(d.get(k), 0) for k in keys}


def check_run(log, a, _res):
    p = []
    if not re.search(r"^E2E-STRESS-END\b", log.text, re.M):
        p.append("the script did not reach E2E-STRESS-END (hang, crash or timeout)")
    if not re.search(r"^E2E-DONE$", log.text, re.M):
        p.append("no E2E-DONE (final report not reached)")
    if "E2E-INFO stress run:" not in log.text:
        p.append("no 'E2E-INFO stress run' line")
    if a.qemu_rc is not None and a.qemu_rc != 0:
        p.append(f"the QEMU launcher exited with status {a.qemu_rc}")
    for l in log.lines:
        if re.match(r"^E2E \S+ error errno=", l.strip()):
            p.append(f"test precondition failed: {l.strip()}")
    return p


def cpu_range(n):
    return "0" if n == 1 else f"0-{n - 1}"


def check_cpus(log, a, res):
    c = log.one("@stress", "cpus")
    if not c:
        return ["no '@stress cpus' line"]
    n = as_int(c.get("expected"), 0)
    res["cpus"] = {"expected": n, "online": c.get("online"), "nproc": as_int(c.get("nproc"))}
    p = []
    if n < a.min_cpus:
        p.append(f"the boot was given {n} CPU(s), the test needs >= {a.min_cpus}")
    if c.get("online") != cpu_range(n):
        p.append(f"online CPUs '{c.get('online')}', the boot has {n}: want '{cpu_range(n)}'")
    ws = workers(log)
    if sorted(as_int(w.get("worker"), -1) for w in ws) != list(range(n)):
        p.append(f"workers {[w.get('worker') for w in ws]}, want one per CPU 0..{n - 1}")
    xs = wx_children(log)
    if sorted(as_int(x.get("wx"), -1) for x in xs) != list(range(n)):
        p.append(f"W->X children {[x.get('wx') for x in xs]}, want one per CPU 0..{n - 1}")
    for what, key, count, d in [("worker", "worker", "iters", w) for w in ws] + \
            [("W->X child", "wx", "attempts", x) for x in xs]:
        i = ints(d, key, "cpu", count, "wrong_cpu")
        if i[count] <= 0:
            p.append(f"{what} {i[key]} made no iteration")
        if i["wrong_cpu"] or i["cpu"] != i[key]:
            p.append(f"{what} {i[key]} ran off its CPU (on cpu {i['cpu']}, "
                     f"{i['wrong_cpu']} iterations elsewhere)")
    stat = {as_int(d.get("cpu")): d for d in log.tagged("@stress", kind="cpustat")}
    res["cpus"]["busy"] = {}
    for cpu in range(n):
        d = stat.get(cpu)
        busy, total = (as_int(d.get("busy"), 0), as_int(d.get("total"), 0)) if d else (0, 0)
        share = busy / total if total else 0.0
        res["cpus"]["busy"][cpu] = round(share, 3)
        if share < 0.5:
            p.append(f"CPU {cpu} busy {busy}/{total} ticks ({share:.0%}) during the run, "
                     "want >= 50%")
    return p


def check_workers(log, _a, res):
    p = []
    for case in ("stress.load", "stress.quota", "stress.run"):
        if log.e2e(case) != ["ok"]:
            p.append(f"'{case}' did not succeed ({log.e2e(case)})")
    done = log.one("@stress", "done")
    if not done or done.get("failed") != "0":
        p.append(f"the workers did not all finish cleanly ({done})")
    ws = workers(log)
    if not ws:
        return p + ["no worker lines"]
    res["workers"] = []
    xs = {as_int(x.get("wx")): {k: as_int(v, v) for k, v in x.items()}
          for x in wx_children(log)}
    for w in ws:
        i = {k: as_int(v, v) for k, v in w.items()}
        n = i["worker"]
        x = xs.get(n, {})
        for k in ("flip_fail", "key_denied", "key_err", "xmap_denied", "xmap_err",
                  "mod_ok", "mod_err"):
            if i.get(k):
                p.append(f"worker {n}: {k}={i[k]} (want 0)")
        for k in ("flip_ok", "key_ok", "xmap_ok", "mod_denied"):
            if not i.get(k):
                p.append(f"worker {n}: {k}=0 (that call never got its outcome)")
        if not x:
            p.append(f"worker {n}: no W->X child line")
        elif x.get("wx_err"):
            p.append(f"W->X child {n}: wx_err={x['wx_err']} (want 0)")
        calls = sum(i.get(k, 0) for ks in WORKER_CALLS.values() for k in ks) + \
            sum(x.get(k, 0) for k in ("wx_ok", "wx_denied", "wx_err"))
        res["workers"].append({"worker": n, "cpu": i.get("cpu"), "iters": i.get("iters"),
                               "decided_calls": calls, "ms": i.get("ms"),
                               "calls_per_s": round(calls * 1000 / i["ms"]) if i.get("ms")
                               else None, "wx_ok": x.get("wx_ok"),
                               "wx_denied": x.get("wx_denied")})
    if not sum(v.get("wx_ok", 0) for v in xs.values()) or \
            not sum(v.get("wx_denied", 0) for v in xs.values()):
        p.append("W->X mprotects were not both permitted and denied: the jit_allowed "
                 "writes did not change decisions during the run")
    at = log.one("@stress", "attr")
    if not at:
        return p + ["no '@stress attr' line"]
    res["attr_writes"] = as_int(at.get("writes_ok"))
    if as_int(at.get("writes_fail"), 1) != 0:
        p.append(f"{at.get('writes_fail')} admin attribute writes failed")
    if as_int(at.get("writes_ok"), 0) < 4 or not as_int(at.get("jit_on"), 0) or \
            not as_int(at.get("jit_off"), 0):
        p.append(f"too few admin attribute writes during the run ({at})")
    return p


def snapshot(log):
    """The snapshot's parts: kernel counters, per-hook kernel columns,
    secure stats, per-hook secure decisions, integrity status, report."""
    k = log.one("@snap", "kernel")
    kh = {}
    for l in log.at:
        m = re.match(r"^@snap khook name=(\S+) counts=([\d ]+)$", l)
        if m:
            kh[m.group(1)] = [int(x) for x in m.group(2).split()]
    sh = {d["name"]: as_int(d.get("decisions"), 0) for d in log.tagged("@snap", kind="shook")}
    return (k and {x: as_int(y) for x, y in k.items()}, kh,
            {x: as_int(y) for x, y in (log.one("@snap", "secure") or {}).items()}, sh,
            log.one("@istatus", label="snapshot"), log.one("@snap", "report"))


def check_counters(log, _a, res):
    q = log.one("@snap", None, quiet="1") or {}
    k, kh, s, sh, ist, rep = snapshot(log)
    if not k or not kh or not s or not sh:
        return ["no complete '@snap' snapshot (kernel, khook, secure, shook lines)"]
    p = []
    if q.get("quiet") != "1":
        p.append("the snapshot never found the kernel quiet (counters moved between reads)")
    after = log.one("@snap", "after_report")
    if not after or after.get("same") != "1":
        p.append("kernel counters moved while the report was taken")
    sent = {h: c[0] for h, c in kh.items()}
    total = sum(sent.values())
    res["counters"] = {"kernel_sent": total, "kernel_decisions": k.get("decisions"),
                       "secure_decisions": s.get("decisions"), "per_hook": {}}
    for h in sorted(set(sent) | set(sh)):
        res["counters"]["per_hook"][h] = [sent.get(h), sh.get(h)]
        if sent.get(h) != sh.get(h):
            p.append(f"hook {h}: the kernel sent {sent.get(h)}, the secure world "
                     f"decided {sh.get(h)}")
    eq = [("sum of kernel events", total), ("kernel decisions", k.get("decisions")),
          ("secure decisions", s.get("decisions"))]
    if ist:
        eq += [("heartbeat kernel_decisions", as_int(ist.get("kernel_decisions"))),
               ("heartbeat secure_decisions", as_int(ist.get("secure_decisions")))]
    else:
        p.append("no '@istatus label=snapshot' line")
    if rep:
        eq.append(("report decisions", as_int(rep.get("decisions"))))
    else:
        p.append("no '@snap report' line")
    if len({v for _, v in eq}) != 1:
        p.append("decision counts differ: " + ", ".join(f"{n} {v}" for n, v in eq))
    for name in ("allowed", "denied"):
        if k.get(name) != s.get(name):
            p.append(f"kernel {name} {k.get(name)} != secure {name} {s.get(name)}")
    if rep and as_int(rep.get("denied")) != s.get("denied"):
        p.append(f"report denied {rep.get('denied')} != secure denied {s.get('denied')}")
    if k.get("errors") != 0 or s.get("errors") != 0:
        p.append(f"errors: kernel {k.get('errors')}, secure {s.get('errors')} (want 0)")
    # Events the kernel denied alone (a revoked key, ...) have no hooks
    # column: local_denials, over all hooks, is the allowance for them.
    ws = workers(log) + wx_children(log)
    local = k.get("local_denials") or 0
    for h, keys in WORKER_CALLS.items():
        calls = sum(as_int(w.get(x), 0) for w in ws for x in keys)
        seen = sum(kh.get(h, []))
        if seen + local < calls:
            p.append(f"hook {h}: the workers made {calls} calls, the kernel saw {seen} "
                     f"(+ {local} denied in the kernel alone)")
    return p


def audit_lines(log):
    tot = log.one("@saudit", "total")
    per = {}
    for d in log.tagged("@saudit"):
        if "tgid" in d and "hook" in d:
            per[(d["tgid"], d["hook"])] = {x: as_int(y, y) for x, y in d.items()}
    return tot and {x: as_int(y, y) for x, y in tot.items()}, per


def check_audit(log, _a, res):
    p = []
    if log.e2e("stress.audit.verify") != ["ok"]:
        p.append("the drained audit log did not verify against the signed report")
    f = log.one("@stress", "follow")
    if not f or f.get("alive") != "1":
        p.append("the audit drain (policyctl audit --follow) was not running to the end")
    tot, per = audit_lines(log)
    if not tot:
        return p + ["no '@saudit total' line"]
    res["audit"] = {k: tot.get(k) for k in ("records", "decisions", "secure")}
    for k in ("gaps", "anchors", "dup_seq", "overflow"):
        if tot.get(k) != 0:
            p.append(f"audit log: {k}={tot.get(k)} (want 0)")
    if tot.get("first") != 0:
        p.append(f"audit log starts at index {tot.get('first')}, not 0")
    rep = log.one("@snap", "report") or {}
    nxt = as_int(rep.get("audit_next_index"))
    if nxt is None or tot.get("last") != nxt - 1:
        p.append(f"drained up to index {tot.get('last')}, the report covers up to "
                 f"{None if nxt is None else nxt - 1}")
    for k in ("audit_dropped", "audit_unrecorded"):
        if as_int(rep.get(k)) != 0:
            p.append(f"report {k}={rep.get(k)} (want 0)")
    s = log.one("@snap", "secure") or {}
    if as_int(s.get("audit_full_denials")) != 0:
        p.append(f"audit_full_denials={s.get('audit_full_denials')} (want 0)")
    if not workers(log) or not wx_children(log):
        p.append("no worker or W->X child lines: no audited call to account for")
    for x in wx_children(log):
        wx = per.get((x.get("pid"), "file_mprotect"), {})
        if (wx.get("allow", 0), wx.get("deny", 0)) != (as_int(x.get("wx_ok"), 0),
                                                     as_int(x.get("wx_denied"), 0)):
            p.append(f"W->X child {x.get('wx')}: audit records allow={wx.get('allow', 0)} "
                     f"deny={wx.get('deny', 0)}, the child saw ok={x.get('wx_ok')} "
                     f"denied={x.get('wx_denied')}")
    for w in workers(log):
        pid, n = w.get("pid"), w.get("worker")
        fl = per.get((pid, "file_mprotect"), {})
        if fl.get("allow", 0) or fl.get("deny", 0):
            p.append(f"worker {n}: {fl.get('allow', 0) + fl.get('deny', 0)} mprotect audit "
                     "records, want 0 (its jit_allowed stays 0)")
        mod = per.get((pid, "kernel_read_file"), {})
        if (mod.get("allow", 0), mod.get("deny", 0)) != (0, as_int(w.get("mod_denied"), 0)):
            p.append(f"worker {n}: module-load audit records allow={mod.get('allow', 0)} "
                     f"deny={mod.get('deny', 0)}, the worker saw {w.get('mod_denied')} denials")
    for d in workers(log) + wx_children(log):
        pid = d.get("pid")
        mono = [r.get("nonmono") for (t, _), r in per.items() if t == pid]
        if not mono:
            p.append(f"pid {pid}: no audit records")
        elif any(mono):
            p.append(f"pid {pid}: event seqs not strictly increasing ({max(mono)} times)")
    return p


def check_integrity(log, _a, res):
    p = []
    st = {l: log.one("@istatus", label=l) for l in ("before", "after", "snapshot")}
    for label, d in st.items():
        if not d:
            p.append(f"no '@istatus label={label}' line")
            continue
        if d.get("state") != "1":
            p.append(f"integrity state {d.get('state')} {label} the stress, not 1 (ok)")
        if as_int(d.get("flags"), 0) & ~IS_FINE:
            p.append(f"integrity flags {d.get('flags')} {label} the stress: degraded")
        if d.get("mismatches") != "0":
            p.append(f"{d.get('mismatches')} mismatches {label} the stress")
    if st["before"] and st["after"]:
        passes = as_int(st["after"].get("passes"), 0) - as_int(st["before"].get("passes"), 0)
        res["integrity_passes"] = passes
        if passes < 2:
            p.append(f"only {passes} measurement passes during the stress, want >= 2")
    rep = log.one("@snap", "report") or {}
    if rep.get("integrity_state") != "1" or rep.get("integrity_mismatches") != "0":
        p.append(f"report: integrity_state {rep.get('integrity_state')}, "
                 f"mismatches {rep.get('integrity_mismatches')}")
    return p


def check_kernel(log, _a, _res):
    p = []
    end = next((i for i, l in enumerate(log.lines) if l.startswith("E2E-STRESS-END")), None)
    if end is None:
        return ["no E2E-STRESS-END: the console does not show the run's end"]
    for l in log.lines[:end]:
        if KERNEL_BAD.search(l):
            p.append(f"kernel trouble: {l.strip()}")
    if ("dmesg", "warnings") not in log.blocks:
        p.append("no 'dmesg warnings' block")
    return p[:20]


def check_secure(log, a, _res):
    if not a.secure_text:
        return ["no secure console log (--secure-log)"]
    p = [l.strip() for l in a.secure_text.splitlines() if check_e2e.SECURE_BAD.search(l)]
    return (p + check_e2e.secure_alive_problems(a.secure_text, log.text))[:20]


def check_report(log, a, res):
    if not (a.policyctl and a.device_pub):
        return ["--policyctl and --device-pub are needed"]
    r = subprocess.run([sys.executable, os.path.join(HERE, "check_report.py"),
                        "--linux-log", a.linux_log, "--policyctl", a.policyctl,
                        "--device-pub", a.device_pub, "--expect-integrity", "ok"],
                       capture_output=True, text=True)
    out = r.stdout + r.stderr
    print(out, end="")
    p = [] if r.returncode == 0 else [f"check_report.py failed ({r.returncode})"]
    i = out.find("{")
    try:
        rep = json.JSONDecoder().raw_decode(out[i:])[0] if i >= 0 else {}
    except json.JSONDecodeError:
        rep = {}
    _k, kh, _s, _sh, _i, _r = snapshot(log)
    sent = sum(c[0] for c in kh.values()) if kh else None
    res["report_decisions"] = rep.get("decisions")
    if rep.get("decisions") != sent:
        p.append(f"signed report decisions {rep.get('decisions')} != kernel sent {sent}")
    return p


CHECKS = {"run": check_run, "cpus": check_cpus, "workers": check_workers,
          "counters": check_counters, "audit": check_audit,
          "integrity": check_integrity, "kernel": check_kernel,
          "secure": check_secure, "report": check_report}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--linux-log", required=True)
    ap.add_argument("--secure-log")
    ap.add_argument("--qemu-rc-file")
    ap.add_argument("--json")
    ap.add_argument("--min-cpus", type=int, default=1)
    ap.add_argument("--only", action="append", choices=SECTIONS)
    ap.add_argument("--policyctl")
    ap.add_argument("--device-pub")
    a = ap.parse_args(argv)
    try:
        log = Log(open(a.linux_log, errors="replace").read())
        a.secure_text = open(a.secure_log, errors="replace").read() if a.secure_log else ""
    except OSError as e:
        print(f"check_stress: FAIL: {e}")
        return 1
    a.qemu_rc = None
    if a.qemu_rc_file:
        try:
            a.qemu_rc = int(open(a.qemu_rc_file).read().strip())
        except (OSError, ValueError):
            a.qemu_rc = -1
    only = a.only or [s for s in SECTIONS
                      if (s != "report" or a.policyctl) and (s != "secure" or a.secure_log)]
    res, failed = {}, False
    for s in SECTIONS:
        if s not in only:
            continue
        problems = CHECKS[s](log, a, res)
        for pr in problems:
            print(f"check_stress: FAIL [{s}]: {pr}")
        if not problems:
            print(f"check_stress: ok [{s}]")
        failed |= bool(problems)
    for w in res.get("workers", []):
        print(f"check_stress: worker {w['worker']} (cpu {w['cpu']}): {w['decided_calls']} "
              f"decided calls in {w['ms']} ms ({w['calls_per_s']}/s)")
    if "counters" in res:
        c = res["counters"]
        print(f"check_stress: kernel sent {c['kernel_sent']}, secure decided "
              f"{c['secure_decisions']}")
    if a.json:
        res["sections"] = only
        res["passed"] = not failed
        with open(a.json, "w") as f:
            json.dump(res, f, indent=2)
            f.write("\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
