#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# judge_test.py - experiments/runner/judge.py and report.py on synthetic console logs: parsing, judging, CSV, findings.
import csv
import json
import os
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "experiments/runner"))
import experiment  # noqa: E402
import judge  # noqa: E402
import report  # noqa: E402


def stats(audit, denied=0, perm=0, flags=(), auth=0):
    return json.dumps({"audit_records": audit, "denied": denied, "permissive_denials": perm,
                       "auth_failures": auth, "policy_rejects": 0, "flags": list(flags),
                       "mode": "enforce"})


def rec(i, **kw):
    r = {"index": i, "hook": 2, "tgid": 50, "verdict": 0, "verdict_name": "allow",
         "hook_name": "file_mprotect"}
    r.update(kw)
    return json.dumps(r)


def trial(sid, n, pre, post, result, ipre="", ipost="", iwait=None):
    L = [f"TZX begin id={sid} trial={n} uptime=10.00",
         f"TZX snap id={sid} trial={n} at=pre {pre}", ipre or "@istatus none"]
    L.append(result if result else f"TZX noresult id={sid} trial={n} rc=2")
    if iwait:
        L.append(iwait)
    L += [f"TZX snap id={sid} trial={n} at=post {post}", ipost or "@istatus none",
          f"TZX end id={sid} trial={n} rc=0 uptime=11.50"]
    return L


def res(sid, n, effect, denied, err=0, note="x", t=1000):
    return (f"TZX result id={sid} trial={n} effect={effect} denied={denied} errno={err} "
            f"t_ns={t} note={note}")


SCN = {
    "wx": {"id": "wx", "goal": "code-injection-process", "detect": ["decision"],
           "expect": {"default": "missed", "enf": "prevented", "perm": "detected"}},
    "tp": {"id": "tp", "goal": "persistent-kernel-code", "detect": ["integrity"],
           "expect": {"default": "detected"}},
    "cmd": {"id": "cmd", "goal": "disable-monitor", "detect": ["flag:cmdline_weak"],
            "expect": {"default": "prevented"}},
}


def log(lines, audit=(), done=True):
    L = ["[    6.0] booting", "TZX boot variant=enf boot=enf__group lsm=tz_hooks cpus=0",
         "TZX sealed 0x7", "TZX setup load rc=0"] + lines
    L += ["TZX-BEGIN audit", *audit, "TZX-END audit", "TZX-BEGIN report", "00 11 22",
          "TZX-END report"]
    if done:
        L.append("TZX done nonce=ab12")
    return "\r\n".join(L) + "\r\n"


CHAIN = {"ok": True, "next_index": 10}


class ParseTest(unittest.TestCase):
    def test_parses_trials_blocks_and_done(self):
        b = judge.parse_log(log(trial("wx", 1, stats(3), stats(4, denied=1),
                                      res("wx", 1, 0, 1, 13)), audit=[rec(3, verdict=1,
                                                                       verdict_name="deny")]))
        self.assertTrue(b.complete)
        self.assertEqual(b.setup, {"load": 0})
        self.assertEqual(len(b.trials), 1)
        t = b.trials[0]
        self.assertEqual((t.id, t.trial, t.rc), ("wx", 1, 0))
        self.assertEqual(t.pre["audit_records"], 3)
        self.assertEqual(t.result["errno"], 13)
        self.assertEqual(b.report_hex, "001122")
        self.assertEqual([r["index"] for r in b.audit], [3])

    def test_incomplete_boot_has_no_nonce(self):
        b = judge.parse_log(log([], done=False))
        self.assertFalse(b.complete)


class JudgeTest(unittest.TestCase):
    def judge(self, lines, sid, variant, audit=(), chain=CHAIN, plan=None):
        b = judge.parse_log(log(lines, audit))
        return judge.judge_boot(b, plan or [(sid, 1)], SCN, {"id": variant}, chain)

    def test_prevented_by_secure_world(self):
        r, = self.judge(trial("wx", 1, stats(3), stats(4, denied=1), res("wx", 1, 0, 1, 13)),
                        "wx", "enf", [rec(3, verdict=1, verdict_name="deny")])
        self.assertEqual((r["outcome"], r["prevented_by"], r["expected_ok"]),
                         ("prevented", "secure", 1))
        self.assertEqual((r["audit_recorded"], r["report_covers"]), (1, 1))
        self.assertEqual(r["audit_records"], "file_mprotect:denyx1")
        self.assertEqual(r["duration_s"], 1.5)

    def test_prevented_by_kernel_when_secure_world_silent(self):
        r, = self.judge(trial("wx", 1, stats(3), stats(3), res("wx", 1, 0, 1, 1)), "wx", "enf")
        self.assertEqual((r["outcome"], r["prevented_by"]), ("prevented", "other"))
        self.assertEqual(r["audit_recorded"], 0)

    def test_missed_without_decision(self):
        r, = self.judge(trial("wx", 1, stats(3), stats(3), res("wx", 1, 1, 0)), "wx", "off")
        self.assertEqual((r["outcome"], r["expected_ok"]), ("missed", 1))

    def test_detected_by_permissive_decision(self):
        r, = self.judge(trial("wx", 1, stats(3), stats(4, perm=1), res("wx", 1, 1, 0)),
                        "wx", "perm", [rec(3, verdict=1, verdict_name="deny")])
        self.assertEqual((r["outcome"], r["detected_by"], r["latency_ms"]),
                         ("detected", "decision", ""))

    def test_background_records_are_not_evidence(self):
        r, = self.judge(trial("wx", 1, stats(3), stats(4), res("wx", 1, 1, 0)), "wx", "off",
                        [json.dumps({"index": 3, "kind": "heartbeat", "status": "ok"})])
        self.assertEqual((r["outcome"], r["audit_recorded"]), ("missed", 0))

    def test_integrity_detection_latency_from_wait(self):
        lines = trial("tp", 1, stats(5), stats(7), res("tp", 1, 1, 0),
                      "@istatus state=1 flags=0x7 passes=3 mismatches=0",
                      "@istatus state=2 flags=0x7 passes=5 mismatches=1",
                      "@iwait what=mismatch ok=1 latency_ms=321.5 waited_ms=300 polls=9")
        r, = self.judge(lines, "tp", "x", [json.dumps({"index": 5, "kind": "mismatch",
                                                      "status": "ok"})])
        self.assertEqual((r["outcome"], r["detected_by"], r["latency_ms"]),
                         ("detected", "integrity", 321.5))

    def test_integrity_counter_without_wait_still_detected(self):
        lines = trial("tp", 1, stats(5), stats(5), res("tp", 1, 1, 0),
                      "@istatus state=1 mismatches=0", "@istatus state=2 mismatches=1",
                      "@iwait what=mismatch ok=0 latency_ms=none")
        r, = self.judge(lines, "tp", "x")
        self.assertEqual((r["outcome"], r["latency_ms"]), ("detected", ""))

    def test_integrity_timeout_is_missed_and_a_finding(self):
        lines = trial("tp", 1, stats(5), stats(5), res("tp", 1, 1, 0),
                      "@istatus mismatches=0", "@istatus mismatches=0",
                      "@iwait what=mismatch ok=0 latency_ms=none")
        rows = self.judge(lines, "tp", "x")
        self.assertEqual(rows[0]["outcome"], "missed")
        self.assertTrue(any("expected detected, measured missed" in f
                            for f in judge.findings(rows)))

    def test_flag_detection(self):
        r, = self.judge(trial("cmd", 1, stats(1), stats(1, flags=["cmdline_weak"]),
                              res("cmd", 1, 1, 0)), "cmd", "x")
        self.assertEqual((r["outcome"], r["detected_by"]), ("detected", "flag:cmdline_weak"))

    def test_missing_trial_is_an_error_row(self):
        rows = self.judge(trial("wx", 1, stats(3), stats(3), res("wx", 1, 1, 0)), "wx", "off",
                          plan=[("wx", 1), ("wx", 2)])
        self.assertEqual([r["outcome"] for r in rows], ["missed", "error"])
        self.assertEqual(rows[1]["expected_ok"], 0)

    def test_no_result_line_is_error(self):
        r, = self.judge(trial("wx", 1, stats(3), stats(3), None), "wx", "off")
        self.assertEqual(r["outcome"], "error")

    def test_unverified_chain_is_not_covered(self):
        lines = trial("wx", 1, stats(3), stats(4, denied=1), res("wx", 1, 0, 1, 13))
        r, = self.judge(lines, "wx", "enf", [rec(3, verdict=1, verdict_name="deny")],
                        chain={"ok": False, "next_index": None})
        self.assertEqual((r["audit_recorded"], r["report_covers"], r["chain_ok"]), (1, 0, 0))
        self.assertTrue(any(f.startswith("report:") for f in judge.findings([r])))

    def test_record_beyond_report_head_not_covered(self):
        lines = trial("wx", 1, stats(3), stats(4, denied=1), res("wx", 1, 0, 1, 13))
        r, = self.judge(lines, "wx", "enf", [rec(3, verdict=1, verdict_name="deny")],
                        chain={"ok": True, "next_index": 3})
        self.assertEqual(r["report_covers"], 0)


class DegradationTest(unittest.TestCase):
    def test_degradation_located_in_its_trial(self):
        hb = json.dumps({"index": 4, "kind": "heartbeat", "status": "ok",
                         "detail": {"degraded_by": ["heartbeat_lost"]}})
        ok = json.dumps({"index": 1, "kind": "heartbeat", "status": "ok",
                         "detail": {"degraded_by": []}})
        b = judge.parse_log(log(trial("wx", 1, stats(3), stats(5), res("wx", 1, 1, 0)),
                                audit=[ok, hb]))
        self.assertEqual(judge.degradations(b), [(4, "heartbeat_lost", "wx#1")])
        r, = judge.judge_boot(b, [("wx", 1)], SCN, {"id": "off"}, CHAIN)
        self.assertEqual(r["audit_recorded"], 1)   # a heartbeat degradation is evidence

    def test_after_taint_marks_later_trials(self):
        scn = dict(SCN, oe={"id": "oe", "taints": "on-effect", "expect": {"default": "missed"}})
        b = judge.parse_log(log(trial("oe", 1, stats(1), stats(1), res("oe", 1, 1, 0)) +
                                trial("wx", 1, stats(1), stats(1), res("wx", 1, 1, 0))))
        rows = judge.judge_boot(b, [("oe", 1), ("wx", 1)], scn, {"id": "off"}, CHAIN)
        self.assertEqual([r["after_taint"] for r in rows], ["", "oe#1"])
        self.assertTrue(any(f.startswith("taint: wx") for f in judge.findings(rows)))

    def test_own_later_trials_are_not_marked(self):
        scn = dict(SCN, tp={"id": "tp", "taints": True, "detect": ["integrity"],
                            "expect": {"default": "detected"}})
        b = judge.parse_log(log(trial("tp", 1, stats(1), stats(1), res("tp", 1, 1, 0)) +
                                trial("tp", 2, stats(1), stats(1), res("tp", 2, 1, 0))))
        rows = judge.judge_boot(b, [("tp", 1), ("tp", 2)], scn, {"id": "off"}, CHAIN)
        self.assertEqual([r["after_taint"] for r in rows], ["", ""])


class PlanTest(unittest.TestCase):
    SC = {
        "a": {"id": "a", "taints": False, "trials": 1, "run": ["x"], "expect": {}},
        "oe": {"id": "oe", "taints": "on-effect", "trials": 1, "run": ["x"], "expect": {}},
        "k": {"id": "k", "taints": True, "trials": 3, "run": ["x"],
              "expect": {"default": "detected", "gate": "prevented"}},
        "b": {"id": "b", "taints": True, "trials": 1, "run": ["x"], "bootargs": "y=1",
              "expect": {"default": "prevented"}},
    }

    def test_tainting_scenarios_get_their_own_boot(self):
        boots = experiment.plan_boots(self.SC, [{"id": "v"}], 0)
        self.assertEqual([(b[0], b[2], b[3]) for b in boots],
                         [("v__bench", [], ""), ("v__group", ["a", "oe"], ""),
                          ("v__b", ["b"], "y=1"), ("v__k", ["k"], "")])

    def test_expected_prevented_tainting_runs_at_the_group_end(self):
        boots = experiment.plan_boots(self.SC, [{"id": "gate"}], 0, bench=False)
        self.assertEqual([(b[0], b[2]) for b in boots],
                         [("gate__group", ["a", "k", "oe"]), ("gate__b", ["b"])])

    def test_rc_script_substitutes_and_caps_trials(self):
        sc = {"k": dict(self.SC["k"], run=["{xbin}/p", "--id", "{id}", "--trial", "{trial}"],
                        detect=["integrity"], cleanup=["w_kclean", "m"])}
        rc = experiment.rc_script("v__k", {"id": "v", "policies": ["p.json"]}, ["k"], sc, 2, 0)
        self.assertIn("tzx_step load policyctl load /tzx/policies/variant.blob", rc)
        self.assertIn("tzx_trial k 2 integrity 5000 'w_kclean m' -- /tzx/bin/p --id k "
                      "--trial 2", rc)
        self.assertNotIn("tzx_trial k 3", rc)
        self.assertTrue(rc.rstrip().endswith("tzx_finish"))

    def test_pick_globs_and_exclusions(self):
        self.assertEqual(experiment.pick(["wx-a", "wx-b", "k"], "wx-*,!wx-b"), ["wx-a"])
        self.assertEqual(experiment.pick(["a", "b"], "!a"), ["b"])
        with self.assertRaises(experiment.Error):
            experiment.pick(["a"], "zz")


class ShippedFilesTest(unittest.TestCase):
    def test_scenarios_and_variants_are_valid(self):
        sc = experiment.load_dir(os.path.join(REPO, "experiments/scenarios"))
        vs = experiment.load_dir(os.path.join(REPO, "experiments/variants"))
        self.assertGreater(len(sc), 20)
        for s in sc.values():
            experiment.check_scenario(s)
            for k in s["expect"]:
                self.assertTrue(k == "default" or k in vs, f"{s['id']}: expect key {k}")
            if s["taints"] is True or s.get("bootargs"):
                self.assertTrue(s["taints"] is True, f"{s['id']}: bootargs need a boot")
        for v in vs.values():
            for f in v.get("policies", []):
                self.assertTrue(os.path.exists(os.path.join(REPO, "policies", f)), f)
            self.assertIn(v.get("mode", "enforce"), ("enforce", "permissive"))
            self.assertIn(v.get("attacker", "root"), ("root", "kernel"))


class OutputTest(unittest.TestCase):
    def test_csv_has_every_column_and_row(self):
        b = judge.parse_log(log(trial("wx", 1, stats(3), stats(3), res("wx", 1, 1, 0)) +
                                trial("wx", 2, stats(3), stats(3), res("wx", 2, 0, 1, 13))))
        rows = judge.judge_boot(b, [("wx", 1), ("wx", 2)], SCN, {"id": "off"}, CHAIN)
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "t.csv")
            judge.write_csv(p, rows)
            with open(p) as f:
                got = list(csv.DictReader(f))
        self.assertEqual(len(got), 2)
        self.assertEqual(tuple(got[0].keys()), judge.COLUMNS)
        self.assertEqual([g["outcome"] for g in got], ["missed", "prevented"])
        self.assertEqual(judge.cell(rows), "mixed:missed/prevented")
        self.assertEqual(judge.counts(rows)["missed"], 1)

    def test_predictions_compared_never_hidden(self):
        rows = [{"scenario": "wx", "variant": "enf", "outcome": "missed", "expected": "missed",
                 "expected_ok": 1, "latency_ms": ""}]
        report.apply_predictions(rows, {("wx", "enf"): "prevented"})
        self.assertEqual(rows[0]["predicted_ok"], 0)
        self.assertTrue(any(f.startswith("analyzer: wx under enf") for f in judge.findings(rows)))
        report.apply_predictions(rows, {})
        self.assertEqual((rows[0]["predicted"], rows[0]["predicted_ok"]),
                         (report.NOT_AVAILABLE, ""))

    def test_prediction_from_analyzer_answer(self):
        ans = {"goals": {"g": {"reachable": False, "paths": []},
                         "h": {"reachable": True, "paths": [["s0", "s2"]]}},
               "prediction": {"steps": {"s1": {"blocked": True}, "s2": {"blocked": False},
                                        "s3": {"blocked": False}}}}
        # not blocked, but on no plan to a reachable goal: its prerequisite is out of reach
        self.assertEqual(report.prediction(ans, {"model_step": "s3"}), "prevented")
        self.assertEqual(report.prediction(ans, {"model_goal": "g"}), "prevented")
        self.assertEqual(report.prediction(ans, {"model_goal": "h"}), "not-prevented")
        self.assertEqual(report.prediction(ans, {"model_step": "s1", "model_goal": "h"}),
                         "prevented")
        self.assertEqual(report.prediction(ans, {"model_step": "s2"}), "not-prevented")
        self.assertIsNone(report.prediction(ans, {"model_goal": "nope"}))

    def test_prediction_by_forward_chaining_over_the_model(self):
        # s3 is on no plan to a goal, but what it requires is reachable: performable
        ans = {"attacker": {"capabilities": ["user", "root"]},
               "goals": {"h": {"reachable": True, "paths": [["s2"]]}},
               "prediction": {"steps": {"s1": {"blocked": True}, "s2": {"blocked": False},
                                        "s3": {"blocked": False}, "s4": {"blocked": False}}}}
        model = {"steps": [{"id": "s1", "requires": ["root"], "grants": ["fd"]},
                           {"id": "s2", "requires": ["root"], "grants": ["h"]},
                           {"id": "s3", "requires": ["root"], "grants": ["other"]},
                           {"id": "s4", "requires": ["fd"], "grants": ["more"]}]}
        self.assertEqual(report.prediction(ans, {"model_step": "s3"}, model), "not-prevented")
        # s4 needs what only the blocked s1 grants
        self.assertEqual(report.prediction(ans, {"model_step": "s4"}, model), "prevented")
        self.assertEqual(report.prediction(ans, {"model_step": "s1"}, model), "prevented")
        self.assertEqual(report.prediction(ans, {"model_step": "s2"}, model), "not-prevented")
        self.assertEqual(report.reachable_caps(ans, model), {"user", "root", "h", "other"})

    def test_analyzer_policy_per_variant(self):
        self.assertEqual(report.analyzer_policy("/o", "off", {"bootargs": "lsm=capability"}),
                         "none")
        self.assertTrue(report.analyzer_policy("/o", "boot", {"policies": []})
                        .endswith("policies/boot.json"))
        self.assertEqual(report.analyzer_policy("/o", "x", {"policies": ["a.json"]}),
                         "/o/policies/x/json/variant.json")

    def test_matrix_marks_unexpected_cells(self):
        rows = [{"scenario": "wx", "variant": "enf", "outcome": "missed", "expected_ok": 0,
                 "latency_ms": "", "audit_recorded": 0}]
        self.assertIn("missed (!)", report.matrix_md(rows, ["wx"], ["enf"]))


if __name__ == "__main__":
    unittest.main()
