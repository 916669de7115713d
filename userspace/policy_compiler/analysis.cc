// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analysis.cc - update-cycle detection (Boost.Graph), unreachable and
// shadowed rules.
#include "analysis.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>

#include "static_eval.h"
#include "tzucon_abi.h"

namespace policyc {

namespace {

struct EdgeInfo {
  std::size_t rule = 0;    // index into Policy::rules
  std::size_t update = 0;  // index into that rule's post-updates
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS,
                                    boost::directedS, boost::no_property,
                                    EdgeInfo>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

void attrs_read(const Expr& e, std::set<std::uint16_t>* out) {
  if (e.lhs_kind == ucon::kOperandAttr) out->insert(e.lhs);
  if (e.rhs.kind == ucon::kOperandAttr) out->insert(e.rhs.ref);
  for (const Expr& k : e.kids) attrs_read(k, out);
}

Graph build_graph(const Policy& p) {
  Graph g(p.attrs.size());
  for (std::size_t r = 0; r < p.rules.size(); ++r) {
    const Rule& rule = p.rules[r];
    if (!(rule.flags & ucon::kRuleSession) || !rule.ongoing) continue;
    std::set<std::uint16_t> reads;
    attrs_read(*rule.ongoing, &reads);
    std::set<std::pair<std::uint16_t, std::uint16_t>> added;
    for (std::size_t u = 0; u < rule.post.size(); ++u) {
      for (std::uint16_t a : reads) {
        if (added.insert({a, rule.post[u].attr}).second) {
          boost::add_edge(a, rule.post[u].attr, EdgeInfo{r, u}, g);
        }
      }
    }
  }
  return g;
}

// Shortest cycle through v using only vertices of component `comp`.
std::vector<Edge> cycle_through(const Graph& g, Vertex v,
                                const std::vector<int>& comp) {
  std::map<Vertex, Edge> via;
  std::deque<Vertex> queue{v};
  std::set<Vertex> seen{v};
  while (!queue.empty()) {
    Vertex u = queue.front();
    queue.pop_front();
    for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
      Vertex w = boost::target(*it, g);
      if (comp[w] != comp[v]) continue;
      if (w == v) {
        std::vector<Edge> path{*it};
        for (Vertex x = u; x != v; x = boost::source(via.at(x), g)) {
          path.push_back(via.at(x));
        }
        std::reverse(path.begin(), path.end());
        return path;
      }
      if (seen.insert(w).second) {
        via.emplace(w, *it);
        queue.push_back(w);
      }
    }
  }
  return {};
}

bool check_cycles(const Policy& p, DiagSink* diag) {
  Graph g = build_graph(p);
  std::vector<int> comp(boost::num_vertices(g));
  boost::strong_components(
      g, boost::make_iterator_property_map(
             comp.begin(), boost::get(boost::vertex_index, g)));
  std::set<int> reported;
  bool ok = true;
  for (Vertex v = 0; v < boost::num_vertices(g); ++v) {
    if (reported.count(comp[v]) != 0) continue;
    std::vector<Edge> cycle = cycle_through(g, v, comp);
    if (cycle.empty()) continue;
    reported.insert(comp[v]);
    ok = false;
    std::string msg = "update cycle that can never settle: attribute " +
                      quote(p.attrs[v].name);
    for (const Edge& e : cycle) {
      const EdgeInfo& info = g[e];
      msg += " -> " + quote(p.attrs[boost::target(e, g)].name) + " (rule " +
             quote(p.rules[info.rule].name) + ")";
    }
    const EdgeInfo& first = g[cycle.front()];
    diag->error(p.rules[first.rule].post[first.update].pointer, msg);
  }
  return ok;
}

std::string rule_label(const Rule& r) {
  return "rule " + quote(r.name) + " (id " + std::to_string(r.id) + ")";
}

// Rules whose target or condition can never hold, flagged in *dead.
void check_unreachable(const Policy& p, DiagSink* diag,
                       std::vector<bool>* dead) {
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const Rule& r = p.rules[i];
    if (r.hook == TZU_HOOK_USAGE_END || r.hook == TZU_HOOK_TASK_EXIT) {
      // The engine handles these itself: they end sessions (and, at exit,
      // drop the process's tgid-keyed attributes); no rule decides them.
      diag->warning(r.pointer + "/hook",
                    rule_label(r) + " is never evaluated: the engine only "
                                    "ends usage on \"" +
                        (r.hook == TZU_HOOK_USAGE_END ? "usage_end"
                                                      : "task_exit") +
                        "\" events");
      (*dead)[i] = true;
      continue;
    }
    if (r.target) {
      StaticValue v = static_value(*r.target, p);
      if (v.truth == Truth::kFalse) {
        diag->warning(v.pointer,
                      rule_label(r) + " can never match: " + v.reason);
        (*dead)[i] = true;
      }
    }
    if (r.condition && !(*dead)[i]) {
      StaticValue v = static_value(*r.condition, p);
      if (v.truth == Truth::kFalse) {
        diag->warning(v.pointer, rule_label(r) +
                                     " can never match: its condition never "
                                     "holds: " + v.reason);
        (*dead)[i] = true;
      }
    }
    if (r.ongoing) {
      StaticValue v = static_value(*r.ongoing, p);
      if (v.truth == Truth::kFalse) {
        diag->warning(v.pointer, "the ongoing predicate of " + rule_label(r) +
                                     " never holds (" + v.reason +
                                     "): its sessions are revoked at the "
                                     "first re-check");
      }
    }
  }
}

// Top-level conjuncts of a rule's target; empty = always true.
std::set<std::string> conjuncts(const Rule& r) {
  std::set<std::string> out;
  if (!r.target || r.target->op == ucon::kOpTrue) return out;
  if (r.target->op == ucon::kOpAnd) {
    for (const Expr& k : r.target->kids) {
      if (k.op != ucon::kOpTrue) out.insert(canonical(k));
    }
  } else {
    out.insert(canonical(*r.target));
  }
  return out;
}

void check_shadowed(const Policy& p, DiagSink* diag,
                    const std::vector<bool>& dead) {
  std::vector<std::set<std::string>> conj;
  for (const Rule& r : p.rules) conj.push_back(conjuncts(r));
  // a covers b: whenever b's target holds, a's target and condition hold.
  auto covers = [&](std::size_t a, std::size_t b) {
    const Rule& ra = p.rules[a];
    return a != b && !dead[a] && ra.hook == p.rules[b].hook && !ra.condition &&
           std::includes(conj[b].begin(), conj[b].end(), conj[a].begin(),
                         conj[a].end());
  };
  const bool first_applicable = p.flags & ucon::kPolicyFirstApplicable;
  for (std::size_t b = 0; b < p.rules.size(); ++b) {
    if (dead[b]) continue;
    const Rule& rb = p.rules[b];
    bool done = false;
    for (std::size_t a = 0; a < b && !done; ++a) {
      if (!covers(a, b)) continue;
      if (first_applicable || p.rules[a].effect == rb.effect) {
        diag->warning(rb.pointer, rule_label(rb) + " is shadowed by earlier " +
                                      rule_label(p.rules[a]) +
                                      " and never decides");
        done = true;
      }
    }
    if (done || first_applicable || rb.effect != ucon::kEffectPermit) continue;
    for (std::size_t a = 0; a < p.rules.size() && !done; ++a) {
      if (p.rules[a].effect != ucon::kEffectDeny || !covers(a, b)) continue;
      diag->warning(rb.pointer, "permit " + rule_label(rb) +
                                    " is shadowed by deny " +
                                    rule_label(p.rules[a]) +
                                    ", which matches whenever it does "
                                    "(deny-overrides)");
      done = true;
    }
  }
}

// Hex, not quote(): quote() shortens long input, which could merge values.
std::string hex(const std::string& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

void canonical_operand(const Operand& o, std::string* out) {
  *out += "|" + std::to_string(o.kind) + ":";
  switch (o.kind) {
    case ucon::kOperandInt: *out += std::to_string(o.i); break;
    case ucon::kOperandBytes: *out += hex(o.bytes); break;
    case ucon::kOperandRange:
      *out += std::to_string(o.lo) + "," + std::to_string(o.hi);
      break;
    case ucon::kOperandSet:
      for (std::int64_t v : o.ints) *out += std::to_string(v) + ",";
      for (const std::string& s : o.strs) *out += hex(s) + ",";
      break;
    case ucon::kOperandField:
    case ucon::kOperandAttr: *out += std::to_string(o.ref); break;
    default: break;
  }
}

}  // namespace

std::string canonical(const Expr& e) {
  std::string out = "(" + std::to_string(e.op) + " " +
                    std::to_string(e.lhs_kind) + ":" + std::to_string(e.lhs);
  canonical_operand(e.rhs, &out);
  for (const Expr& k : e.kids) out += " " + canonical(k);
  return out + ")";
}

bool analyse_policy(const Policy& p, DiagSink* diag) {
  bool ok = check_cycles(p, diag);
  std::vector<bool> dead(p.rules.size(), false);
  check_unreachable(p, diag, &dead);
  check_shadowed(p, diag, dead);
  return ok;
}

}  // namespace policyc
