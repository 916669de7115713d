// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analyze.cc - the analysis report: steps as the engine judged them, goals
// with their plans and cuts, the rules no step's event reached.
#include "analyze.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "analyze_graph.h"
#include "fields.h"

namespace policyctl {

namespace {

const char kPathAlgorithm[] =
    "minimal attack plans (no step can be left out), enumerated exhaustively by "
    "depth-first search over step sets up to the bounds, shortest first";
const char kCutAlgorithm[] =
    "exact minimum label cut: sets of event kinds in increasing size, each checked "
    "by forward chaining over the AND/OR attack graph; all minimum cuts are counted";
const char kFlowAlgorithm[] =
    "boykov_kolmogorov_max_flow (Boost.Graph) on the step-split network, where the "
    "label cut is an edge cut (one non-start requirement per step, each event kind on "
    "one step)";

Json ids(const AttackModel& m, const std::vector<int>& steps) {
  Json out = Json::array();
  for (int s : steps) out.push_back(m.steps[static_cast<std::size_t>(s)].id);
  return out;
}

Json hook_names(const std::vector<std::uint32_t>& hooks) {
  Json out = Json::array();
  for (std::uint32_t h : hooks) out.push_back(ucon::hook_name(h));
  return out;
}

Json rule_ref(std::uint32_t id, const RuleNames& names) {
  Json r = {{"id", id}};
  auto it = names.find(id);
  if (it != names.end()) r["name"] = it->second;
  return r;
}

Json step_json(const ModelStep& s, const StepVerdict& v, const RuleNames& names) {
  Json j = Json::object();
  j["blocked"] = v.blocked;
  j["by"] = blocked_by_name(v.by);
  if (v.by == BlockedBy::kRule || v.by == BlockedBy::kDefault) {
    j["rule"] = v.rule;
    auto it = names.find(v.rule);
    if (it != names.end()) j["rule_name"] = it->second;
    j["event"] = v.event;
  } else {
    j["rule"] = nullptr;
  }
  if (v.command >= 0) j["command"] = v.command;
  j["hooks"] = hook_names(v.hooks);
  bool would = false;
  Json decisions = Json::array();
  for (const EventOutcome& o : v.events) {
    decisions.push_back(o.decision);
    would = would || o.would_deny;
  }
  j["would_deny"] = would;
  j["decisions"] = decisions;
  Json cmds = Json::array();
  for (std::size_t i = 0; i < v.commands.size(); ++i) {
    cmds.push_back({{"command", s.commands[i].info->name},
                    {"refused", v.commands[i].refused},
                    {"reason", v.commands[i].reason}});
  }
  j["commands"] = cmds;
  if (s.events.empty() && s.commands.empty()) {
    j["unmonitored"] = true;  // no hook or command carries it: nothing can block it
  }
  if (!v.notes.empty()) j["notes"] = v.notes;
  return j;
}

Json cut_json(const AttackGraph& g, const AttackModel& m, int cap, const StepSet& usable) {
  LabelCut lc = g.min_label_cut(cap, usable);
  Json c = Json::object();
  c["algorithm"] = kCutAlgorithm;
  c["cuttable"] = lc.cuttable;
  if (!lc.cuttable) {
    c["size"] = nullptr;
    c["uncuttable_path"] = ids(m, lc.uncuttable_plan);
    c["why"] = "this plan has no step carried by a hook event: denying event kinds cannot stop it";
    return c;
  }
  c["size"] = lc.size;
  Json cuts = Json::array();
  for (const auto& cut : lc.cuts) cuts.push_back(hook_names(cut));
  c["cuts"] = cuts;
  c["count"] = lc.count;
  c["unique"] = lc.count == 1;
  c["candidates"] = lc.candidates;
  c["checked"] = lc.checked;
  FlowCut fc = g.flow_cut(cap, usable);
  Json f = {{"algorithm", kFlowAlgorithm}, {"applicable", fc.applicable}};
  if (fc.applicable) {
    f["value"] = fc.value;
    f["steps"] = ids(m, fc.steps);
    f["agrees"] = static_cast<std::size_t>(fc.value) == lc.size;
  } else {
    f["why_not"] = fc.why_not;
  }
  c["max_flow"] = f;
  return c;
}

}  // namespace

namespace {

// What the step pass leaves for the rest of the report.
struct StepPass {
  std::set<std::uint32_t> deciding, blocking;
  std::vector<std::string> dot_notes;  // per step: its carriers and verdict
};

std::string dot_note(const ModelStep& s, const StepVerdict& v) {
  std::string note;
  for (std::uint32_t h : v.hooks) note += std::string(note.empty() ? "" : ",") + ucon::hook_name(h);
  for (const ModelCommand& c : s.commands) {
    note += std::string(note.empty() ? "" : ",") + "cmd " + c.info->name;
  }
  if (note.empty()) note = "unmonitored";
  if (v.blocked) {
    note += v.by == BlockedBy::kRule ? "\\nblocked by rule " + std::to_string(v.rule)
                                     : std::string("\\nblocked: ") + blocked_by_name(v.by);
  }
  return note;
}

StepPass add_steps(const AttackModel& m, const std::vector<StepVerdict>& verdicts,
                   const RuleNames& names, Json* rep, Json* pred) {
  StepPass pass;
  Json steps = Json::object();
  for (std::size_t i = 0; i < m.steps.size(); ++i) {
    const StepVerdict& v = verdicts[i];
    const std::string& id = m.steps[i].id;
    steps[id] = step_json(m.steps[i], v, names);
    (*pred)[id] = {{"blocked", v.blocked}, {"by", blocked_by_name(v.by)}, {"rule", steps[id]["rule"]}};
    pass.deciding.insert(v.deciding_rules.begin(), v.deciding_rules.end());
    if (v.by == BlockedBy::kRule) pass.blocking.insert(v.rule);
    pass.dot_notes.push_back(dot_note(m.steps[i], v));
  }
  (*rep)["steps"] = steps;
  return pass;
}

void add_goals(const AttackGraph& g, const AttackModel& m, const AnalyzeOptions& opts,
               Json* rep, Json* pred, StepSet* on_plan, std::vector<bool>* reached) {
  const StepSet usable = g.usable();
  Json goals = Json::object();
  for (const ModelGoal& goal : m.goals) {
    const bool reachable = g.reaches(usable, goal.capability);
    reached->push_back(reachable);
    PlanSearch ps = g.plans(goal.capability, usable, opts.max_steps, opts.max_paths);
    Json paths = Json::array();
    for (const auto& p : ps.plans) {
      paths.push_back(ids(m, p));
      for (int s : p) (*on_plan)[static_cast<std::size_t>(s)] = true;
    }
    Json gj = {{"kind", goal.kind},
               {"reachable", reachable},
               {"reachable_without_policy", g.reaches(g.all_steps(), goal.capability)},
               {"paths", paths},
               {"paths_complete", ps.complete}};
    if (!ps.complete) gj["paths_bound"] = ps.bound;
    gj["shortest"] = ps.plans.empty() ? Json(nullptr) : Json(ps.plans.front().size());
    gj["cut"] = cut_json(g, m, goal.capability, usable);
    goals[goal.id] = gj;
    (*pred)[goal.id] = {{"reachable", reachable}, {"paths", paths}};
  }
  (*rep)["goals"] = goals;
}

Json rules_json(const policyc::CompileResult* policy, const StepPass& pass,
                const RuleNames& names) {
  Json unused = Json::array(), dec = Json::array(), blk = Json::array();
  if (policy) {
    for (const auto& r : policy->rules) {
      if (!pass.deciding.count(r.id)) unused.push_back(rule_ref(r.id, names));
    }
  }
  for (std::uint32_t r : pass.deciding) dec.push_back(rule_ref(r, names));
  for (std::uint32_t r : pass.blocking) blk.push_back(rule_ref(r, names));
  return {{"deciding", dec}, {"blocking", blk}, {"unused", unused}};
}

Json header(const AttackModel& m, const policyc::CompileResult* policy,
            const AnalyzeOptions& opts) {
  Json rep = Json::object();
  rep["analysis"] = "tzucon-attack-graph";
  rep["format_version"] = kAnalysisFormatVersion;
  rep["model"] = {{"name", m.name}, {"file", opts.model_file}};
  Json caps = Json::array();
  for (int c : m.start_capabilities) caps.push_back(m.capabilities[static_cast<std::size_t>(c)]);
  rep["attacker"] = {{"start", start_level_name(m.start)}, {"keys", m.keys},
                     {"capabilities", caps}};
  if (policy) {
    rep["policy"] = {{"name", policy->name}, {"version", policy->policy_version},
                     {"file", opts.policy_file},
                     {"mode", opts.mode.empty() ? "as the policy says" : opts.mode}};
  } else {
    rep["policy"] = nullptr;
  }
  rep["algorithms"] = {{"paths", kPathAlgorithm}, {"cut", kCutAlgorithm},
                       {"cut_check", kFlowAlgorithm}};
  return rep;
}

}  // namespace

AnalysisResult analyze(const AttackModel& m, const std::vector<StepVerdict>& verdicts,
                       const policyc::CompileResult* policy, const AnalyzeOptions& opts) {
  RuleNames names;
  if (policy) {
    for (const auto& r : policy->rules) names[r.id] = r.name;
  }
  std::vector<std::vector<std::uint32_t>> hooks;
  std::vector<bool> blocked;
  for (const StepVerdict& v : verdicts) {
    hooks.push_back(v.hooks);
    blocked.push_back(v.blocked);
  }
  std::vector<std::string> kinds;
  for (std::uint32_t h = 0; h < TZU_HOOK_COUNT; ++h) {
    const char* n = ucon::hook_name(h);
    kinds.push_back(n ? n : std::to_string(h));
  }
  AttackGraph g(m, hooks, blocked, kinds);

  Json rep = header(m, policy, opts);
  Json pred_steps = Json::object(), pred_goals = Json::object();
  const StepPass pass = add_steps(m, verdicts, names, &rep, &pred_steps);
  StepSet on_plan(m.steps.size());
  std::vector<bool> reached;
  add_goals(g, m, opts, &rep, &pred_goals, &on_plan, &reached);
  rep["rules"] = rules_json(policy, pass, names);
  rep["prediction"] = {{"steps", pred_steps}, {"goals", pred_goals}};

  AnalysisResult res;
  std::ostringstream dot;
  g.write_dot(dot, pass.dot_notes, on_plan, reached);
  res.dot = dot.str();
  res.report = std::move(rep);
  return res;
}

}  // namespace policyctl
