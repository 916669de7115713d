// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analyze_cut_flow.h - the edge-cut special case of the attack graph's
// minimum cut, solved with Boost.Graph's boykov_kolmogorov_max_flow: a
// network source -> start capabilities -> (step in -> step out) -> granted
// capabilities -> goal -> sink, where a step carried by an event has
// capacity 1 on its in -> out edge and everything else is unbounded. With
// one non-start requirement per step and each event kind on one step, a
// minimum label cut is exactly a minimum cut of this network.
#ifndef POLICYCTL_ANALYZE_CUT_FLOW_H
#define POLICYCTL_ANALYZE_CUT_FLOW_H

#include <cstddef>
#include <vector>

namespace policyctl {

struct FlowStep {
  int step = 0;     // index in the model
  int need = -1;    // the one capability it requires beyond the start (-1: none)
  std::vector<int> grants;
  bool cuttable = false;  // carried by an event: capacity 1, else unbounded
};

struct FlowProblem {
  std::size_t n_caps = 0;
  std::vector<int> source_caps;  // held at the start
  int sink_cap = 0;              // the goal
  std::vector<FlowStep> steps;
};

struct FlowAnswer {
  long value = 0;           // max flow = min cut capacity
  bool unbounded = false;   // the cut would need an uncuttable step
  std::vector<int> cut_steps;  // steps on the source side whose edge crosses the cut
};

FlowAnswer solve_flow(const FlowProblem& p);

}  // namespace policyctl

#endif  // POLICYCTL_ANALYZE_CUT_FLOW_H
