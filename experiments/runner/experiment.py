#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# experiment.py - scripts/experiment: plans the boots of a scenario suite across policy variants, runs them in QEMU in parallel, judges, writes results.
"""Run the scenario suite across policy variants on the emulated ZC702.

  scripts/experiment [-j N] [--scenarios A,B,..] [--variants X,Y,..]
                     [--trials N] [--out DIR | --resume DIR] [--fresh]
                     [--no-kernel-build] [--no-setup] [--bench-iters N] [--list]
                     [--strict]

First scripts/setup installs what is missing (--no-setup: not).

Scenarios: experiments/scenarios/*.json; variants: experiments/variants/
*.json (docs/experiments.md has both formats). The plan: per variant one
boot with every non-tainting scenario (all their trials in a row), and one
boot per tainting scenario (an integrity violation is sticky until the
next boot). Boots are independent and run N at a time (-j, default the
number of cores).

Results in DIR (default results/<YYYYMMDD>-<commit>/): boots/<boot>/
(console logs, the generated guest script, trials.json once judged),
trials.csv and trials.json (one row per scenario x variant x trial), meta.json
(commit, QEMU version, kernel/secure image/manifest/policy digests),
matrix.md, findings.md (every disagreement), plots/*.png (gnuplot).
A run that stopped half-way resumes where it stopped: boots already judged
are kept (--resume DIR, or automatically when the default DIR exists with
the same plan; --fresh starts over).
"""
import argparse
import concurrent.futures
import datetime
import fnmatch
import hashlib
import json
import os
import shlex
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import judge  # noqa: E402
import report  # noqa: E402

BASE_BOOTARGS = "console=ttyPS0,115200 rdinit=/init panic=-1"
BOOT_OVERHEAD_S = 25        # boot to rc, setup, final report (estimate)
PLACEHOLDERS = {"bin": "/e2e/bin", "mod": "/e2e/modules", "xbin": "/tzx/bin",
                "xmod": "/tzx/modules", "pol": "/tzx/policies", "keys": "/tzx/keys",
                "map": "/tzx/System.map"}
# the allow-listed module of every variant: tests/e2e's benign module
ALLOWED_MODULE = "e2e_mod_allowed.ko"
EXAMPLE_DIGEST = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


class Error(Exception):
    pass


def load_dir(path):
    out = {}
    for name in sorted(os.listdir(path)):
        if not name.endswith(".json"):
            continue
        p = os.path.join(path, name)
        try:
            with open(p) as f:
                d = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            raise Error(f"{p}: {e}") from e
        if d.get("id") != name[:-5]:
            raise Error(f"{p}: id '{d.get('id')}' must equal the file name")
        out[d["id"]] = d
    return out


def check_scenario(s):
    need = ("id", "title", "attacker", "goal", "events", "run", "taints", "trials", "expect")
    miss = [k for k in need if k not in s]
    if miss:
        raise Error(f"scenario {s.get('id')}: missing {', '.join(miss)}")
    if not isinstance(s["run"], list) or not s["run"]:
        raise Error(f"scenario {s['id']}: run must be a non-empty argv list")
    if s["taints"] not in (True, False, "on-effect"):
        raise Error(f"scenario {s['id']}: taints must be true, false or \"on-effect\"")
    for v in s["expect"].values():
        if not set(v.split("|")) <= set(judge.OUTCOMES):
            raise Error(f"scenario {s['id']}: unknown outcome in '{v}'")


def pick(items, patterns):
    """Items matching the comma-separated globs; "!GLOB" excludes."""
    if not patterns:
        return list(items)
    pats = patterns.split(",")
    inc = [p for p in pats if not p.startswith("!")] or ["*"]
    exc = [p[1:] for p in pats if p.startswith("!")]
    for p in inc + exc:
        if not any(fnmatch.fnmatch(i, p) for i in items):
            raise Error(f"'{p}' matches nothing (in '{patterns}')")
    got = [i for i in items if any(fnmatch.fnmatch(i, p) for p in inc)
           and not any(fnmatch.fnmatch(i, p) for p in exc)]
    if not got:
        raise Error(f"nothing matches '{patterns}'")
    return got


def applies(scn, variant):
    """A scenario runs under a variant unless it names the variants it needs
    ("variants": [...globs]) or the attacker models it needs."""
    pats = scn.get("variants")
    if pats and not any(fnmatch.fnmatch(variant["id"], p) for p in pats):
        return False
    return True


def taints(scn, variant):
    """"own" (a boot of its own), "on-effect" (the end of the group boot)
    or "no". A tainting attack taints only through its effect: where its
    vehicle is expected to be refused before it touches the kernel
    (expectation exactly "prevented", e.g. the module gate refusing the
    patching module), it runs at the group's end as on-effect, and if it
    had its effect after all, the trials after it are marked and listed."""
    t = scn["taints"]
    if t is True:
        if judge.expectation(scn, variant) == {"prevented"} and not scn.get("bootargs"):
            return "on-effect"
        return "own"
    return "on-effect" if t == "on-effect" else "no"


def subst(word, sid, trial):
    for k, v in PLACEHOLDERS.items():
        word = word.replace("{" + k + "}", v)
    return word.replace("{id}", sid).replace("{trial}", str(trial))


def plan_boots(scenarios, variants, trials_cap, bench=True):
    """[(boot_id, variant, [scenario ids], extra bootargs)]. The
    microbenchmark has boots of its own: its burst of SMCs can trip the
    secure world's timer checks (integrity degraded), which must not
    change what the scenarios run in."""
    boots = []
    for v in variants:
        if bench:
            boots.append((f"{v['id']}__bench", v, [], ""))
        # on-effect scenarios taint only if their attack worked: at the end
        # of the group boot, and the judge marks every trial after an effect
        group = [s for s in scenarios.values() if applies(s, v) and taints(s, v) != "own"]
        group.sort(key=lambda s: (taints(s, v) == "on-effect", s.get("order", 50), s["id"]))
        if group:
            boots.append((f"{v['id']}__group", v, [s["id"] for s in group], ""))
        for s in sorted((s for s in scenarios.values() if applies(s, v) and taints(s, v) == "own"),
                        key=lambda s: s["id"]):
            boots.append((f"{v['id']}__{s['id']}", v, [s["id"]], s.get("bootargs", "")))
    return boots


def ntrials(scn, cap):
    return max(1, min(scn["trials"], cap)) if cap else scn["trials"]


def rc_script(boot_id, variant, sids, scenarios, cap, bench_iters):
    """The guest's /etc/tzucon/rc for one boot."""
    L = ["#!/bin/sh", f"# generated by scripts/experiment: boot {boot_id}",
         ". /tzx/lib.sh", ". /tzx/wrap.sh",
         f"TZX_MODE={variant.get('mode', 'enforce')}",
         f"TZX_POLICY={int(bool(variant.get('policies')))}",
         f"tzx_start {variant['id']} {boot_id}"]
    if variant.get("policies"):
        L.append("tzx_step load policyctl load /tzx/policies/variant.blob")
    if boot_id.endswith("__bench"):
        if variant.get("policies"):
            # the key reads of the benchmark must stay permitted
            L.append("tzx_step bench.quota policyctl attr key_quota set 1000000000 $ADMIN")
        if variant.get("mode") == "permissive":
            L.append("tzx_step mode policyctl mode permissive $ADMIN")
        L += ["tzx_step status policyctl status --json", f"tzx_bench {bench_iters}",
              "tzx_step status.after policyctl status --json", "tzx_finish"]
        return "\n".join(L) + "\n"
    for st in variant.get("setup", []):
        L.append(f"tzx_step {shlex.quote(st['name'])} policyctl " +
                 " ".join(shlex.quote(w) for w in st["policyctl"]) + " $ADMIN")
    if variant.get("mode") == "permissive":
        L.append("tzx_step mode policyctl mode permissive $ADMIN")
    L.append("tzx_step status policyctl status --json")
    for sid in sids:
        s = scenarios[sid]
        for t in range(1, ntrials(s, cap) + 1):
            argv = " ".join(shlex.quote(subst(w, sid, t)) for w in s["run"])
            cln = " ".join(subst(w, sid, t) for w in s.get("cleanup", [])) or "-"
            det = s.get("detect", ["decision"])[0]
            tmo = int(s.get("detect_timeout_ms", 5000))
            L.append(f"tzx_trial {sid} {t} {det} {tmo} {shlex.quote(cln)} -- {argv}")
    L.append("tzx_finish")
    return "\n".join(L) + "\n"


def estimate_s(sids, scenarios, cap):
    if not sids:
        return BOOT_OVERHEAD_S + 20     # a benchmark boot
    return BOOT_OVERHEAD_S + sum(ntrials(scenarios[s], cap) * scenarios[s].get("est_s", 3)
                                 for s in sids)


def policy_spec(variant, scenarios):
    """The tests/e2e/make-policies spec of a variant: its shipped policies
    merged (rule ids offset by 100 per file), the lab's allow-listed module
    measured in, for the kernel attacker model every attack module too, and
    the blobs the forged-blob scenarios load (another key, another device,
    a corrupted signature, an older version)."""
    files = variant.get("policies") or ["no-wx-memory.json"]
    spec = {"policy": "variant", "version": 100,
            "description": f"experiment variant {variant['id']}: " + ", ".join(files),
            "merge": [{"file": f, "id_offset": 100 * (i + 1)} for i, f in enumerate(files)],
            "replace": {EXAMPLE_DIGEST: f"@sha256:module:{ALLOWED_MODULE}@"},
            "variants": {"attack-old": {"version": 99},
                         "attack-badsig": {"corrupt": "variant"},
                         "attack-foreign": {"version": 150, "foreign_key": True},
                         "attack-otherdev": {"version": 151,
                                             "device": "00112233445566778899aabbccddeeff"}}}
    if "crypto-keys.json" in files and "kernel-integrity.json" in files:
        spec["fold"] = [{"from": "record-key-owner", "into": "key-usage-session"}]
    if variant.get("attacker") == "kernel" and "module-allowlist.json" in files:
        mods = sorted({m for s in scenarios.values() for m in s.get("modules", [])})
        spec["add_to_set"] = [
            {"rule": r, "contains": EXAMPLE_DIGEST,
             "add": [f"@sha256:module:{m}@" for m in mods]}
            for r in ("deny-unlisted-module-file", "deny-unlisted-module-data")]
    return spec


def git(*args):
    r = subprocess.run(["git", "-C", REPO, *args], capture_output=True, text=True)
    return r.stdout.strip()


def read_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            env[k] = v
    return env


def verify_chain(boot, bdir, env):
    """The drained log and the signed report, checked on the host with the
    host policyctl: the report's signature and nonce (verify-report), then
    the log's hash chain up to the report's audit head (audit --verify)."""
    out = {"ok": False, "next_index": None, "problem": ""}
    if not boot.complete or not boot.report_hex:
        out["problem"] = "no report"
        return out
    rep = os.path.join(bdir, "report.bin")
    with open(rep, "wb") as f:
        f.write(bytes.fromhex(boot.report_hex))
    log = os.path.join(bdir, "drain.jsonl")
    with open(log, "w") as f:
        f.write("\n".join(boot.audit_lines) + "\n")
    pc, pub = env["HOST_POLICYCTL"], env["DEVICE_PUB"]
    r = subprocess.run([pc, "verify-report", rep, "--device-pub", pub, "--nonce",
                        boot.nonce, "--json"], capture_output=True, text=True)
    try:
        rj = json.loads(r.stdout)
    except json.JSONDecodeError:
        rj = {}
    out["report"] = rj
    if r.returncode != 0:
        out["problem"] = f"verify-report exit {r.returncode}: {r.stderr.strip()[:200]}"
        return out
    out["next_index"] = rj.get("audit_next_index")
    a = subprocess.run([pc, "audit", "--verify", log, "--report", rep, "--device-pub", pub],
                       capture_output=True, text=True)
    out["ok"] = a.returncode == 0
    if a.returncode != 0:
        out["problem"] = f"audit --verify exit {a.returncode}: {(a.stdout + a.stderr).strip()[:300]}"
    return out


class Progress:
    def __init__(self, boots, est):
        self.n = len(boots)
        self.est = est
        self.total_est = sum(est.values())
        self.done_est = 0
        self.k = 0
        self.t0 = time.time()
        self.lock = threading.Lock()

    def line(self, what):
        el = time.time() - self.t0
        with self.lock:
            rest = "?"
            if self.done_est > 0:
                rate = el / self.done_est
                rest = f"{(self.total_est - self.done_est) * rate:.0f} s"
            print(f"[experiment {self.k}/{self.n} boots, {el:.0f} s elapsed, ~{rest} left] "
                  f"{what}", flush=True)

    def finish(self, bid, skipped=False):
        with self.lock:
            self.k += 1
            if skipped:     # judged earlier: not part of this run's pace
                self.total_est -= self.est[bid]
            else:
                self.done_est += self.est[bid]
        self.line(f"{bid} {'(kept from the earlier run)' if skipped else 'judged'}")


def run_boot(out, bid, variant, sids, extra, scenarios, args, env, progress):
    bdir = os.path.join(out, "boots", bid)
    done = os.path.join(bdir, "trials.json")
    cap = args.trials
    plan = [(s, t) for s in sids for t in range(1, ntrials(scenarios[s], cap) + 1)]
    rc = rc_script(bid, variant, sids, scenarios, cap, args.bench_iters)
    # kept on resume only if the same guest script would run on the same
    # images with the same harness
    h = hashlib.sha256(rc.encode())
    for k in ("KERNEL_SHA256", "SECURE_SHA256", "MANIFEST_SHA256", "BASE_INITRAMFS_SHA256"):
        h.update(env.get(k, "").encode())
    for f in ("tzx-lib.sh", "wrap.sh"):
        with open(os.path.join(HERE, "guest", f), "rb") as fh:
            h.update(fh.read())
    digest = h.hexdigest()
    if os.path.exists(done):
        with open(done) as f:
            prev = json.load(f)
        if prev.get("plan_sha256") == digest:
            progress.finish(bid, skipped=True)
            return prev
    os.makedirs(bdir, exist_ok=True)
    rc_path = os.path.join(bdir, "rc.sh")
    with open(rc_path, "w") as f:
        f.write(rc)
    os.chmod(rc_path, 0o755)
    bootargs = " ".join(x for x in (BASE_BOOTARGS, variant.get("bootargs", ""), extra,
                                    os.environ.get("E2E_BOOTARGS", "")) if x)
    tmo = int(estimate_s(sids, scenarios, cap) * 3 + 120)
    # two or more CPUs once the secure monitor brings up CPU1 (run-zc702's default)
    progress.line(f"{bid}: booting ({len(plan)} trials, timeout {tmo} s)")
    t0 = time.time()
    proc = subprocess.run([os.path.join(HERE, "boot.sh"), "boot", out, bdir, rc_path,
                           variant["id"], bootargs, str(tmo)], stdout=subprocess.DEVNULL)
    wall = time.time() - t0
    log = os.path.join(bdir, "linux.log")
    text = ""
    if os.path.exists(log):
        with open(log, errors="replace") as f:
            text = f.read()
    boot = judge.parse_log(text)
    chain = verify_chain(boot, bdir, env)
    rows = judge.judge_boot(boot, plan, scenarios, variant, chain)
    for r in rows:
        r["boot"] = bid
    res = {"boot": bid, "variant": variant["id"], "plan_sha256": digest, "wall_s": round(wall, 1),
           "complete": boot.complete, "setup": boot.setup, "bench": boot.bench,
           "bench_rc": boot.bench_rc,
           "chain": {k: v for k, v in chain.items() if k != "report"},
           "report": chain.get("report", {}), "info": boot.info,
           "degradations": judge.degradations(boot),
           "qemu_rc": qemu_rc(bdir), "boot_sh_rc": proc.returncode, "rows": rows}
    if proc.returncode != 0:
        # not kept: a resume runs this boot again
        res["complete"] = False
        progress.finish(bid)
        progress.line(f"{bid}: boot.sh failed (exit {proc.returncode}); its trials are errors")
        return res
    with open(done + ".tmp", "w") as f:
        json.dump(res, f, indent=1)
    os.replace(done + ".tmp", done)
    progress.finish(bid)
    return res


def qemu_rc(bdir):
    try:
        with open(os.path.join(bdir, "qemu.rc")) as f:
            return f.read().strip()
    except OSError:
        return "none"


def report_only(out, args, scenarios, vlist, boots):
    """The outputs again from boots/*/trials.json (no build, no boot)."""
    if not args.resume:
        print("experiment: error: --report-only needs --resume DIR", file=sys.stderr)
        return 2
    env = read_env(os.path.join(out, "build.env"))
    if args.analyzer:
        env["ANALYZER"] = os.path.abspath(args.analyzer)
    if args.models:
        env["MODELS_DIR"] = os.path.abspath(args.models)
    with open(os.path.join(out, "meta.json")) as f:
        meta = json.load(f)
    results = []
    bdir = os.path.join(out, "boots")
    for bid in sorted(os.listdir(bdir)):
        p = os.path.join(bdir, bid, "trials.json")
        if os.path.exists(p):
            with open(p) as f:
                res = json.load(f)
            # judged again from the console, so a fixed judge applies
            vmap = {v["id"]: v for v in vlist}
            plan = [(r["scenario"], r["trial"]) for r in res["rows"]]
            if res["variant"] in vmap and all(sid in scenarios for sid, _ in plan):
                with open(os.path.join(bdir, bid, "linux.log"), errors="replace") as f:
                    boot = judge.parse_log(f.read())
                res["rows"] = judge.judge_boot(boot, plan, scenarios, vmap[res["variant"]],
                                               res["chain"])
                for r in res["rows"]:
                    r["boot"] = bid
            results.append(res)
        else:
            print(f"experiment: {bid} was not judged in {out}", file=sys.stderr)
    seen_s = {r["scenario"] for res in results for r in res["rows"]}
    seen_v = {res["variant"] for res in results}
    meta["report_command"] = " ".join(shlex.quote(a) for a in sys.argv)
    rows, fs = report.write_all(out, meta, results,
                                {k: v for k, v in scenarios.items() if k in seen_s},
                                {v["id"]: v for v in vlist if v["id"] in seen_v}, env)
    print(f"experiment: outputs rewritten from {len(results)} boots: " +
          ", ".join(f"{k} {v}" for k, v in judge.counts(rows).items()) + f"; {len(fs)} findings")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-j", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--scenarios", default="")
    ap.add_argument("--variants", default="")
    ap.add_argument("--trials", type=int, default=0, help="at most N trials per scenario")
    ap.add_argument("--out")
    ap.add_argument("--resume")
    ap.add_argument("--fresh", action="store_true")
    ap.add_argument("--no-kernel-build", action="store_true")
    ap.add_argument("--no-setup", action="store_true",
                    help="do not run scripts/setup (which installs what is missing) first")
    ap.add_argument("--bench-iters", type=int, default=200,
                    help="microbenchmark iterations in each variant's benchmark boot "
                    "(0: no benchmark boots)")
    ap.add_argument("--list", action="store_true", help="print the plan and exit")
    ap.add_argument("--report-only", action="store_true",
                    help="with --resume DIR: no build, no boots; write the outputs again "
                    "from the boots already judged (e.g. with --analyzer)")
    ap.add_argument("--analyzer", help="the host policyctl whose `analyze` predicts "
                    "(default: the run's own host policyctl)")
    ap.add_argument("--models", help="the attack models for the predictions "
                    "(default experiments/models)")
    ap.add_argument("--strict", action="store_true",
                    help="exit 1 on any finding (an outcome not expected, an unverified "
                    "audit trail, an incomplete boot): for CI")
    args = ap.parse_args()
    try:
        scenarios = load_dir(os.path.join(REPO, "experiments/scenarios"))
        for s in scenarios.values():
            check_scenario(s)
        variants = load_dir(os.path.join(REPO, "experiments/variants"))
        scenarios = {k: scenarios[k] for k in pick(scenarios, args.scenarios)}
        vlist = [variants[k] for k in pick(variants, args.variants)]
    except Error as e:
        print(f"experiment: error: {e}", file=sys.stderr)
        return 2
    boots = plan_boots(scenarios, vlist, args.trials, bench=args.bench_iters > 0)
    est = {b[0]: estimate_s(b[2], scenarios, args.trials) for b in boots}
    ntr = sum(ntrials(scenarios[s], args.trials) for b in boots for s in b[2])
    if args.list:
        for bid, v, sids, extra in boots:
            print(f"{bid}: {', '.join(sids)} (~{est[bid]} s)")
        print(f"{len(boots)} boots, {ntr} trials, ~{sum(est.values()) / max(1, args.j):.0f} s "
              f"at -j {args.j}")
        return 0
    commit = git("rev-parse", "--short=12", "HEAD") or "nogit"
    out = args.resume or args.out or os.path.join(
        REPO, "results", f"{datetime.date.today():%Y%m%d}-{commit}")
    if args.fresh and os.path.isdir(os.path.join(out, "boots")) and not args.resume:
        import shutil
        shutil.rmtree(os.path.join(out, "boots"))
    out = os.path.abspath(out)
    os.makedirs(os.path.join(out, "specs"), exist_ok=True)
    t0 = time.time()
    print(f"experiment: {len(scenarios)} scenarios x {len(vlist)} variants = {len(boots)} boots, "
          f"{ntr} trials, -j {args.j}, results in {out}", flush=True)
    for v in vlist:
        with open(os.path.join(out, "specs", v["id"] + ".json"), "w") as f:
            json.dump(policy_spec(v, scenarios), f, indent=1)
    if args.report_only:
        return report_only(out, args, scenarios, vlist, boots)
    if not args.no_setup and subprocess.run([os.path.join(REPO, "scripts", "setup")]).returncode:
        print("experiment: error: scripts/setup failed", file=sys.stderr)
        return 1
    cmd = [os.path.join(HERE, "boot.sh"), "build", out]
    if args.no_kernel_build:
        cmd.append("--no-kernel-build")
    if subprocess.run(cmd).returncode != 0:
        print("experiment: error: the build failed", file=sys.stderr)
        return 1
    env = read_env(os.path.join(out, "build.env"))
    if args.analyzer:
        env["ANALYZER"] = os.path.abspath(args.analyzer)
    if args.models:
        env["MODELS_DIR"] = os.path.abspath(args.models)
    print(f"experiment: built in {time.time() - t0:.0f} s", flush=True)
    progress = Progress(boots, est)
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.j)) as ex:
        futs = [ex.submit(run_boot, out, bid, v, sids, extra, scenarios, args, env, progress)
                for bid, v, sids, extra in sorted(boots, key=lambda b: -est[b[0]])]
        for fu in futs:
            try:
                results.append(fu.result())
            except OSError as e:
                print(f"experiment: a boot failed to run: {e}", file=sys.stderr)
    meta = {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain",
                                                                  "--untracked-files=no")),
            "command": " ".join(shlex.quote(a) for a in sys.argv),
            "date": datetime.datetime.now().isoformat(timespec="seconds"),
            "qemu": env.get("QEMU_VERSION"), "kernel_sha256": env.get("KERNEL_SHA256"),
            "vmlinux_sha256": env.get("VMLINUX_SHA256"), "secure_sha256": env.get("SECURE_SHA256"),
            "manifest_sha256": env.get("MANIFEST_SHA256"),
            "guest_policyctl_sha256": env.get("GUEST_POLICYCTL_SHA256"),
            "base_initramfs_sha256": env.get("BASE_INITRAMFS_SHA256"),
            "cores": os.cpu_count(), "j": args.j,
            "wall_s": round(time.time() - t0, 1), "policies": {}}
    for v in vlist:
        blob = os.path.join(out, "policies", v["id"], "blobs", "variant.blob")
        if v.get("policies") and os.path.exists(blob):
            with open(blob, "rb") as f:
                meta["policies"][v["id"]] = hashlib.sha256(f.read()).hexdigest()
    rows, fs = report.write_all(out, meta, results, scenarios, {v["id"]: v for v in vlist}, env)
    c = judge.counts(rows)
    print(f"experiment: done in {time.time() - t0:.0f} s: " +
          ", ".join(f"{k} {v}" for k, v in c.items()) + f"; {len(fs)} findings; "
          f"{out}/matrix.md, findings.md")
    planned = sum(ntrials(scenarios[s], args.trials) for b in boots for s in b[2])
    if len(rows) != planned:
        print(f"experiment: {planned - len(rows)} planned trials have no row "
              "(a boot failed to run)", file=sys.stderr)
        return 1
    if args.strict and fs:
        print("experiment: --strict: findings:\n  " + "\n  ".join(fs), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
