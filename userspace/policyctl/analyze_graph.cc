// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analyze_graph.cc - attack graph: forward chaining, minimal plans, label
// cuts (exact) and the max-flow cross-check, Graphviz output.
#include "analyze_graph.h"

#include <algorithm>
#include <functional>
#include <set>

#include "analyze_cut_flow.h"

namespace policyctl {

namespace {

// Plan search nodes visited before the enumeration reports itself cut short.
constexpr std::size_t kSearchBudget = 200000;
// Minimum cuts listed (all are counted).
constexpr std::size_t kMaxListedCuts = 64;

std::size_t count(const StepSet& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), true));
}

bool less_plan(const std::vector<int>& a, const std::vector<int>& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  std::vector<int> sa = a, sb = b;
  std::sort(sa.begin(), sa.end());
  std::sort(sb.begin(), sb.end());
  return sa < sb;
}

}  // namespace

AttackGraph::AttackGraph(const AttackModel& m, std::vector<std::vector<std::uint32_t>> hooks,
                         std::vector<bool> blocked, std::vector<std::string> hook_names)
    : m_(m), hooks_(std::move(hooks)), blocked_(std::move(blocked)),
      hook_names_(std::move(hook_names)),
      n_caps_(m.capabilities.size()) {
  for (std::size_t c = 0; c < n_caps_; ++c) {
    boost::add_vertex(Vertex{false, static_cast<int>(c)}, g_);
  }
  for (std::size_t s = 0; s < m.steps.size(); ++s) {
    auto v = boost::add_vertex(Vertex{true, static_cast<int>(s)}, g_);
    for (int c : m.steps[s].needs) boost::add_edge(static_cast<std::size_t>(c), v, g_);
    for (int c : m.steps[s].grants) boost::add_edge(v, static_cast<std::size_t>(c), g_);
  }
}

StepSet AttackGraph::usable() const {
  StepSet s(m_.steps.size());
  for (std::size_t i = 0; i < m_.steps.size(); ++i) s[i] = !blocked_[i];
  return s;
}

StepSet AttackGraph::all_steps() const {
  return StepSet(m_.steps.size(), true);
}

std::vector<bool> AttackGraph::closure(const StepSet& steps) const {
  std::vector<bool> held(n_caps_, false);
  for (int c : m_.start_capabilities) held[static_cast<std::size_t>(c)] = true;
  StepSet fired(steps.size());
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t s = 0; s < steps.size(); ++s) {
      if (!steps[s]) continue;
      if (fired[s]) continue;
      const std::size_t v = n_caps_ + s;
      bool ready = true;
      for (auto [e, end] = boost::in_edges(v, g_); e != end && ready; ++e) {
        ready = held[boost::source(*e, g_)];
      }
      if (!ready) continue;
      fired[s] = true;
      changed = true;
      for (auto [e, end] = boost::out_edges(v, g_); e != end; ++e) {
        held[boost::target(*e, g_)] = true;
      }
    }
  }
  return held;
}

bool AttackGraph::reaches(const StepSet& steps, int cap) const {
  return closure(steps)[static_cast<std::size_t>(cap)];
}

bool AttackGraph::valid_plan(const StepSet& chosen, int cap) const {
  return reaches(chosen, cap);
}

std::vector<int> AttackGraph::firing_order(const StepSet& chosen) const {
  std::vector<bool> held(n_caps_, false);
  for (int c : m_.start_capabilities) held[static_cast<std::size_t>(c)] = true;
  std::vector<int> order;
  StepSet left = chosen;
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  while (count(left) > 0) {
    std::size_t next = kNone;
    for (std::size_t s = 0; s < left.size() && next == kNone; ++s) {
      if (!left[s]) continue;
      const auto& needs = m_.steps[s].needs;
      if (std::all_of(needs.begin(), needs.end(),
                      [&](int c) { return held[static_cast<std::size_t>(c)]; })) {
        next = s;
      }
    }
    if (next == kNone) break;  // not a valid plan: callers check first
    left[next] = false;
    order.push_back(static_cast<int>(next));
    for (int c : m_.steps[next].grants) held[static_cast<std::size_t>(c)] = true;
  }
  return order;
}

StepSet AttackGraph::relevant(int cap, const StepSet& steps) const {
  StepSet rel(steps.size());
  std::vector<bool> wanted(n_caps_, false);
  std::vector<int> work{cap};
  wanted[static_cast<std::size_t>(cap)] = true;
  while (!work.empty()) {
    const auto v = static_cast<std::size_t>(work.back());
    work.pop_back();
    for (auto [e, end] = boost::in_edges(v, g_); e != end; ++e) {
      const std::size_t s = boost::source(*e, g_) - n_caps_;
      if (!steps[s] || rel[s]) continue;
      rel[s] = true;
      for (int c : m_.steps[s].needs) {
        if (!wanted[static_cast<std::size_t>(c)]) {
          wanted[static_cast<std::size_t>(c)] = true;
          work.push_back(c);
        }
      }
    }
  }
  return rel;
}

// Depth-first over sets of chosen steps (each set once). While a required
// capability is neither held at the start nor granted by a chosen step, the
// search branches on the steps granting the first such capability; when
// every requirement is covered but the set does not fire (its steps support
// each other in a cycle), on every step granting a capability forward
// chaining did not reach. Every minimal plan contains the chosen set at
// some branch, so none is missed within the bounds.
// The steps the search branches on from `chosen` (see plans()); sets
// *reached when `chosen` already fires up to the goal.
std::vector<std::size_t> AttackGraph::branches(const StepSet& chosen, const StepSet& steps,
                                               std::size_t goal, bool* reached) const {
  std::vector<bool> provided(n_caps_, false), needed(n_caps_, false);
  for (int c : m_.start_capabilities) provided[static_cast<std::size_t>(c)] = true;
  needed[goal] = true;
  for (std::size_t s = 0; s < chosen.size(); ++s) {
    if (!chosen[s]) continue;
    for (int c : m_.steps[s].grants) provided[static_cast<std::size_t>(c)] = true;
    for (int c : m_.steps[s].needs) needed[static_cast<std::size_t>(c)] = true;
  }
  std::vector<std::size_t> out;
  auto granters = [&](std::size_t c) {
    for (auto [e, end] = boost::in_edges(c, g_); e != end; ++e) {
      const std::size_t s = boost::source(*e, g_) - n_caps_;
      if (steps[s] && !chosen[s] && std::find(out.begin(), out.end(), s) == out.end()) {
        out.push_back(s);
      }
    }
  };
  for (std::size_t c = 0; c < n_caps_; ++c) {
    if (needed[c] && !provided[c]) {
      granters(c);  // the first open requirement only
      return out;
    }
  }
  const std::vector<bool> held = closure(chosen);
  *reached = held[goal];
  if (*reached) return out;
  for (std::size_t c = 0; c < n_caps_; ++c) {
    if (needed[c] && !held[c]) granters(c);  // cyclic support: what did not fire
  }
  return out;
}

std::vector<std::vector<int>> AttackGraph::minimal(const std::vector<StepSet>& found,
                                                   int cap) const {
  std::vector<std::vector<int>> out;
  for (const StepSet& p : found) {
    bool is_min = true;
    for (std::size_t s = 0; s < p.size() && is_min; ++s) {
      if (!p[s]) continue;
      StepSet q = p;
      q[s] = false;
      is_min = !valid_plan(q, cap);  // monotone: one removal decides
    }
    if (is_min) out.push_back(firing_order(p));
  }
  std::sort(out.begin(), out.end(), less_plan);
  return out;
}

// Depth-first over sets of chosen steps (each set once). While a required
// capability is neither held at the start nor granted by a chosen step, the
// search branches on the steps granting the first such capability; when
// every requirement is covered but the set does not fire (its steps support
// each other in a cycle), on every step granting a capability forward
// chaining did not reach. Every minimal plan contains the chosen set at
// some branch, so none is missed within the bounds.
PlanSearch AttackGraph::plans(int cap, const StepSet& steps, std::size_t max_steps,
                              std::size_t max_plans) const {
  PlanSearch out;
  const auto goal = static_cast<std::size_t>(cap);
  if (closure(StepSet(steps.size()))[goal]) {
    out.plans.push_back({});  // held from the start
    return out;
  }
  std::set<StepSet> seen;
  std::vector<StepSet> found;
  bool pruned = false;
  StepSet chosen(steps.size());
  std::function<void()> dfs = [&]() {
    if (!seen.insert(chosen).second || seen.size() > kSearchBudget) return;
    bool reached = false;
    const std::vector<std::size_t> next = branches(chosen, steps, goal, &reached);
    if (reached) {
      found.push_back(chosen);
    } else if (count(chosen) >= max_steps) {
      pruned = pruned || !next.empty();
    } else {
      for (std::size_t s : next) {
        chosen[s] = true;
        dfs();
        chosen[s] = false;
      }
    }
  };
  dfs();
  out.plans = minimal(found, cap);
  if (seen.size() > kSearchBudget) {
    out.complete = false;
    out.bound = "search budget of " + std::to_string(kSearchBudget) + " step sets";
  } else if (pruned) {
    out.complete = false;
    out.bound = "plans longer than " + std::to_string(max_steps) + " steps are not listed";
  }
  if (out.plans.size() > max_plans) {
    out.plans.resize(max_plans);
    out.complete = false;
    out.bound = "at most " + std::to_string(max_plans) + " plans are listed";
  }
  return out;
}

bool AttackGraph::search_cuts(int cap, const StepSet& steps,
                              const std::vector<std::uint32_t>& kinds, LabelCut* out) const {
  const std::size_t n = kinds.size();
  for (std::size_t k = 1; k <= n; ++k) {
    std::vector<std::size_t> idx(k);
    for (std::size_t i = 0; i < k; ++i) idx[i] = i;
    for (;;) {
      StepSet left = steps;
      for (std::size_t s = 0; s < steps.size(); ++s) {
      if (!steps[s]) continue;
        for (std::size_t i : idx) {
          const auto& h = hooks_[s];
          if (std::find(h.begin(), h.end(), kinds[i]) != h.end()) left[s] = false;
        }
      }
      ++out->checked;
      if (!reaches(left, cap)) {
        ++out->count;
        if (out->cuts.size() < kMaxListedCuts) {
          std::vector<std::uint32_t> cut;
          for (std::size_t i : idx) cut.push_back(kinds[i]);
          out->cuts.push_back(cut);
        }
      }
      // Next k-combination of [0, n) in lexicographic order.
      std::size_t i = k;
      while (i > 0 && idx[i - 1] == n - k + i - 1) --i;
      if (i == 0) break;
      ++idx[i - 1];
      for (std::size_t j = i; j < k; ++j) idx[j] = idx[j - 1] + 1;
    }
    if (out->count > 0) {
      out->size = k;
      return true;
    }
  }
  return false;
}

LabelCut AttackGraph::min_label_cut(int cap, const StepSet& steps) const {
  LabelCut out;
  out.reachable = reaches(steps, cap);
  if (!out.reachable) {
    out.cuts.push_back({});  // nothing needs denying
    out.count = 1;
    return out;
  }
  const StepSet rel = relevant(cap, steps);
  std::vector<std::uint32_t> kinds;
  StepSet hookless = rel;
  for (std::size_t s = 0; s < rel.size(); ++s) {
      if (!rel[s]) continue;
    if (!hooks_[s].empty()) hookless[s] = false;
    kinds.insert(kinds.end(), hooks_[s].begin(), hooks_[s].end());
  }
  std::sort(kinds.begin(), kinds.end());
  kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
  out.candidates = kinds.size();
  if (reaches(hookless, cap)) {
    out.cuttable = false;
    PlanSearch p = plans(cap, hookless, count(hookless), 1);
    if (!p.plans.empty()) out.uncuttable_plan = p.plans.front();
    return out;
  }
  search_cuts(cap, steps, kinds, &out);
  return out;
}

FlowCut AttackGraph::flow_cut(int cap, const StepSet& steps) const {
  FlowCut out;
  const StepSet rel = relevant(cap, steps);
  std::vector<bool> start(n_caps_, false);
  for (int c : m_.start_capabilities) start[static_cast<std::size_t>(c)] = true;
  std::vector<int> kind_owner(TZU_HOOK_COUNT, -1);
  FlowProblem fp;
  fp.n_caps = n_caps_;
  fp.source_caps = m_.start_capabilities;
  fp.sink_cap = cap;
  for (std::size_t s = 0; s < rel.size(); ++s) {
      if (!rel[s]) continue;
    const ModelStep& st = m_.steps[s];
    int need = -1;
    for (int c : st.needs) {
      if (start[static_cast<std::size_t>(c)]) continue;
      if (need >= 0) {
        out.why_not = "step " + st.id + " requires two capabilities (an AND, not an edge)";
        return out;
      }
      need = c;
    }
    for (std::uint32_t h : hooks_[s]) {
      if (kind_owner[h] >= 0) {
        out.why_not = "event kind " + hook_names_[h] + " carries steps " +
                      m_.steps[static_cast<std::size_t>(kind_owner[h])].id + " and " + st.id +
                      " (a label cut, not an edge cut)";
        return out;
      }
      kind_owner[h] = static_cast<int>(s);
    }
    fp.steps.push_back({static_cast<int>(s), need, st.grants, !hooks_[s].empty()});
  }
  out.applicable = true;
  FlowAnswer a = solve_flow(fp);
  out.value = a.value;
  out.steps = a.cut_steps;
  if (a.unbounded) {
    out.applicable = false;
    out.why_not = "a path of steps no event carries: no finite cut";
  }
  return out;
}

}  // namespace policyctl
