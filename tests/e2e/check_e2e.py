#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# check_e2e.py - judge an e2e guest run from the host side of the serial consoles.
"""Check the consoles of one e2e boot against an expectation file.

  check_e2e.py --linux-log LOG --expect EXPECTED [--secure-log LOG] [--json OUT]

Checks, each reported as PASS/FAIL on its own line:
  run        the guest reached E2E-DONE; no "error" result (a broken test)
  cases      every E2E line is expected, with the exact result, errno and
             extra fields; every expected case was seen exactly once
  audit      `policyctl audit --verify` succeeded; the record hash chain
             recomputes on the host; every expected audit (audit=... in the
             expectation) has a record with that tgid, hook and verdict
  counters   securityfs counters read before and after `policyctl stats`
             are equal and agree with the secure world's
  kernel     no WARNING/Oops/BUG/panic in the Linux console or kernel log
  secure     no fault or error state on the secure console, and proof that
             it was alive at the end: the guest's last line is
             "E2E-END nonce=HEX" (after asking for a signed report with that
             nonce) and the secure console has "[tzucon] report nonce=HEX"
Exit status 0 only if every check passes.
"""
import argparse
import collections
import errno as errno_mod
import hashlib
import json
import re
import struct
import sys

E2E_RE = re.compile(
    r"E2E (?P<case>\S+) (?P<result>ok|fail|error) errno=(?P<errno>\d+) "
    r"pid=(?P<pid>\d+)(?P<extra>(?: \S+=\S*)*)\s*$")
BEGIN_RE = re.compile(r"E2E-BEGIN (\S+) (\S+)\s*$")
DONE_RE = re.compile(r"(^|\s)E2E-DONE\s*$")
END_RE = re.compile(r"E2E-END (\S+) (\S+) rc=(\d+)\s*$")
KERNEL_BAD = re.compile(
    r"WARNING:|Oops|BUG:|Kernel panic|Internal error|Unable to handle|"
    r"general protection|stack-protector|rcu_sched self-detected|"
    r"blocked for more than|Call trace:|\bcut here\b|UBSAN:|KASAN:")
SECURE_BAD = re.compile(r"(?i)\b(abort|fault|panic|fatal|assert)\b")
# The guest's last word and the secure world's answer to it (check_secure).
FINAL_NONCE_RE = re.compile(r"(^|\s)E2E-END nonce=([0-9A-Fa-f]*)\s*$")
SECURE_REPORT_RE = re.compile(r"\[tzucon\] report nonce=([0-9A-Fa-f]+)")

def _single(name):
    return (name, lambda vals: int(vals[0]))


def _hook_events(hook):
    """Events sent to the secure world, from tz_hooks/hooks lines "name events filtered cached"."""
    def get(vals):
        for line in vals:
            parts = line.split()
            if len(parts) >= 3 and parts[0] == hook:
                return int(parts[1])
        return 0
    return ("hooks", get)


# Secure-world counter (policyctl stats --json; "per_hook.NAME" = its
# per_hook object) -> (securityfs file in tz_hooks/, value extractor). The
# kernel counts answers it got, the secure world decisions it made: in a run
# without transport errors they are the same events. The secure world's
# "errors" also count rejected policy loads, so they are not compared.
COUNTER_PAIRS = {
    "decisions": _single("decisions"),
    "allowed": _single("allowed"),
    "denied": _single("denied"),
    "permissive_denials": _single("would_deny"),
    "revocations": _single("revocations"),
}
HOOK_NAMES = ["mmap_file", "file_mprotect", "kernel_read_file", "kernel_load_data",
              "module_request", "bpf_prog_load", "devmem_open", "ptrace_access",
              "key_alloc", "key_permission", "alg_socket", "alg_bind",
              "task_fix_setuid", "usage_end", "task_exit"]
for _h in HOOK_NAMES:
    COUNTER_PAIRS["per_hook." + _h] = _hook_events(_h)


CHECKS = ["run", "cases", "audit", "counters", "kernel", "secure"]


class Report:
    def __init__(self, verbose=True):
        self.failures = []
        self.results = {}
        self.verbose = verbose

    @classmethod
    def quiet(cls):
        return cls(verbose=False)

    def check(self, name, problems, detail=""):
        ok = not problems
        self.results[name] = {"ok": ok, "problems": problems, "detail": detail}
        if not self.verbose:
            return
        print(f"{'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
        for p in problems:
            print(f"    - {p}")
        if not ok:
            self.failures.append(name)


def strip_console(line):
    """Drops a carriage return and any kernel timestamp glued in front."""
    return line.rstrip("\r\n").replace("\r", "")


def parse_log(text):
    """E2E lines (by case), raw blocks (by (kind, label)) and the DONE flag."""
    lines, blocks, done = [], {}, False
    cur = None
    for raw in text.splitlines():
        line = strip_console(raw)
        if cur is not None:
            m = END_RE.search(line)
            if m and (m.group(1), m.group(2)) == cur[0]:
                blocks[cur[0]] = {"lines": cur[1], "rc": int(m.group(3))}
                cur = None
            else:
                cur[1].append(line)
            continue
        m = BEGIN_RE.search(line)
        if m:
            cur = ((m.group(1), m.group(2)), [])
            continue
        if DONE_RE.search(line):
            done = True
            continue
        i = line.find("E2E ")
        if i >= 0:
            m = E2E_RE.match(line[i:])
            if m:
                d = m.groupdict()
                d["errno"] = int(d["errno"])
                d["pid"] = int(d["pid"])
                d["extra"] = dict(kv.split("=", 1) for kv in d["extra"].split())
                lines.append(d)
    if cur is not None:
        blocks[cur[0]] = {"lines": cur[1], "rc": None}
    return lines, blocks, done


def errno_value(text):
    if text.isdigit():
        return int(text)
    v = getattr(errno_mod, text, None)
    if not isinstance(v, int):
        raise ValueError(f"unknown errno name '{text}'")
    return v


def parse_expect(path):
    """Lines: CASE RESULT ERRNO [key=value ...]; '#' comments;
    '@other-audit HOOK VERDICT': audit records of that hook and verdict that
    no case explains are tolerated (e.g. module requests the kernel makes);
    '@secure-record KIND STATUS': the secure world's own records (boot,
    policy loads, refusals, ...): each listed pair must be in the log, and
    every secure record in the log must be listed; '@secure-record-maybe
    KIND STATUS': tolerated, not required (a record whose presence depends
    on the emulator's speed; the file says why)."""
    exp = {"@other-audit": set(), "@secure-record": set(), "@secure-record-maybe": set()}
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if parts[0] == "@other-audit" and len(parts) == 3:
                exp[parts[0]].add((parts[1], parts[2]))
                continue
            if parts[0] in ("@secure-record", "@secure-record-maybe") and len(parts) >= 3:
                # the status is the rest of the line (status names have spaces)
                exp[parts[0]].add((parts[1], " ".join(parts[2:])))
                continue
            if len(parts) < 3 or parts[1] not in ("ok", "fail"):
                raise ValueError(f"{path}:{n}: expected 'CASE ok|fail ERRNO [k=v ...]'")
            if parts[0] in exp:
                raise ValueError(f"{path}:{n}: duplicate case '{parts[0]}'")
            kv = dict(p.split("=", 1) for p in parts[3:])
            exp[parts[0]] = {"result": parts[1], "errno": errno_value(parts[2]),
                             "extra": kv, "line": n}
    return exp


# Keys of an expectation that describe checks other than the E2E line.
META_KEYS = {"audit", "hook", "rule"}


def check_cases(rep, lines, exp):
    other = exp.pop("@other-audit", set())
    secure = exp.pop("@secure-record", set())
    maybe = exp.pop("@secure-record-maybe", set())
    problems, seen = [], {}
    for d in lines:
        if d["case"] in seen:
            problems.append(f"case '{d['case']}' reported twice")
        seen[d["case"]] = d
    for case, e in exp.items():
        d = seen.get(case)
        if d is None:
            problems.append(f"case '{case}' missing from the guest output")
            continue
        want = f"{e['result']} errno={e['errno']}"
        got = f"{d['result']} errno={d['errno']}"
        if want != got:
            problems.append(f"case '{case}': expected {want}, got {got}")
        for k, v in e["extra"].items():
            if k in META_KEYS:
                continue
            if d["extra"].get(k) != v:
                problems.append(f"case '{case}': expected {k}={v}, got "
                                f"{k}={d['extra'].get(k, '<absent>')}")
    for case, d in seen.items():
        if case not in exp:
            problems.append(f"unexpected case '{case}' ({d['result']} errno={d['errno']})")
    rep.check("cases", problems, f"{len(seen)} results, {len(exp)} expected")
    exp["@other-audit"] = other
    exp["@secure-record"] = secure
    exp["@secure-record-maybe"] = maybe
    return seen


def check_run(rep, lines, done, qemu_rc):
    problems = []
    if not done:
        problems.append("the guest did not reach E2E-DONE (hang, crash or timeout)")
    if qemu_rc is not None and qemu_rc != 0:
        problems.append(f"the QEMU launcher exited with status {qemu_rc}")
    for d in lines:
        if d["result"] == "error":
            problems.append(f"case '{d['case']}': test precondition failed "
                            f"(errno={d['errno']} {d['extra']})")
    rep.check("run", problems)


def json_lines(block):
    out = []
    for line in block["lines"]:
        s = line.strip()
        if s.startswith("{"):
            try:
                out.append(json.loads(s))
            except json.JSONDecodeError:
                pass
    return out


def record_hash(prev, r):
    """SHA256(prev_hash || record bytes before hash), as abi/tzucon_abi.h says."""
    body = struct.pack("<QQ32s8I", r["index"], r["event_seq"],
                       bytes.fromhex(r["event_digest"]), r["rule_id"],
                       r["verdict"], r["flags"], r["epoch"], r["hook"],
                       r["tgid"], r["obligations"], r["session_id"])
    return hashlib.sha256(prev + body).digest()


KAUDIT_RE = re.compile(r"tz_hooks: audit hook=(\S+) verdict=(\S+) rule=(\d+) .*?"
                       r"\bseq=(\d+) pid=\d+ tgid=(\d+)(.*)$")


def kernel_audit(blocks):
    """(seq, hook, verdict, rule, tgid) of each audit line tz_hooks printed
    for a secure-world decision; lines with reason= are the kernel's own
    (local) decisions and are returned apart."""
    dm = blocks.get(("dmesg", "final"))
    sw_decided, local = [], []
    for line in dm["lines"] if dm else []:
        m = KAUDIT_RE.search(line)
        if not m:
            continue
        key = (int(m.group(4)), m.group(1), m.group(2), int(m.group(3)), int(m.group(5)))
        (local if "reason=" in m.group(6) else sw_decided).append(key)
    return dm is not None, sw_decided, local


def kernel_audit_dropped(blocks):
    """The largest audit_dropped of the run's securityfs counter blocks (it
    only grows): audit lines tz_hooks' rate limit suppressed."""
    vals = [int(v) for (kind, _), b in blocks.items() if kind == "lsm"
            for v in parse_lsm_block(b).get("audit_dropped", [])]
    return max(vals, default=0)


def check_audit(rep, blocks, seen, exp):
    problems = []
    blk = blocks.get(("audit", "final"))
    if blk is None:
        rep.check("audit", ["no audit block in the guest output"])
        return
    if blk["rc"] != 0:
        problems.append(f"'policyctl audit --verify' exited with {blk['rc']}")
    recs = [r for r in json_lines(blk) if "index" in r and "kind" not in r]
    srecs_all = [r for r in json_lines(blk) if "index" in r and "kind" in r]
    if not recs:
        problems.append("no audit records")
    # The secure world's own records: exactly the expected kinds/statuses.
    want_secure = exp.get("@secure-record", set())
    have_secure = {(str(r["kind"]), r.get("status")) for r in srecs_all}
    for pair in sorted(want_secure - have_secure):
        problems.append(f"no secure record kind={pair[0]} status={pair[1]}")
    for pair in sorted(have_secure - want_secure - exp.get("@secure-record-maybe", set())):
        problems.append(f"secure record kind={pair[0]} status={pair[1]} is not expected")
    # Independent recomputation of the chain: an anchor line gives the hash
    # the next record chains from; each record then chains from its
    # predecessor.
    prev, checked = None, 0
    for r in json_lines(blk):
        if "anchor" in r:
            prev = bytes.fromhex(r["anchor"])
            continue
        if "index" not in r:
            continue
        if prev is None:
            problems.append(f"record {r['index']}: no anchor before it")
            break
        try:
            h = record_hash(prev, r)
        except (KeyError, ValueError, struct.error) as e:
            problems.append(f"record {r.get('index')}: cannot recompute hash ({e})")
            break
        if h.hex() != r["hash"]:
            problems.append(f"record {r['index']}: hash does not chain")
        prev = bytes.fromhex(r["hash"])
        checked += 1
    explained = set()
    for case, e in exp.items():
        if case.startswith("@"):
            continue
        want = e["extra"].get("audit")
        if not want or case not in seen:
            continue
        # audit=VERDICT[+FLAG...]: e.g. deny, allow+permissive+would_deny
        # rule=N (optional): the record names that deciding rule.
        pid, hook = seen[case]["pid"], e["extra"].get("hook")
        rule = e["extra"].get("rule")
        verdict, *flags = want.split("+")
        hits = [r for r in recs
                if r.get("tgid") == pid and r.get("hook_name") == hook and
                r.get("verdict_name") == verdict and
                all(f in r.get("flags_text", []) for f in flags) and
                (rule is None or str(r.get("rule_id")) == rule)]
        if not hits:
            problems.append(f"case '{case}': no audit record with tgid={pid} "
                            f"hook={hook} verdict={want}"
                            + (f" rule={rule}" if rule else ""))
        # The case's process may have made several such decisions (e.g. each
        # read past a quota): all of its records of that kind are explained.
        explained |= {r["index"] for r in recs
                      if r.get("tgid") == pid and r.get("hook_name") == hook and
                      r.get("verdict_name") == verdict}
    # Every decision in the log is accounted for: no surprise denials.
    other = exp.get("@other-audit", set())
    for r in recs:
        if r["index"] in explained:
            continue
        if (r.get("hook_name"), r.get("verdict_name")) in other:
            continue
        problems.append(f"audit record {r['index']} (tgid={r.get('tgid')} "
                        f"hook={r.get('hook_name')} verdict={r.get('verdict_name')} "
                        f"rule={r.get('rule_id')} flags={r.get('flags_text')}) "
                        "is not explained by any case")
    # The kernel's audit lines (obligation TZU_OBL_AUDIT) and the secure
    # audit log describe the same decisions.
    # tz_hooks rate-limits its audit lines and counts each one it drops
    # (audit_dropped): that many secure records may lack their line, never
    # more, and no line may lack its record.
    have_dmesg, klines, local = kernel_audit(blocks)
    dropped = kernel_audit_dropped(blocks)
    if have_dmesg:
        srecs = [(r.get("event_seq"), r.get("hook_name"), r.get("verdict_name"),
                  r.get("rule_id"), r.get("tgid")) for r in recs]
        only_k = collections.Counter(klines) - collections.Counter(srecs)
        only_s = collections.Counter(srecs) - collections.Counter(klines)
        if only_k or sum(only_s.values()) > dropped:
            problems.append(f"kernel audit lines ({len(klines)}) and secure records "
                            f"({len(srecs)}) differ beyond the {dropped} lines the "
                            f"kernel dropped: kernel only {sorted(only_k)[:5]}, "
                            f"secure only {sorted(only_s)[:5]}")
    rep.check("audit", problems, f"{len(recs)} decision and {len(srecs_all)} secure records, "
              f"{checked} chained, "
              f"{len(klines)} kernel audit lines match ({dropped} dropped by the "
              f"rate limit), {len(local)} local kernel denials")


def parse_lsm_block(block):
    vals = {}
    for line in block["lines"]:
        path, sep, val = line.partition(":")
        if sep:
            vals.setdefault(path.rsplit("/", 1)[-1], []).append(val.strip())
    return vals


# Between the first stats snapshot and the kernel read, the first policyctl
# exits; it held no secure-world state, so its exit stays in the kernel
# (issue 9: only exits of processes the secure world holds state for are
# sent) and both snapshots must agree with the kernel exactly.
FIRST_SNAPSHOT_DELTA = {}


def compare_counters(lab, kernel, sw, delta, problems):
    """kernel - secure == delta (default 0) for every COUNTER_PAIRS entry."""
    for sw_key, (k_file, k_get) in COUNTER_PAIRS.items():
        kv = kernel.get(k_file)
        if sw_key.startswith("per_hook."):
            swv = sw.get("per_hook", {}).get(sw_key.split(".", 1)[1], 0)
        else:
            swv = sw.get(sw_key)
        if kv is None or swv is None:
            problems.append(f"{lab}: missing secure {sw_key} or kernel {k_file}")
            continue
        kval = k_get(kv)
        if kval - swv != delta.get(sw_key, 0):
            extra = f" (expected kernel = secure + {delta[sw_key]})" if sw_key in delta else ""
            problems.append(f"{lab}: secure {sw_key}={swv} but kernel {k_file}={kval}{extra}")


def check_counters(rep, blocks):
    """Blocks per label L: stats L.s1, lsm L, stats L.s2 (guest/cases.sh)."""
    problems, labels = [], sorted({lab for (k, lab) in blocks if k == "lsm"})
    if not labels:
        rep.check("counters", ["no securityfs counter block in the guest output"])
        return
    if not COUNTER_PAIRS:
        problems.append("no kernel/secure counter pairs known to compare")
    for lab in labels:
        k = parse_lsm_block(blocks[("lsm", lab)])
        for snap, delta in ((".s2", {}), (".s1", FIRST_SNAPSHOT_DELTA)):
            blk = blocks.get(("stats", lab + snap))
            stats = json_lines(blk) if blk else []
            if not stats:
                problems.append(f"{lab}{snap}: no 'policyctl stats' output")
                continue
            if blk["rc"] != 0:
                problems.append(f"{lab}{snap}: 'policyctl stats' exited with {blk['rc']}")
            compare_counters(f"{lab}{snap}", k, stats[-1], delta, problems)
    rep.check("counters", problems, ", ".join(labels))


def check_kernel(rep, text, blocks, need_block):
    problems = []
    dm = blocks.get(("dmesg", "final"))
    if dm is None and need_block:
        problems.append("no kernel log block in the guest output")
    sources = [("console", text.splitlines())]
    if dm:
        sources.append(("dmesg", dm["lines"]))
    for name, lines in sources:
        for line in lines:
            if KERNEL_BAD.search(line):
                problems.append(f"{name}: {line.strip()}")
    rep.check("kernel", problems[:20])


def final_nonce(linux_text):
    """HEX of the last "E2E-END nonce=HEX" line of the guest, or None."""
    nonce = None
    for raw in linux_text.splitlines():
        m = FINAL_NONCE_RE.search(strip_console(raw))
        if m:
            nonce = m.group(2).lower()
    return nonce


def secure_alive_problems(secure_text, linux_text):
    """A quiet secure log proves nothing: the secure console must have
    answered the guest's final report request (its clock may have been
    gated, or the secure world stopped, before the normal world did)."""
    nonce = final_nonce(linux_text)
    if nonce is None:
        return ["the guest printed no final 'E2E-END nonce=HEX' line: nothing "
                "shows the secure console was alive at the end"]
    if not nonce:
        return ["the guest's final 'E2E-END nonce=' line has an empty nonce"]
    answered = {m.group(1).lower() for m in SECURE_REPORT_RE.finditer(secure_text)}
    if nonce not in answered:
        return [f"the secure log ends before the normal world does: no "
                f"'[tzucon] report nonce={nonce}' for the guest's final nonce"]
    return []


def check_secure(rep, path, linux_text):
    if not path:
        return
    with open(path, errors="replace") as f:
        text = f.read()
    problems = [l.strip() for l in text.splitlines() if SECURE_BAD.search(l)]
    if not text.strip():
        problems.append("secure console is empty")
    else:
        problems += secure_alive_problems(text, linux_text)
    rep.check("secure", problems[:20])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--linux-log", required=True)
    ap.add_argument("--secure-log")
    ap.add_argument("--expect", required=True)
    ap.add_argument("--qemu-rc-file", help="file holding the launcher's exit status")
    ap.add_argument("--only", choices=CHECKS, action="append",
                    help="run only this check (repeatable)")
    ap.add_argument("--kernel-log", choices=["block", "console"], default="block",
                    help="where the full kernel log is: a dmesg block printed by "
                    "the guest (quiet console), or the console itself")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    try:
        exp = parse_expect(args.expect)
        with open(args.linux_log, errors="replace") as f:
            text = f.read()
    except (OSError, ValueError) as e:
        print(f"check_e2e: error: {e}", file=sys.stderr)
        return 2
    qemu_rc = None
    if args.qemu_rc_file:
        try:
            with open(args.qemu_rc_file) as f:
                qemu_rc = int(f.read().strip() or "-1")
        except (OSError, ValueError):
            qemu_rc = -1
    rep = Report()
    only = set(args.only or CHECKS)
    lines, blocks, done = parse_log(text)
    if "run" in only:
        check_run(rep, lines, done, qemu_rc)
    seen = check_cases(rep if "cases" in only else Report.quiet(), lines, exp)
    if "audit" in only:
        check_audit(rep, blocks, seen, exp)
    if "counters" in only:
        check_counters(rep, blocks)
    if "kernel" in only:
        check_kernel(rep, text, blocks, args.kernel_log == "block")
    if "secure" in only:
        check_secure(rep, args.secure_log, text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rep.results, f, indent=1)
    print(f"check_e2e: {'FAILED: ' + ', '.join(rep.failures) if rep.failures else 'all checks passed'}")
    return 1 if rep.failures else 0


if __name__ == "__main__":
    sys.exit(main())
