# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# judge.py - reads one experiment boot's console log and judges every trial: prevented, detected, missed.
"""Parsing and judging for scripts/experiment (no I/O besides what callers pass in).

A boot's Linux console (experiments/runner/guest/tzx-lib.sh) holds, per
trial, the TZX begin/snap/result/@iwait/snap/end lines; at the end the
drained audit log, the signed report and "TZX done". parse_log() turns
that into a Boot; judge_trial() decides one trial:

  prevented  effect=0, denied=1: a step was refused before the effect
             (prevented_by: secure = the secure world's counters or audit
             show a refusal in the trial, other = the kernel or the design)
  detected   effect=1 and the secure world noticed, by a method the
             scenario names in "detect": integrity (a new measurement
             mismatch; latency from e2e_integrity's wait), heartbeat (the
             heartbeat_lost flag; latency), decision (a deny decision
             recorded in the trial: permissive mode lets it through but
             decides and audits it in line, so there is no latency),
             flag:NAME (a TZU_SF_* flag in the stats, set at boot),
             audit:KIND (a secure audit record of that kind in the trial)
  missed     effect=1 and none of them
  no-effect  effect=0, denied=0: the attack did not work for another reason
  error      no result line (program broken, boot cut short)
"""
import json
import re

OUTCOMES = ("prevented", "detected", "missed", "no-effect", "error")

# Columns of trials.csv, in order (one row per scenario x variant x trial).
COLUMNS = ("run", "boot", "variant", "attacker", "mode", "scenario", "goal", "trial",
           "effect", "denied", "errno", "note", "outcome", "prevented_by",
           "detected_by", "latency_ms", "expected", "expected_ok", "predicted",
           "predicted_ok", "audit_recorded", "audit_records", "report_covers",
           "chain_ok", "boot_complete", "duration_s", "after_taint", "integrity_pre")

# Secure-world records that come with any boot, not with an attack (a
# heartbeat record only while it reports no degradation).
BACKGROUND_KINDS = {"heartbeat", "kregister", "baseline"}


class Trial:
    def __init__(self, sid, n):
        self.id = sid
        self.trial = n
        self.pre = {}
        self.post = {}
        self.ipre = {}
        self.ipost = {}
        self.result = None      # dict of the TZX result line's fields
        self.iwait = None       # dict of the @iwait line after the result
        self.rc = None          # the end line's rc (None: the trial never ended)
        self.t_begin = None     # guest uptime (s) at begin and end
        self.t_end = None
        self.lines = []


class Boot:
    def __init__(self):
        self.info = {}
        self.setup = {}
        self.trials = []
        self.bench = {}
        self.audit = []
        self.audit_lines = []
        self.report_hex = ""
        self.nonce = None
        self.sealed = None
        self.bench_rc = None

    @property
    def complete(self):
        return self.nonce is not None


def kv(text):
    """key=value words of a line (values without spaces)."""
    return dict(m.groups() for m in re.finditer(r"(\w+)=(\S*)", text))


def _num(v):
    try:
        return int(v, 0) if isinstance(v, str) else v
    except ValueError:
        try:
            return float(v)
        except ValueError:
            return v


def parse_log(text):
    """A Boot from a console log (CR and scripts' prefixes tolerated)."""
    boot = Boot()
    cur = None
    last_snap = None
    block = None
    for raw in text.replace("\r", "").split("\n"):
        line = raw.rstrip()
        if block is not None:
            if line == f"TZX-END {block}":
                block = None
            elif block == "audit":
                boot.audit_lines.append(line)
            elif block == "report" and re.fullmatch(r"[0-9a-f ]+", line.strip() or "x"):
                boot.report_hex += "".join(line.split())
            continue
        if line.startswith("TZX-BEGIN "):
            block = line.split()[1]
            continue
        if line.startswith("TZX boot "):
            boot.info = kv(line)
        elif line.startswith("TZX sealed"):
            boot.sealed = line[len("TZX sealed"):].strip()
        elif line.startswith("TZX setup "):
            w = line.split()
            boot.setup[w[2]] = _num(kv(line).get("rc", "-1"))
        elif line.startswith("TZX begin "):
            f = kv(line)
            cur = Trial(f.get("id"), _num(f.get("trial", "0")))
            cur.t_begin = _num(f.get("uptime", ""))
            boot.trials.append(cur)
            last_snap = None
        elif line.startswith("TZX snap ") and cur is not None:
            f = kv(line.split("{", 1)[0])
            brace = line.find("{")
            try:
                snap = json.loads(line[brace:]) if brace >= 0 else {}
            except json.JSONDecodeError:
                snap = {}
            last_snap = f.get("at")
            if last_snap == "pre":
                cur.pre = snap
            else:
                cur.post = snap
        elif line.startswith("@istatus") and cur is not None and last_snap:
            st = {k: _num(v) for k, v in kv(line).items()}
            if last_snap == "pre":
                cur.ipre = st
            else:
                cur.ipost = st
            last_snap = None
        elif line.startswith("TZX result ") and cur is not None:
            cur.result = {k: _num(v) for k, v in kv(line).items()}
            cur.result["note"] = kv(line).get("note", "")
        elif line.startswith("TZX noresult ") and cur is not None:
            cur.result = None
        elif line.startswith("@iwait") and cur is not None and cur.result is not None \
                and cur.iwait is None:
            cur.iwait = {k: _num(v) for k, v in kv(line).items()}
        elif line.startswith("TZX end ") and cur is not None:
            cur.rc = _num(kv(line).get("rc", "-1"))
            cur.t_end = _num(kv(line).get("uptime", ""))
            cur = None
        elif line.startswith("TZX bench end "):
            boot.bench_rc = _num(kv(line).get("rc", "-1"))
        elif line.startswith("BENCH "):
            f = kv(line)
            boot.bench[line.split()[1]] = _num(f.get("ns_per_op", "0"))
        elif line.startswith("TZX done "):
            boot.nonce = kv(line).get("nonce")
        if cur is not None and line.startswith("  "):
            cur.lines.append(line)
    for l in boot.audit_lines:
        try:
            rec = json.loads(l)
        except json.JSONDecodeError:
            continue
        if "index" in rec:
            boot.audit.append(rec)
    return boot


def record_label(rec):
    """A short name for an audit record: kind (secure events) or hook:verdict."""
    if "kind" in rec:
        return f"{rec['kind']}:{rec.get('status', '')}".rstrip(":")
    return f"{rec.get('hook_name', rec.get('hook'))}:{rec.get('verdict_name', rec.get('verdict'))}"


def trial_records(boot, tr):
    """The audit records appended during the trial: indexes from the stats'
    audit_records before up to after (the secure world's own count)."""
    a0, a1 = tr.pre.get("audit_records"), tr.post.get("audit_records")
    if not isinstance(a0, int) or not isinstance(a1, int):
        return []
    return [r for r in boot.audit if a0 <= r["index"] < a1]


def _delta(tr, key):
    a, b = tr.pre.get(key), tr.post.get(key)
    return b - a if isinstance(a, int) and isinstance(b, int) else 0


def _background(rec):
    """A record any boot makes (registration, a healthy heartbeat)."""
    if rec.get("kind") == "heartbeat":
        return not rec.get("detail", {}).get("degraded_by")
    return rec.get("kind") in BACKGROUND_KINDS


def _is_deny(rec):
    return "kind" not in rec and (rec.get("verdict_name") == "deny" or rec.get("verdict") == 1)


def detection(boot, tr, methods):
    """(method, latency_ms or None) of the first method that fired, else (None, None)."""
    recs = trial_records(boot, tr)
    for m in methods:
        if m in ("integrity", "heartbeat"):
            if tr.iwait and tr.iwait.get("ok") == 1:
                lat = tr.iwait.get("latency_ms")
                return m, float(lat) if isinstance(lat, (int, float)) else None
            if m == "integrity" and isinstance(tr.ipre.get("mismatches"), int) and \
                    isinstance(tr.ipost.get("mismatches"), int) and \
                    tr.ipost["mismatches"] > tr.ipre["mismatches"]:
                return m, None
        elif m == "decision":
            if _delta(tr, "permissive_denials") > 0 or any(_is_deny(r) for r in recs):
                return m, None
        elif m.startswith("flag:"):
            if m[5:] in tr.post.get("flags", []):
                return m, None
        elif m.startswith("audit:"):
            if any(r.get("kind") == m[6:] for r in recs):
                return m, None
    return None, None


def secure_refused(boot, tr):
    """Did the secure world refuse something during the trial?"""
    keys = ("denied", "auth_failures", "policy_rejects")
    if any(_delta(tr, k) > 0 for k in keys):
        return True
    return any(_is_deny(r) or r.get("kind") == "auth_refused" or
               (r.get("kind") and r.get("status") not in (None, "ok"))
               for r in trial_records(boot, tr))


def expectation(scn, variant):
    """The scenario's expected outcome(s) under a variant: a set."""
    exp = scn.get("expect", {})
    v = exp.get(variant.get("id"), exp.get(variant.get("attacker_expect", ""), exp.get("default")))
    if v is None:
        return set()
    return set(v.split("|"))


def judge_trial(boot, tr, scn, variant, chain):
    """One row (dict keyed by COLUMNS, minus run/boot) for a parsed trial.
    chain: {"ok": bool, "next_index": int or None} from the report check."""
    row = {"variant": variant["id"], "attacker": variant.get("attacker", "root"),
           "mode": variant.get("mode", "enforce"), "scenario": scn["id"],
           "goal": scn.get("goal", ""), "trial": tr.trial,
           "boot_complete": int(boot.complete)}
    r = tr.result
    prevented_by = detected_by = latency = ""
    if r is None or "effect" not in r:
        outcome = "error"
        row.update(effect="", denied="", errno="", note="no_result")
    else:
        row.update(effect=r.get("effect"), denied=r.get("denied"), errno=r.get("errno"),
                   note=r.get("note", ""))
        if r.get("effect") == 1:
            m, lat = detection(boot, tr, scn.get("detect", ["decision"]))
            if m:
                outcome, detected_by = "detected", m
                latency = "" if lat is None else round(lat, 3)
            else:
                outcome = "missed"
        elif r.get("denied") == 1:
            outcome = "prevented"
            prevented_by = "secure" if secure_refused(boot, tr) else "other"
        else:
            outcome = "no-effect"
    recs = trial_records(boot, tr)
    relevant = [x for x in recs if not _background(x)]
    labels = {}
    for x in relevant:
        labels[record_label(x)] = labels.get(record_label(x), 0) + 1
    covered = bool(relevant) and chain.get("ok") and isinstance(chain.get("next_index"), int) \
        and max(x["index"] for x in relevant) < chain["next_index"]
    exp = expectation(scn, variant)
    dur = ""
    if isinstance(tr.t_begin, float) and isinstance(tr.t_end, float):
        dur = round(tr.t_end - tr.t_begin, 2)
    row.update(duration_s=dur, integrity_pre=tr.pre.get("integrity", ""), outcome=outcome, prevented_by=prevented_by, detected_by=detected_by,
               latency_ms=latency, expected="|".join(sorted(exp)),
               expected_ok=("" if not exp else int(outcome in exp)),
               predicted="", predicted_ok="",
               audit_recorded=int(bool(relevant)),
               audit_records=";".join(f"{k}x{v}" for k, v in sorted(labels.items())),
               report_covers=int(bool(covered)), chain_ok=int(bool(chain.get("ok"))))
    return row


def judge_boot(boot, plan, scenarios, variant, chain):
    """Rows for every trial the boot's plan asked for (a trial that never
    ran, e.g. after a crash, is an error row: nothing is dropped)."""
    rows = []
    seen = {(t.id, t.trial): t for t in boot.trials}
    taint = ""
    for sid, n in plan:
        tr = seen.get((sid, n)) or Trial(sid, n)
        row = judge_trial(boot, tr, scenarios[sid], variant, chain)
        # a tainting scenario whose attack worked changed the state the
        # later trials of other scenarios in this boot run in: they say
        # after which (its own later trials are meant to follow it: the
        # cleanup restores what it changed, the counters still count)
        row["after_taint"] = taint if not taint.startswith(sid + "#") else ""
        rows.append(row)
        if scenarios[sid].get("taints") and row.get("effect") == 1 and not taint:
            taint = f"{sid}#{n}"
    return rows


def degradations(boot):
    """[(index, what, trial)]: every record of the secure world lowering
    the integrity state (heartbeat records with degraded_by, integrity
    records), with the trial it fell in ("" before the first)."""
    out = []
    for r in boot.audit:
        what = ""
        if r.get("kind") == "heartbeat" and r.get("detail", {}).get("degraded_by"):
            what = ",".join(r["detail"]["degraded_by"])
        elif r.get("kind") == "integrity" and r.get("detail", {}).get("state") in \
                ("degraded", "violated"):
            what = "state " + r["detail"]["state"]
        if not what:
            continue
        where = ""
        for t in boot.trials:
            a0, a1 = t.pre.get("audit_records"), t.post.get("audit_records")
            if isinstance(a0, int) and isinstance(a1, int) and a0 <= r["index"] < a1:
                where = f"{t.id}#{t.trial}"
        out.append((r["index"], what, where))
    return out


def write_csv(path, rows):
    import csv
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in COLUMNS})


def counts(rows):
    """{outcome: n} over rows."""
    c = {o: 0 for o in OUTCOMES}
    for r in rows:
        c[r["outcome"]] = c.get(r["outcome"], 0) + 1
    return c


def cell(rows):
    """The outcome matrix cell of one scenario x variant: the outcome of
    all trials if they agree, else 'mixed:a/b'."""
    outs = sorted({r["outcome"] for r in rows})
    return outs[0] if len(outs) == 1 else "mixed:" + "/".join(outs)


def findings(rows, boots_incomplete=()):
    """Every disagreement as a list of strings: expectation vs measurement,
    analyzer vs measurement, unverified audit, incomplete boots."""
    out = []
    groups = {}
    for r in rows:
        groups.setdefault((r["scenario"], r["variant"]), []).append(r)
    for (s, v), rs in sorted(groups.items()):
        c = cell(rs)
        bad = [r for r in rs if r.get("expected_ok") == 0]
        if bad:
            out.append(f"expectation: {s} under {v}: expected {rs[0]['expected']}, "
                       f"measured {c} ({len(bad)} of {len(rs)} trials)")
        pbad = [r for r in rs if r.get("predicted_ok") == 0]
        if pbad:
            out.append(f"analyzer: {s} under {v}: predicted {rs[0]['predicted']}, "
                       f"measured {c}")
        if any(r["outcome"] == "detected" and not r.get("audit_recorded") for r in rs):
            out.append(f"audit: {s} under {v}: detected but no audit record in the trial")
        if any(r.get("after_taint") for r in rs):
            out.append(f"taint: {s} under {v} ran after {rs[0]['after_taint']} had its effect "
                       "(the state it ran in was changed)")
        if any(r.get("audit_recorded") and not r.get("report_covers") for r in rs):
            out.append(f"report: {s} under {v}: audit records not covered by a verified "
                       "signed report")
    for b in boots_incomplete:
        out.append(f"boot: {b} did not reach its last step (TZX done)")
    return out
