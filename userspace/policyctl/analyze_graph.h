// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analyze_graph.h - the attack graph (Boost.Graph): a bipartite graph of
// capabilities and steps, edges capability -> step (the step requires it)
// and step -> capability (the step grants it). A step fires when it is not
// blocked and the attacker holds every capability it requires (AND); a
// capability is held when any fired step grants it (OR). On it:
//   - reachability: forward chaining from the attacker's start capabilities;
//   - paths: minimal attack plans (sets of steps that reach the goal, none
//     of which can be left out), shortest first, enumerated exhaustively up
//     to a bound; with one requirement per step these are the simple paths;
//   - cuts: minimum sets of event kinds whose denial blocks every plan (a
//     minimum label cut, NP-hard in general): exact search over kind sets in
//     increasing size, each checked by forward chaining; every tie is found.
//     Where the problem is an edge cut (one requirement per step, each kind
//     on one step) Boost's boykov_kolmogorov_max_flow checks the size.
#ifndef POLICYCTL_ANALYZE_GRAPH_H
#define POLICYCTL_ANALYZE_GRAPH_H

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "analyze_model.h"

namespace policyctl {

// Membership by step index. (Not boost::dynamic_bitset: it needs <climits>,
// which secure/ucon_engine/limits.h shadows for every target that sees the
// engine's headers; the Boost parts of analyze build without them.)
using StepSet = std::vector<bool>;

struct PlanSearch {
  std::vector<std::vector<int>> plans;  // step indices in firing order, shortest first
  bool complete = true;  // false: a bound cut the enumeration short
  std::string bound;     // which bound, when !complete
};

struct LabelCut {
  bool reachable = false;   // the goal is reachable with the usable steps
  bool cuttable = true;     // false: some plan has no step carried by an event
  std::vector<int> uncuttable_plan;  // such a plan, when !cuttable
  std::size_t size = 0;     // hooks per minimum cut
  std::vector<std::vector<std::uint32_t>> cuts;  // all minimum cuts (TZU_HOOK_*), up to a bound
  std::size_t count = 0;    // how many minimum cuts there are
  std::size_t candidates = 0;  // event kinds searched over
  std::size_t checked = 0;     // kind sets checked by forward chaining
};

struct FlowCut {
  bool applicable = false;
  std::string why_not;       // when !applicable
  long value = 0;            // max-flow value = minimum number of steps to cut
  std::vector<int> steps;    // one minimum cut (step indices)
};

class AttackGraph {
 public:
  // hooks[s]: event kinds carrying step s; blocked[s]: the policy blocks it.
  // hook_names[h]: the name of event kind h (messages only).
  AttackGraph(const AttackModel& m, std::vector<std::vector<std::uint32_t>> hooks,
              std::vector<bool> blocked, std::vector<std::string> hook_names);

  StepSet usable() const;  // the steps not blocked
  StepSet all_steps() const;
  bool reaches(const StepSet& steps, int cap) const;
  PlanSearch plans(int cap, const StepSet& steps, std::size_t max_steps,
                   std::size_t max_plans) const;
  LabelCut min_label_cut(int cap, const StepSet& steps) const;
  FlowCut flow_cut(int cap, const StepSet& steps) const;

  // Graphviz through boost::write_graphviz: start capabilities filled,
  // goals double octagons (red: reachable), blocked steps grey and dashed
  // with the deciding rule, steps on a reported plan red.
  void write_dot(std::ostream& out, const std::vector<std::string>& step_notes,
                 const StepSet& on_plan, const std::vector<bool>& goal_reached) const;

 private:
  struct Vertex {
    bool is_step = false;
    int index = 0;  // capability or step index
  };
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, Vertex>;

  std::vector<bool> closure(const StepSet& steps) const;  // capabilities held
  bool valid_plan(const StepSet& chosen, int cap) const;
  std::vector<int> firing_order(const StepSet& chosen) const;
  std::vector<std::size_t> branches(const StepSet& chosen, const StepSet& steps,
                                    std::size_t goal, bool* reached) const;
  std::vector<std::vector<int>> minimal(const std::vector<StepSet>& found, int cap) const;
  StepSet relevant(int cap, const StepSet& steps) const;
  bool search_cuts(int cap, const StepSet& steps, const std::vector<std::uint32_t>& kinds,
                   LabelCut* out) const;

  const AttackModel& m_;
  std::vector<std::vector<std::uint32_t>> hooks_;
  std::vector<bool> blocked_;
  std::vector<std::string> hook_names_;
  Graph g_;
  std::size_t n_caps_;
};

}  // namespace policyctl

#endif  // POLICYCTL_ANALYZE_GRAPH_H
