# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# report.py - scripts/experiment's outputs: CSV/JSON rows, the outcome matrix, analyzer predictions, findings, gnuplot plots.
import json
import os
import shutil
import subprocess

import judge

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
NOT_AVAILABLE = "analyzer not available"
# outcome -> matrix colour index (plots/outcome-matrix.png)
CODE = {"prevented": 0, "detected": 1, "missed": 2, "no-effect": 3, "error": 4}


def analyzer_available(policyctl):
    if not policyctl or not os.path.exists(policyctl):
        return False
    r = subprocess.run([policyctl, "analyze", "--help"], capture_output=True, text=True)
    return r.returncode == 0


def reachable_caps(answer, model):
    """The capabilities the attacker can reach under the analyzed policy:
    its start capabilities, then forward chaining over the model's steps
    the answer does not block (a step fires when it holds all it requires,
    and adds what it grants), as docs/attack-models.md defines firing."""
    blocked = {sid for sid, st in answer.get("prediction", {}).get("steps", {}).items()
               if st.get("blocked")}
    caps = set(answer.get("attacker", {}).get("capabilities", []))
    steps = [st for st in model.get("steps", []) if isinstance(st, dict)
             and st.get("id") not in blocked]
    grew = True
    while grew:
        grew = False
        for st in steps:
            if set(st.get("requires", [])) <= caps and not set(st.get("grants", [])) <= caps:
                caps |= set(st.get("grants", []))
                grew = True
    return caps


def prediction(answer, scn, model=None):
    """'prevented' / 'not-prevented' from `policyctl analyze --json`: the
    scenario's step blocked or not (model_step), else its goal unreachable
    or reachable (model_goal); None if the answer names neither. A step
    not blocked itself is predicted performable only if what it requires
    is reachable: with @model (the attack model), by forward chaining;
    without, if it lies on a plan to a reachable goal."""
    if scn.get("model_step"):
        step = scn["model_step"]
        st = answer.get("prediction", {}).get("steps", {}).get(step)
        if st is not None:
            if st.get("blocked"):
                return "prevented"
            if model is not None:
                req = next((set(m.get("requires", [])) for m in model.get("steps", [])
                            if isinstance(m, dict) and m.get("id") == step), None)
                if req is not None:
                    return ("not-prevented" if req <= reachable_caps(answer, model)
                            else "prevented")
            for g in answer.get("goals", {}).values():
                if g.get("reachable") and any(step in p for p in g.get("paths", [])):
                    return "not-prevented"
            return "prevented"
    g = answer.get("goals", {}).get(scn.get("model_goal", ""))
    if g is not None:
        return "not-prevented" if g.get("reachable") else "prevented"
    return None


def analyzer_policy(out, vid, v):
    """The policy argument of `policyctl analyze` for a variant: none with the
    monitor off, the image's boot policy when nothing is loaded, else the
    variant's merged policy as compiled for the run."""
    if "lsm=capability" in v.get("bootargs", ""):
        return "none"
    if not v.get("policies"):
        return os.path.join(REPO, "policies", "boot.json")
    return os.path.join(out, "policies", vid, "json", "variant.json")


def load_model(path):
    """The attack model's JSON, or None if it cannot be read."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError):
        return None


def model_steps(models_dir):
    """{step id: model file} over the attack models: a scenario is predicted
    by the model step that carries its id (docs/attack-models.md), unless it
    names "model" and "model_step"/"model_goal" itself."""
    out = {}
    if not os.path.isdir(models_dir):
        return out
    for name in sorted(os.listdir(models_dir)):
        if not name.endswith(".json"):
            continue
        m = load_model(os.path.join(models_dir, name))
        if m is None:
            continue
        for st in m.get("steps", []):
            if isinstance(st, dict) and isinstance(st.get("id"), str):
                out.setdefault(st["id"], name)
    return out


def predict(out, scenarios, variants, policyctl, models_dir=None):
    """{(scenario, variant): 'prevented' | 'not-prevented' | why not}: the
    analyzer's answer for the scenario's attack model under the variant's
    policy and mode (the attacker model is the attack model's own)."""
    pred = {}
    avail = analyzer_available(policyctl)
    models_dir = models_dir or os.path.join(REPO, "experiments/models")
    by_step = model_steps(models_dir)
    cache = {}
    for sid, s0 in scenarios.items():
        s = dict(s0)
        if not s.get("model") and sid in by_step:
            s["model"], s["model_step"] = by_step[sid], sid
        for vid, v in variants.items():
            if not avail:
                pred[(sid, vid)] = NOT_AVAILABLE
                continue
            if not s.get("model") or not (s.get("model_goal") or s.get("model_step")):
                pred[(sid, vid)] = "no attack model"
                continue
            pol = analyzer_policy(out, vid, v)
            key = (s["model"], pol, v.get("mode", "enforce"))
            if key not in cache:
                cmd = [policyctl, "analyze", "--attack-model",
                       os.path.join(models_dir, s["model"]),
                       "--policy", pol, "--json", "--mode", v.get("mode", "enforce")]
                r = subprocess.run(cmd, capture_output=True, text=True)
                try:
                    cache[key] = json.loads(r.stdout) if r.returncode == 0 else None
                except json.JSONDecodeError:
                    cache[key] = None
            ans = cache[key]
            if ans is None:
                pred[(sid, vid)] = "analyzer failed"
                continue
            p = prediction(ans, s, load_model(os.path.join(models_dir, s["model"])))
            pred[(sid, vid)] = p or "step/goal not in model"
    return pred


def apply_predictions(rows, pred):
    for r in rows:
        p = pred.get((r["scenario"], r["variant"]), NOT_AVAILABLE)
        r["predicted"] = p
        if p == "prevented":    # the attacker does not get the effect
            r["predicted_ok"] = int(r["outcome"] in ("prevented", "no-effect"))
        elif p == "not-prevented":
            r["predicted_ok"] = int(r["outcome"] in ("detected", "missed"))
        else:
            r["predicted_ok"] = ""


def matrix_md(rows, scenarios, vids):
    groups = {}
    for r in rows:
        groups.setdefault((r["scenario"], r["variant"]), []).append(r)
    head = "| scenario | " + " | ".join(vids) + " |"
    lines = [head, "|" + "---|" * (len(vids) + 1)]
    for sid in scenarios:
        cells = []
        for v in vids:
            rs = groups.get((sid, v))
            if not rs:
                cells.append("")
                continue
            c = judge.cell(rs)
            lat = [r["latency_ms"] for r in rs if r["latency_ms"] != ""]
            if lat:
                c += f" {sorted(lat)[len(lat) // 2]:.0f} ms"
            if any(r.get("expected_ok") == 0 for r in rs):
                c += " (!)"
            if any(r.get("audit_recorded") for r in rs):
                c += " a"
            cells.append(c)
        lines.append(f"| {sid} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def bench_md(results, vids):
    """The microbenchmark per variant: median ns per operation, and the
    ratio to the monitor-off variant where it ran."""
    bench = {res["variant"]: res["bench"] for res in results if res.get("bench")}
    vs = [v for v in vids if v in bench]
    if not vs:
        return "No microbenchmark in this run.\n"
    ops = sorted({op for v in vs for op in bench[v]})
    base = bench.get("off")
    lines = ["| operation | " + " | ".join(vs) + " |", "|" + "---|" * (len(vs) + 1)]
    for op in ops:
        cells = []
        for v in vs:
            ns = bench[v].get(op)
            c = "" if ns is None else f"{ns}"
            if base and base.get(op) and ns is not None and v != "off":
                c += f" ({ns / base[op]:.2f}x)"
            cells.append(c)
        lines.append(f"| {op} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def gnuplot(script, cwd):
    if not shutil.which("gnuplot"):
        return "gnuplot not installed (scripts/setup installs gnuplot-nox)"
    r = subprocess.run(["gnuplot"], input=script, text=True, capture_output=True, cwd=cwd)
    return "" if r.returncode == 0 else r.stderr.strip()[:300]


def plot_matrix(pdir, rows, sids, vids):
    groups = {}
    for r in rows:
        groups.setdefault((r["scenario"], r["variant"]), []).append(r)
    with open(os.path.join(pdir, "matrix.dat"), "w") as f:
        for y, s in enumerate(sids):
            for x, v in enumerate(vids):
                rs = groups.get((s, v))
                if not rs:
                    z = 6
                else:
                    c = judge.cell(rs)
                    z = CODE.get(c, 5)
                f.write(f"{x} {y} {z}\n")
            f.write("\n")
    xt = ", ".join(f'"{v}" {i}' for i, v in enumerate(vids))
    yt = ", ".join(f'"{s}" {i}' for i, s in enumerate(sids))
    h = max(400, 22 * len(sids) + 200)
    return gnuplot(f"""set terminal pngcairo noenhanced size 1100,{h} font ",9"
set output "outcome-matrix.png"
set title "Outcome per scenario x variant (green prevented, yellow detected, red missed, grey no effect, black error, purple mixed)"
set xtics ({xt}) rotate by 30 right
set ytics ({yt})
set xrange [-0.5:{len(vids) - 0.5}]
set yrange [{len(sids) - 0.5}:-0.5]
set cbrange [0:7]
set palette defined (0 "#2e8b57", 1 "#2e8b57", 1 "#f0c020", 2 "#f0c020", 2 "#d03030", 3 "#d03030", 3 "#a0a0a0", 4 "#a0a0a0", 4 "#202020", 5 "#202020", 5 "#8050c0", 6 "#8050c0", 6 "#ffffff", 7 "#ffffff")
unset colorbox
set lmargin 22
plot "matrix.dat" using ($1):($2):($3+0.5) with image notitle
""", pdir)


def plot_latency(pdir, rows):
    lat = [r for r in rows if r["latency_ms"] != ""]
    if not lat:
        return "no detection latencies in this run"
    keys = sorted({(r["scenario"], r["variant"]) for r in lat})
    with open(os.path.join(pdir, "latency.dat"), "w") as f:
        for i, k in enumerate(keys):
            for r in lat:
                if (r["scenario"], r["variant"]) == k:
                    f.write(f"{i} {r['latency_ms']}\n")
    xt = ", ".join(f'"{s} / {v}" {i}' for i, (s, v) in enumerate(keys))
    return gnuplot(f"""set terminal pngcairo noenhanced size 1100,600 font ",9"
set output "detection-latency.png"
set title "Detection latency per trial (ms from the attack's effect to the secure world's state change)"
set xtics ({xt}) rotate by 30 right
set xrange [-0.5:{len(keys) - 0.5}]
set ylabel "ms"
set yrange [0:*]
set grid y
set bmargin 12
set style fill transparent solid 0.3
plot "latency.dat" using 1:2:(0.35):1 with boxplot lc rgb "#4060c0" notitle, \\
     "latency.dat" using 1:2 with points pt 7 ps 0.6 lc rgb "#202020" notitle
""", pdir)


def plot_overhead(pdir, results, vids):
    bench = {}
    for res in results:
        if res.get("bench"):
            bench[res["variant"]] = res["bench"]
    vs = [v for v in vids if v in bench]
    if not vs:
        return "no microbenchmark output in this run"
    ops = sorted({op for v in vs for op in bench[v]})
    with open(os.path.join(pdir, "overhead.dat"), "w") as f:
        f.write("op " + " ".join(vs) + "\n")
        for op in ops:
            f.write(op + " " + " ".join(str(bench[v].get(op, "NaN")) for v in vs) + "\n")
    cols = ", ".join(f'"" using {i + 2} title columnheader({i + 2})' for i in range(1, len(vs)))
    cols = f'"overhead.dat" using 2:xtic(1) title columnheader(2)' + (", " + cols if cols else "")
    return gnuplot(f"""set terminal pngcairo noenhanced size 1100,600 font ",9"
set output "overhead.png"
set title "Guest microbenchmark per variant (tests/e2e/guest/e2e_bench.c, median ns per operation)"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set ylabel "ns per operation (log)"
set xtics rotate by 30 right
set key outside right
set bmargin 8
plot {cols}
""", pdir)


def write_all(out, meta, results, scenarios, variants, env):
    rows = [r for res in results for r in res["rows"]]
    for r in rows:
        r["run"] = os.path.basename(out)
    analyzer = env.get("ANALYZER") or env.get("HOST_POLICYCTL")
    pred = predict(out, scenarios, variants, analyzer, env.get("MODELS_DIR"))
    apply_predictions(rows, pred)
    vids = sorted((v for v in variants if any(r["variant"] == v for r in rows)),
                  key=lambda v: (variants[v].get("order", 1000), v))
    sids = [s for s in scenarios if any(r["scenario"] == s for r in rows)]
    judge.write_csv(os.path.join(out, "trials.csv"), rows)
    meta["analyzer"] = (f"available ({analyzer})" if analyzer_available(analyzer)
                        else NOT_AVAILABLE)
    meta["counts"] = judge.counts(rows)
    meta["boots"] = {res["boot"]: {k: res.get(k) for k in ("wall_s", "complete", "qemu_rc",
                                                           "setup", "chain", "info",
                                                           "degradations")}
                     for res in results}
    meta["bench"] = {res["variant"]: res["bench"] for res in results if res.get("bench")}
    with open(os.path.join(out, "trials.json"), "w") as f:
        json.dump({"meta": meta, "rows": rows}, f, indent=1)
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    incomplete = [res["boot"] for res in results if not res.get("complete")]
    fs = judge.findings(rows, incomplete)
    for res in results:
        ch = res.get("chain", {})
        if res.get("complete") and not ch.get("ok"):
            fs.append(f"chain: {res['boot']}: the drained audit log did not verify against "
                      f"the signed report: {ch.get('problem')}")
        if res.get("bench_rc") not in (None, 0):
            fs.append(f"bench: {res['boot']}: the microbenchmark ended with exit "
                      f"{res['bench_rc']} after {len(res.get('bench', {}))} operations "
                      "(137: killed, e.g. by a revocation after the integrity state fell)")
        for idx, what, where in res.get("degradations", []):
            sid = where.split("#")[0]
            if sid in scenarios and {"integrity", "heartbeat"} & set(scenarios[sid].get("detect", [])):
                continue    # the attack on the kernel did it: that is the detection
            fs.append(f"integrity: {res['boot']}: the secure world lowered the integrity "
                      f"state ({what}, record {idx}) "
                      + (f"during {where}" if where else
                         "outside any trial (at boot, in the setup or between trials)") +
                      "; the trials after it ran in that state (column integrity_pre)")
            break
        for name, rc in res.get("setup", {}).items():
            if rc != 0 and not name.startswith("bench"):
                fs.append(f"setup: {res['boot']}: step {name} exit {rc}")
    pdir = os.path.join(out, "plots")
    os.makedirs(pdir, exist_ok=True)
    notes = {"outcome-matrix.png": plot_matrix(pdir, rows, sids, vids),
             "detection-latency.png": plot_latency(pdir, rows),
             "overhead.png": plot_overhead(pdir, results, vids)}
    with open(os.path.join(out, "matrix.md"), "w") as f:
        f.write(f"# Outcome matrix: {meta['commit'][:12]}{' (dirty)' if meta['dirty'] else ''}, "
                f"{meta['date']}\n\n")
        f.write("Cell: outcome of all trials (mixed: they differ), median detection latency, "
                "(!) = not what the scenario expects, a = the trials left secure audit "
                "records.\n\n")
        f.write(matrix_md(rows, sids, vids))
        f.write("\nCounts: " + ", ".join(f"{k} {v}" for k, v in meta["counts"].items()) + "\n")
        f.write("\n## Microbenchmark (ns per operation, median of 5 rounds; ratio to off)\n\n")
        f.write(bench_md(results, vids))
        f.write(f"\nAnalyzer: {meta['analyzer']}\n")
        for p, n in notes.items():
            f.write(f"\nplots/{p}: {n or 'ok'}\n")
    with open(os.path.join(out, "findings.md"), "w") as f:
        f.write(f"# Findings: {meta['commit'][:12]}, {meta['date']}\n\n")
        f.write("Every disagreement between a scenario's expectation, the analyzer's "
                "prediction and the measurement, and every unverified audit trail.\n\n")
        if meta["analyzer"] == NOT_AVAILABLE:
            f.write(f"- analyzer: {NOT_AVAILABLE} (the host policyctl has no `analyze`): "
                    "the predicted column is empty\n")
        f.write("".join(f"- {x}\n" for x in fs) or "- none\n")
    return rows, fs
