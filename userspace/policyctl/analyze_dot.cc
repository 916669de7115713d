// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analyze_dot.cc - the attack graph as Graphviz DOT, through Boost's
// write_graphviz with our own vertex, edge and graph property writers.
#include <boost/graph/graphviz.hpp>

#include "analyze_graph.h"

namespace policyctl {

namespace {

// A DOT double-quoted string: quotes and backslashes escaped; "\n" inside
// labels is Graphviz's line break and is passed through on purpose.
std::string dot_quote(const std::string& s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && s[i + 1] == 'n') {
      out += "\\n";
      ++i;
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) >= 0x20) {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

void AttackGraph::write_dot(std::ostream& out, const std::vector<std::string>& step_notes,
                            const StepSet& on_plan,
                            const std::vector<bool>& goal_reached) const {
  std::vector<int> goal_of(n_caps_, -1);
  for (std::size_t i = 0; i < m_.goals.size(); ++i) {
    goal_of[static_cast<std::size_t>(m_.goals[i].capability)] = static_cast<int>(i);
  }
  std::vector<bool> start(n_caps_, false);
  for (int c : m_.start_capabilities) start[static_cast<std::size_t>(c)] = true;

  auto vertex_writer = [&](std::ostream& o, std::size_t v) {
    const Vertex& vx = g_[v];
    const auto i = static_cast<std::size_t>(vx.index);
    if (!vx.is_step) {
      const std::string& name = m_.capabilities[i];
      if (goal_of[i] >= 0) {
        const bool hit = goal_reached[static_cast<std::size_t>(goal_of[i])];
        o << "[shape=doubleoctagon,style=filled,fillcolor=" << (hit ? "salmon" : "palegreen")
          << ",label=" << dot_quote("goal " + name + "\\n" + (hit ? "REACHABLE" : "unreachable"))
          << "]";
      } else {
        o << "[shape=ellipse" << (start[i] ? ",style=filled,fillcolor=lightblue" : "")
          << ",label=" << dot_quote(name) << "]";
      }
      return;
    }
    const std::string label = m_.steps[i].id + "\\n" + step_notes[i];
    if (blocked_[i]) {
      o << "[shape=box,style=dashed,color=gray40,fontcolor=gray40,label=" << dot_quote(label)
        << "]";
    } else {
      o << "[shape=box" << (on_plan[i] ? ",color=red,penwidth=2" : "")
        << ",label=" << dot_quote(label) << "]";
    }
  };
  auto edge_writer = [&](std::ostream& o, Graph::edge_descriptor e) {
    const Vertex& step = g_[boost::source(e, g_)].is_step ? g_[boost::source(e, g_)]
                                                           : g_[boost::target(e, g_)];
    const auto i = static_cast<std::size_t>(step.index);
    if (blocked_[i]) {
      o << "[style=dashed,color=gray60]";
    } else if (on_plan[i]) {
      o << "[color=red]";
    }
  };
  auto graph_writer = [&](std::ostream& o) {
    o << "label=" << dot_quote("attack model " + m_.name) << ";\nrankdir=LR;\n"
      << "node [fontname=\"Helvetica\",fontsize=10];\n";
  };
  boost::write_graphviz(out, g_, vertex_writer, edge_writer, graph_writer);
}

}  // namespace policyctl
