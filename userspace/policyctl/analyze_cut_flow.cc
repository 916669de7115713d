// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analyze_cut_flow.cc - max-flow/min-cut with boykov_kolmogorov_max_flow.
#include "analyze_cut_flow.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/boykov_kolmogorov_max_flow.hpp>

namespace policyctl {

namespace {

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using FlowGraph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS,
    boost::property<boost::vertex_color_t, boost::default_color_type,
                    boost::property<boost::vertex_distance_t, long,
                                    boost::property<boost::vertex_predecessor_t,
                                                    Traits::edge_descriptor>>>,
    boost::property<boost::edge_capacity_t, long,
                    boost::property<boost::edge_residual_capacity_t, long,
                                    boost::property<boost::edge_reverse_t,
                                                    Traits::edge_descriptor>>>>;

class Network {
 public:
  explicit Network(std::size_t n) : g_(n) {}
  void edge(std::size_t from, std::size_t to, long cap) {
    auto e = boost::add_edge(from, to, g_).first;
    auto r = boost::add_edge(to, from, g_).first;
    boost::put(boost::edge_capacity, g_, e, cap);
    boost::put(boost::edge_capacity, g_, r, 0);
    boost::put(boost::edge_reverse, g_, e, r);
    boost::put(boost::edge_reverse, g_, r, e);
  }
  FlowGraph& graph() { return g_; }

 private:
  FlowGraph g_;
};

}  // namespace

FlowAnswer solve_flow(const FlowProblem& p) {
  // 0 source, 1 sink, 2.. capabilities, then two vertices per step.
  const std::size_t kSource = 0, kSink = 1, caps = 2;
  const std::size_t steps = caps + p.n_caps;
  // Larger than any cut made of cuttable steps only.
  const long inf = static_cast<long>(p.steps.size()) + 1;
  Network net(steps + 2 * p.steps.size());
  for (int c : p.source_caps) net.edge(kSource, caps + static_cast<std::size_t>(c), inf);
  net.edge(caps + static_cast<std::size_t>(p.sink_cap), kSink, inf);
  for (std::size_t i = 0; i < p.steps.size(); ++i) {
    const FlowStep& s = p.steps[i];
    const std::size_t in = steps + 2 * i, out = in + 1;
    net.edge(s.need < 0 ? kSource : caps + static_cast<std::size_t>(s.need), in, inf);
    net.edge(in, out, s.cuttable ? 1 : inf);
    for (int c : s.grants) net.edge(out, caps + static_cast<std::size_t>(c), inf);
  }
  FlowGraph& g = net.graph();
  FlowAnswer a;
  a.value = boost::boykov_kolmogorov_max_flow(g, kSource, kSink);
  if (a.value >= inf) {
    a.unbounded = true;
    return a;
  }
  // Black: the source side of the minimum cut the algorithm found.
  auto color = boost::get(boost::vertex_color, g);
  for (std::size_t i = 0; i < p.steps.size(); ++i) {
    const std::size_t in = steps + 2 * i;
    if (p.steps[i].cuttable && color[in] == boost::black_color &&
        color[in + 1] != boost::black_color) {
      a.cut_steps.push_back(p.steps[i].step);
    }
  }
  return a;
}

}  // namespace policyctl
