// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analyze_graph_test.cc - the attack graph on small models whose answers
// were worked out by hand: plans, reachability, minimum label cuts and their
// ties, the max-flow cross-check, bounds. Blocking is given directly here;
// analyze_test.cc checks that it comes from the engine.
#include <gtest/gtest.h>

#include <algorithm>

#include "analyze_graph.h"
#include "analyze_model.h"
#include "fields.h"

namespace policyctl_test {
namespace {

using policyctl::AttackGraph;
using policyctl::AttackModel;
using policyctl::StepSet;

// Steps: {id, requires, grants, hook or ""}; every capability not a start
// level or a goal is declared.
struct S {
  const char* id;
  std::vector<const char*> requires_;
  std::vector<const char*> grants;
  std::vector<const char*> hooks;
};

std::string list(const std::vector<const char*>& v) {
  std::string out = "[";
  for (const char* s : v) out += std::string(out.size() > 1 ? "," : "") + "\"" + s + "\"";
  return out + "]";
}

AttackModel model(const std::vector<S>& steps, const std::vector<const char*>& caps,
                  const char* start = "user", const char* goals = R"([{"id":"goal","kind":"kernel_code"}])") {
  std::string caps_json = "{";
  for (const char* c : caps) caps_json += std::string(caps_json.size() > 1 ? "," : "") + "\"" + c + "\":\"c\"";
  caps_json += "}";
  std::string steps_json = "[";
  for (const S& s : steps) {
    std::string ev = "[";
    for (const char* h : s.hooks) ev += std::string(ev.size() > 1 ? "," : "") + R"({"hook":")" + h + "\"}";
    ev += "]";
    steps_json += std::string(steps_json.size() > 1 ? "," : "") + R"({"id":")" + s.id +
                  R"(","requires":)" + list(s.requires_) + R"(,"grants":)" + list(s.grants) +
                  R"(,"events":)" + ev + "}";
  }
  steps_json += "]";
  std::string text = R"({"model":"t","description":"hand-checked","attacker":{"start":")" +
                     std::string(start) + R"("},"capabilities":)" + caps_json +
                     R"(,"goals":)" + goals + R"(,"steps":)" + steps_json + "}";
  policyctl::ModelParse p = policyctl::parse_attack_model(text);
  EXPECT_TRUE(p.ok) << (p.errors.empty() ? "" : p.errors[0].to_string()) << "\n" << text;
  return p.model;
}

std::vector<std::string> kind_names() {
  std::vector<std::string> n;
  for (std::uint32_t h = 0; h < TZU_HOOK_COUNT; ++h) {
    n.push_back(ucon::hook_name(h) ? ucon::hook_name(h) : "?");
  }
  return n;
}

AttackGraph graph(const AttackModel& m, const std::vector<bool>& blocked = {}) {
  std::vector<std::vector<std::uint32_t>> hooks;
  for (const auto& s : m.steps) {
    std::vector<std::uint32_t> h;
    for (const auto& e : s.events) h.push_back(e.event.hook);
    std::sort(h.begin(), h.end());
    hooks.push_back(h);
  }
  std::vector<bool> b = blocked.empty() ? std::vector<bool>(m.steps.size(), false) : blocked;
  return AttackGraph(m, hooks, b, kind_names());
}

std::vector<std::vector<std::string>> plan_ids(const AttackModel& m,
                                               const policyctl::PlanSearch& ps) {
  std::vector<std::vector<std::string>> out;
  for (const auto& p : ps.plans) {
    std::vector<std::string> ids;
    for (int s : p) ids.push_back(m.steps[static_cast<std::size_t>(s)].id);
    out.push_back(ids);
  }
  return out;
}

std::vector<std::vector<std::string>> cut_names(const policyctl::LabelCut& c) {
  std::vector<std::vector<std::string>> out;
  for (const auto& cut : c.cuts) {
    std::vector<std::string> names;
    for (std::uint32_t h : cut) names.push_back(ucon::hook_name(h));
    out.push_back(names);
  }
  return out;
}

using Names = std::vector<std::vector<std::string>>;

// user -a-> x -c-> goal, with a blocked: no path, nothing to cut.
TEST(AttackGraph, NoPathWhenTheOnlyRouteIsBlocked) {
  AttackModel m = model({{"a", {"user"}, {"x"}, {"mmap_file"}},
                         {"c", {"x"}, {"goal"}, {"ptrace_access"}}},
                        {"x"});
  AttackGraph g = graph(m, {true, false});
  const int goal = m.capability("goal");
  EXPECT_FALSE(g.reaches(g.usable(), goal));
  EXPECT_TRUE(g.reaches(g.all_steps(), goal));
  policyctl::PlanSearch ps = g.plans(goal, g.usable(), 10, 10);
  EXPECT_TRUE(ps.plans.empty());
  EXPECT_TRUE(ps.complete);
  policyctl::LabelCut c = g.min_label_cut(goal, g.usable());
  EXPECT_FALSE(c.reachable);
  EXPECT_EQ(c.size, 0u);
  EXPECT_EQ(c.count, 1u);  // the empty set
}

// Two ways to x (mmap_file, file_mprotect), one way on (ptrace_access):
// {ptrace_access} is the unique minimum cut; max-flow agrees (value 1).
TEST(AttackGraph, UniqueCutAtTheBottleneck) {
  AttackModel m = model({{"a", {"user"}, {"x"}, {"mmap_file"}},
                         {"b", {"user"}, {"x"}, {"file_mprotect"}},
                         {"c", {"x"}, {"goal"}, {"ptrace_access"}}},
                        {"x"});
  AttackGraph g = graph(m);
  const int goal = m.capability("goal");
  EXPECT_EQ(plan_ids(m, g.plans(goal, g.usable(), 10, 10)),
            (Names{{"a", "c"}, {"b", "c"}}));
  policyctl::LabelCut c = g.min_label_cut(goal, g.usable());
  ASSERT_TRUE(c.reachable);
  ASSERT_TRUE(c.cuttable);
  EXPECT_EQ(c.size, 1u);
  EXPECT_EQ(c.count, 1u);
  EXPECT_EQ(cut_names(c), (Names{{"ptrace_access"}}));
  policyctl::FlowCut f = g.flow_cut(goal, g.usable());
  ASSERT_TRUE(f.applicable) << f.why_not;
  EXPECT_EQ(f.value, 1);
  EXPECT_EQ(f.steps, (std::vector<int>{2}));
}

// One chain of two event kinds: either kind cuts it, a tie of two.
TEST(AttackGraph, TiesOnAChain) {
  AttackModel m = model({{"a", {"user"}, {"x"}, {"mmap_file"}},
                         {"c", {"x"}, {"goal"}, {"ptrace_access"}}},
                        {"x"});
  AttackGraph g = graph(m);
  policyctl::LabelCut c = g.min_label_cut(m.capability("goal"), g.usable());
  EXPECT_EQ(c.size, 1u);
  EXPECT_EQ(c.count, 2u);
  EXPECT_EQ(cut_names(c), (Names{{"mmap_file"}, {"ptrace_access"}}));
  policyctl::FlowCut f = g.flow_cut(m.capability("goal"), g.usable());
  ASSERT_TRUE(f.applicable);
  EXPECT_EQ(f.value, 1);
}

// Two disjoint paths share the kind mmap_file: an edge cut needs two steps,
// the label cut one kind. Max-flow does not apply and says why.
TEST(AttackGraph, SharedKindMakesALabelCutSmallerThanAnEdgeCut) {
  AttackModel m = model({{"a", {"user"}, {"x"}, {"mmap_file"}},
                         {"c", {"x"}, {"goal"}, {"key_alloc"}},
                         {"b", {"user"}, {"y"}, {"file_mprotect"}},
                         {"d", {"y"}, {"goal"}, {"mmap_file"}}},
                        {"x", "y"});
  AttackGraph g = graph(m);
  policyctl::LabelCut c = g.min_label_cut(m.capability("goal"), g.usable());
  EXPECT_EQ(c.size, 1u);
  EXPECT_EQ(cut_names(c), (Names{{"mmap_file"}}));
  policyctl::FlowCut f = g.flow_cut(m.capability("goal"), g.usable());
  EXPECT_FALSE(f.applicable);
  EXPECT_NE(f.why_not.find("mmap_file"), std::string::npos) << f.why_not;
}

// goal needs x AND y: one plan of both steps; cutting either kind suffices.
TEST(AttackGraph, AndPreconditions) {
  AttackModel m = model({{"a", {"user"}, {"x"}, {"mmap_file"}},
                         {"b", {"user"}, {"y"}, {"ptrace_access"}},
                         {"c", {"x", "y"}, {"goal"}, {}}},
                        {"x", "y"});
  AttackGraph g = graph(m);
  const int goal = m.capability("goal");
  EXPECT_EQ(plan_ids(m, g.plans(goal, g.usable(), 10, 10)), (Names{{"a", "b", "c"}}));
  policyctl::LabelCut c = g.min_label_cut(goal, g.usable());
  EXPECT_EQ(c.size, 1u);
  EXPECT_EQ(c.count, 2u);
  EXPECT_FALSE(g.flow_cut(goal, g.usable()).applicable);
}

// s1: A -> goal, s2: goal -> A support each other; only s3 (user -> A)
// starts the cycle. {s1, s2} is not a plan; {s3, s1} is the only one.
TEST(AttackGraph, CyclicSupportIsNotAPlan) {
  AttackModel m = model({{"s1", {"a"}, {"goal"}, {"mmap_file"}},
                         {"s2", {"goal"}, {"a"}, {"file_mprotect"}},
                         {"s3", {"user"}, {"a"}, {"ptrace_access"}}},
                        {"a"});
  AttackGraph g = graph(m);
  EXPECT_EQ(plan_ids(m, g.plans(m.capability("goal"), g.usable(), 10, 10)),
            (Names{{"s3", "s1"}}));
  AttackGraph without_s3 = graph(m, {false, false, true});
  EXPECT_FALSE(without_s3.reaches(without_s3.usable(), m.capability("goal")));
}

// A redundant route through an extra step is not minimal and not listed.
TEST(AttackGraph, OnlyMinimalPlans) {
  AttackModel m = model({{"a", {"user"}, {"x", "y"}, {"mmap_file"}},
                         {"b", {"x"}, {"y"}, {"file_mprotect"}},
                         {"c", {"y"}, {"goal"}, {"ptrace_access"}}},
                        {"x", "y"});
  AttackGraph g = graph(m);
  EXPECT_EQ(plan_ids(m, g.plans(m.capability("goal"), g.usable(), 10, 10)),
            (Names{{"a", "c"}}));
}

// A step no event carries cannot be cut by denying event kinds.
TEST(AttackGraph, UnmonitoredStepIsUncuttable) {
  AttackModel m = model({{"a", {"user"}, {"goal"}, {}},
                         {"b", {"user"}, {"goal"}, {"mmap_file"}}},
                        {});
  AttackGraph g = graph(m);
  policyctl::LabelCut c = g.min_label_cut(m.capability("goal"), g.usable());
  EXPECT_TRUE(c.reachable);
  EXPECT_FALSE(c.cuttable);
  EXPECT_EQ(c.uncuttable_plan, (std::vector<int>{0}));
}

// The goal is held from the start: one empty plan; a kernel attacker holds
// root and user too.
TEST(AttackGraph, StartLevelsInclude) {
  AttackModel m = model({{"a", {"root"}, {"goal"}, {"mmap_file"}}}, {}, "kernel");
  AttackGraph g = graph(m);
  EXPECT_TRUE(g.reaches(g.usable(), m.capability("goal")));
  EXPECT_TRUE(g.reaches(g.usable(), m.capability("user")));
  EXPECT_EQ(plan_ids(m, g.plans(m.capability("kernel"), g.usable(), 10, 10)), (Names{{}}));
}

// Bounds: plans beyond max_paths / max_steps are reported as cut short.
TEST(AttackGraph, BoundsAreReported) {
  AttackModel m = model({{"a", {"user"}, {"goal"}, {"mmap_file"}},
                         {"b", {"user"}, {"goal"}, {"file_mprotect"}},
                         {"c", {"user"}, {"x"}, {"ptrace_access"}},
                         {"d", {"x"}, {"goal"}, {"key_alloc"}}},
                        {"x"});
  AttackGraph g = graph(m);
  policyctl::PlanSearch all = g.plans(m.capability("goal"), g.usable(), 10, 10);
  EXPECT_EQ(plan_ids(m, all), (Names{{"a"}, {"b"}, {"c", "d"}}));
  EXPECT_TRUE(all.complete);
  policyctl::PlanSearch two = g.plans(m.capability("goal"), g.usable(), 10, 2);
  EXPECT_EQ(plan_ids(m, two), (Names{{"a"}, {"b"}}));
  EXPECT_FALSE(two.complete);
  policyctl::PlanSearch short_only = g.plans(m.capability("goal"), g.usable(), 1, 10);
  EXPECT_EQ(plan_ids(m, short_only), (Names{{"a"}, {"b"}}));
  EXPECT_FALSE(short_only.complete);
  // The cut sees every path, whatever the listing bounds: three kinds.
  policyctl::LabelCut c = g.min_label_cut(m.capability("goal"), g.usable());
  EXPECT_EQ(c.size, 3u);
  EXPECT_EQ(c.count, 2u);  // {mmap_file, file_mprotect} + ptrace_access or key_alloc
}

}  // namespace
}  // namespace policyctl_test
