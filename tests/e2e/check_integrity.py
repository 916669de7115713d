#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# check_integrity.py - judges the kernel-integrity e2e boot (tests/e2e/guest/integrity.sh).
"""Reads the Linux console log of the integrity boot and checks, each as a
named section (--only SECTION, repeatable; default all):

  run         the script ran to its end (E2E-INTEGRITY-END and E2E-DONE),
              the launcher exited 0, no test precondition failed, no oops
  clean       registration and seal, then >= 20 full passes with module
              load/unload cycles, state ok, 0 mismatches (no false positive)
  attacks     textpatch, syscall, unlink: every trial (>= --min-trials) loaded,
              was detected within the wait's timeout, named the attacked
              region (text / syscall_table / ro_after_init) and was clean
              again after the undo; hbstop: heartbeat_lost was raised
  devmem      /dev/mem opened (the policy permits it), then the write was
              either refused by the kernel with no new mismatch (prevented)
              or, had it got through, detected
  revocations after the first violation: state violated, the benign module
              denied, the key unusable, the exec-mapping process killed
  audit       the drained audit log verified against a signed report; it
              holds a mismatch record for each attacked region kind, at
              least one per detection, and a heartbeat record
  report      the final signed report (tests/e2e/check_report.py) verifies,
              says violated, with integrity_mismatches >= 1 (needs
              --policyctl and --device-pub)

Latency is never judged against a target here (speed belongs to
docs/performance.md): --json writes per-attack trials, median and maximum
for the lead to record there.

  check_integrity.py --linux-log LOG [--qemu-rc-file F] [--json OUT]
                     [--min-trials N] [--only S]... [--policyctl P --device-pub D]
Exit: 0 every selected section passed, 1 otherwise.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SECTIONS = ["run", "clean", "attacks", "devmem", "revocations", "audit", "report"]
# attack -> region kinds a detection may name (TZU_IREG_*)
ATTACKS = {"textpatch": {1: "text"}, "syscall": {2: "syscall_table"},
           "unlink": {4: "ro_after_init"}}
OOPS_RE = re.compile(r"Internal error:|Unable to handle kernel|Kernel panic|"
                     r"\bBUG: |\bOops\b|WARNING: CPU:")
IS_BITS = {"manifest": 0x01, "registered": 0x02, "sealed": 0x04,
           "heartbeat_lost": 0x20}


def kv(line):
    """key=value pairs of one @-line."""
    return dict(m.groups() for m in re.finditer(r"(\w+)=(\S*)", line))


def as_int(s, default=None):
    try:
        return int(s, 0)
    except (TypeError, ValueError):
        return default


def as_float(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


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
        out = []
        for l in self.at:
            if not l.startswith(tag + " "):
                continue
            d = kv(l)
            if all(d.get(k) == v for k, v in match.items()):
                out.append(d)
        return out

    def e2e(self, case):
        out = []
        for l in self.lines:
            m = re.match(r"^E2E (\S+) (ok|fail|error) errno=(\d+)(.*)$", l.strip())
            if m and m.group(1) == case:
                out.append({"result": m.group(2), "errno": int(m.group(3)),
                            "extra": kv(m.group(4))})
        return out


def istatus_block(log, label):
    for l in log.blocks.get(("istatus", label), []):
        if l.strip().startswith("@istatus "):
            return kv(l)
    return None


def check_run(log, qemu_rc, _a, _res):
    p = []
    if "E2E-INTEGRITY-END" not in log.text:
        p.append("the script did not reach E2E-INTEGRITY-END (hang, crash or timeout)")
    if not re.search(r"^E2E-DONE$", log.text, re.M):
        p.append("no E2E-DONE (final report not reached)")
    if qemu_rc is not None and qemu_rc != 0:
        p.append(f"the QEMU launcher exited with status {qemu_rc}")
    for l in log.lines:
        m = re.match(r"^E2E (\S+) error errno=(\d+)(.*)$", l.strip())
        if m:
            p.append(f"case '{m.group(1)}': test precondition failed ({l.strip()})")
        if OOPS_RE.search(l):
            p.append(f"kernel trouble: {l.strip()}")
    return p


def check_clean(log, _rc, _a, res):
    p = []
    st = istatus_block(log, "sealed")
    if not st:
        return ["no @istatus after the seal"]
    res["measurement"] = {k: as_int(st.get(k)) for k in (
        "period_us", "chunk_bytes", "bytes_total", "pass_us", "heartbeat_ms",
        "heartbeat_timeout_ms", "n_regions")}
    flags = as_int(st.get("flags"), 0)
    for name in ("manifest", "registered", "sealed"):
        if not flags & IS_BITS[name]:
            p.append(f"after the seal the status lacks '{name}' (flags {st.get('flags')})")
    if st.get("state") != "1":
        p.append(f"state {st.get('state')} after the seal, not 1 (ok)")
    c = log.tagged("@integrity", phase="clean")
    if not c:
        return p + ["no '@integrity phase=clean' line"]
    c = c[0]
    res["clean"] = {k: as_int(v, v) for k, v in c.items() if k != "phase"}
    if as_int(c.get("passes"), 0) < 20:
        p.append(f"clean run: {c.get('passes')} full passes, need >= 20")
    if as_int(c.get("cycles"), 0) < 5 or as_int(c.get("loads_ok"), 0) < 5:
        p.append(f"clean run: {c.get('loads_ok')} module loads of {c.get('cycles')}, need >= 5")
    if c.get("loads_failed") != "0":
        p.append(f"clean run: {c.get('loads_failed')} benign module loads failed")
    if c.get("mismatches") != "0":
        p.append(f"clean run: FALSE POSITIVE, {c.get('mismatches')} mismatches")
    if c.get("state") != "1":
        p.append(f"clean run: state {c.get('state')} at its end, not 1 (ok)")
    return p


def latency_summary(trials):
    lat = [t["latency_ms"] for t in trials if t["detected"] and t["latency_ms"] is not None]
    return {"trials": len(trials), "detected": sum(1 for t in trials if t["detected"]),
            "median_ms": round(statistics.median(lat), 3) if lat else None,
            "max_ms": round(max(lat), 3) if lat else None,
            "min_ms": round(min(lat), 3) if lat else None,
            "latencies_ms": lat}


def trial_problems(a, t, d, kinds, timeout_ms):
    p = []
    if d.get("insmod") != "ok":
        return [f"{a} trial {t}: the attack module did not load"]
    lat = as_float(d.get("latency_ms"))
    if d.get("detected") != "1":
        p.append(f"{a} trial {t}: NOT detected within the timeout")
    elif lat is None or lat <= 0 or lat > timeout_ms + 100:
        p.append(f"{a} trial {t}: latency {d.get('latency_ms')} ms is not in (0, timeout]")
    if kinds is not None:
        named = {as_int(r.split(":")[0]) for r in d.get("dirty", "none").split(",") if ":" in r}
        if d.get("detected") == "1" and not named & set(kinds):
            p.append(f"{a} trial {t}: detection named regions {d.get('dirty')}, "
                     f"not {'/'.join(kinds.values())}")
    if kinds is not None and d.get("clean") != "1":
        p.append(f"{a} trial {t}: memory not clean again after the undo")
    return p


def check_attacks(log, _rc, a, res):
    p = []
    info = re.search(r"E2E-INFO integrity run: trials=(\d+) timeout_ms=(\d+)", log.text)
    if not info:
        return ["no 'E2E-INFO integrity run' line"]
    n, tmo = int(info.group(1)), int(info.group(2))
    if n < a.min_trials:
        p.append(f"only {n} trials per attack, need >= {a.min_trials}")
    res.setdefault("attacks", {})
    for name, kinds in list(ATTACKS.items()) + [("hbstop", None)]:
        want = n if kinds is not None else 1
        lines = log.tagged("@integrity", attack=name)
        by_trial = {as_int(d.get("trial")): d for d in lines}
        trials = []
        for t in range(1, want + 1):
            d = by_trial.get(t)
            if d is None:
                p.append(f"{name}: trial {t} missing")
                continue
            p += trial_problems(name, t, d, kinds, tmo if kinds is not None else
                                max(tmo, 3 * as_int(d.get("heartbeat_timeout_ms"), 0)))
            trials.append({"trial": t, "detected": d.get("detected") == "1",
                           "latency_ms": as_float(d.get("latency_ms")),
                           "dirty": d.get("dirty")})
        res["attacks"][name] = latency_summary(trials)
        if name == "hbstop" and lines:
            res["attacks"][name]["heartbeat_timeout_ms"] = as_int(
                lines[0].get("heartbeat_timeout_ms"))
    return p


def check_devmem(log, _rc, _a, res):
    d = log.tagged("@integrity", attack="devmem")
    if not d:
        return ["no '@integrity attack=devmem' line"]
    d = d[0]
    res["devmem"] = d
    p = []
    if not d.get("open", "").startswith("ok"):
        p.append(f"/dev/mem open for writing refused ({d.get('open')}): the test "
                 "policy permits it, the kernel's STRICT_DEVMEM is what is tested")
    if d.get("outcome") == "prevented":
        if d.get("new_mismatches") != "0":
            p.append(f"devmem: refused, yet {d.get('new_mismatches')} new mismatches")
    elif d.get("outcome") == "written":
        if d.get("detected") != "1":
            p.append("devmem: the write reached kernel memory and was NOT detected")
    else:
        p.append(f"devmem: outcome '{d.get('outcome')}'")
    return p


def check_revocations(log, _rc, _a, res):
    p = []
    v = log.tagged("@integrity", victim="exec_process")
    if not v or v[0].get("alive") != "1":
        p.append("the exec-mapping process was not alive before the first attack")
    before = log.e2e("integrity.key.before")
    if not before or before[0]["result"] != "ok":
        p.append("the key was not readable before the first attack")
    hold = log.e2e("integrity.hold_exec")
    if not hold or hold[0]["result"] != "ok":
        p.append("no executable anonymous mapping was made")
    got = {d.get("revoke"): d for d in log.tagged("@integrity") if "revoke" in d}
    res["revocations"] = got
    if got.get("state", {}).get("state") != "2":
        p.append(f"state after the first detection: {got.get('state', {}).get('state')}, not 2")
    if got.get("module", {}).get("denied") != "1":
        p.append("the benign module still loaded after the violation")
    if got.get("key", {}).get("denied") != "1":
        p.append("the key was still usable after the violation")
    e = got.get("exec_process", {})
    if e.get("killed") != "1":
        p.append("the process with an executable anonymous mapping was not killed")
    elif e.get("wait_status") != "137":
        p.append(f"the exec-mapping process ended with status {e.get('wait_status')}, "
                 "not 137 (SIGKILL)")
    return p


def audit_records(log):
    out = []
    for l in log.blocks.get(("audit", "drain"), []):
        s = l.strip()
        if s.startswith("{"):
            try:
                out.append(json.loads(s))
            except json.JSONDecodeError:
                pass
    return out


def check_audit(log, _rc, _a, res):
    p = []
    v = log.e2e("integrity.drain.verify")
    if not v or v[0]["result"] != "ok":
        p.append("the drained audit log did not verify against the signed report")
    recs = audit_records(log)
    mism = [r for r in recs if r.get("kind") == "mismatch" or r.get("hook") == 0x10c]
    hb = [r for r in recs if r.get("kind") == "heartbeat" or r.get("hook") == 0x10e]
    kinds = {}
    for r in mism:
        k = (r.get("detail") or {}).get("region_kind")
        kinds[k] = kinds.get(k, 0) + 1
    detected = sum(1 for d in log.tagged("@integrity")
                   if d.get("attack") in ATTACKS and d.get("detected") == "1")
    res["audit"] = {"records": len(recs), "mismatch": len(mism), "by_region": kinds,
                    "heartbeat": len(hb)}
    if not recs:
        p.append("no drained audit records")
    for a, k in ATTACKS.items():
        if not any(name in kinds for name in k.values()):
            p.append(f"no mismatch record for region {'/'.join(k.values())} ({a})")
    if len(mism) < detected:
        p.append(f"{len(mism)} mismatch records for {detected} detections")
    if not hb:
        p.append("no heartbeat record (the heartbeat stop was not audited)")
    return p


def check_report(log, _rc, a, res):
    if not (a.policyctl and a.device_pub):
        return ["--policyctl and --device-pub are needed"]
    r = subprocess.run([sys.executable, os.path.join(HERE, "check_report.py"),
                        "--linux-log", a.linux_log, "--policyctl", a.policyctl,
                        "--device-pub", a.device_pub, "--expect-integrity", "violated"],
                       capture_output=True, text=True)
    out = r.stdout + r.stderr
    print(out, end="")
    p = [] if r.returncode == 0 else [f"check_report.py failed ({r.returncode})"]
    i = out.find("{")
    try:
        rep = json.JSONDecoder().raw_decode(out[i:])[0] if i >= 0 else {}
    except json.JSONDecodeError:
        rep = {}
    mm = rep.get("integrity_mismatches")
    res["report"] = {"integrity": rep.get("integrity"), "integrity_mismatches": mm,
                     "integrity_flags": rep.get("integrity_flags")}
    if not isinstance(mm, int) or mm < 1:
        p.append(f"report integrity_mismatches {mm}, need >= 1")
    return p


CHECKS = {"run": check_run, "clean": check_clean, "attacks": check_attacks,
          "devmem": check_devmem, "revocations": check_revocations,
          "audit": check_audit, "report": check_report}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--linux-log", required=True)
    ap.add_argument("--qemu-rc-file")
    ap.add_argument("--json")
    ap.add_argument("--min-trials", type=int, default=10)
    ap.add_argument("--only", action="append", choices=SECTIONS)
    ap.add_argument("--policyctl")
    ap.add_argument("--device-pub")
    a = ap.parse_args(argv)
    try:
        log = Log(open(a.linux_log, errors="replace").read())
    except OSError as e:
        print(f"check_integrity: FAIL: {e}")
        return 1
    rc = None
    if a.qemu_rc_file:
        try:
            rc = int(open(a.qemu_rc_file).read().strip())
        except (OSError, ValueError):
            rc = -1
    # Every section runs (integrity.json gets all the figures); only the
    # selected ones are judged.
    only = a.only or [s for s in SECTIONS if s != "report" or a.policyctl]
    res, failed = {}, False
    for s in SECTIONS:
        if s == "report" and s not in only:
            continue
        problems = CHECKS[s](log, rc, a, res)
        if s not in only:
            continue
        for pr in problems:
            print(f"check_integrity: FAIL [{s}]: {pr}")
        if not problems:
            print(f"check_integrity: ok [{s}]")
        failed |= bool(problems)
    if "attacks" in res:
        for name, s in res["attacks"].items():
            print(f"check_integrity: {name}: {s['detected']}/{s['trials']} detected, "
                  f"median {s['median_ms']} ms, max {s['max_ms']} ms")
    if a.json:
        res["sections"] = only
        res["passed"] = not failed
        with open(a.json, "w") as f:
            json.dump(res, f, indent=2)
            f.write("\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
