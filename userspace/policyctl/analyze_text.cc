// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analyze_text.cc - the human-readable summary of an analysis report.
#include "analyze.h"

namespace policyctl {

namespace {

std::string joined(const Json& arr, const char* sep) {
  std::string out;
  for (const Json& v : arr) {
    if (!out.empty()) out += sep;
    out += v.is_string() ? v.get<std::string>() : v.dump();
  }
  return out;
}

std::string rule_text(const Json& r) {
  std::string out = std::to_string(r["id"].get<std::uint32_t>());
  if (r.contains("name")) out += " \"" + r["name"].get<std::string>() + "\"";
  return out;
}

void print_steps(const Json& rep, std::ostream& out) {
  out << "steps:\n";
  for (auto it = rep["steps"].begin(); it != rep["steps"].end(); ++it) {
    const Json& s = it.value();
    out << "  " << it.key() << ": ";
    const std::string by = s["by"].get<std::string>();
    if (!s["blocked"].get<bool>()) {
      out << (s.value("unmonitored", false) ? "not blocked (no event or command carries it)"
                                            : "not blocked");
      if (s["would_deny"].get<bool>()) out << " (permissive: the engine would deny)";
    } else if (by == "rule") {
      out << "BLOCKED by rule " << s["rule"].get<std::uint32_t>();
      if (s.contains("rule_name")) out << " \"" << s["rule_name"].get<std::string>() << "\"";
    } else if (by == "default") {
      out << "BLOCKED by the policy default";
    } else {
      out << "BLOCKED (" << by << "): "
          << s["commands"][s["command"].get<std::size_t>()]["reason"].get<std::string>();
    }
    if (!s["hooks"].empty()) out << "  [" << joined(s["hooks"], ", ") << "]";
    out << "\n";
  }
}

void print_goal(const std::string& id, const Json& g, std::ostream& out) {
  out << "  " << id << " (" << g["kind"].get<std::string>() << "): "
      << (g["reachable"].get<bool>() ? "REACHABLE" : "unreachable");
  if (!g["reachable"].get<bool>() && g["reachable_without_policy"].get<bool>()) {
    out << " (reachable without the policy)";
  }
  out << "\n";
  std::size_t n = 0;
  for (const Json& p : g["paths"]) {
    out << "    path " << ++n << ": " << (p.empty() ? "(held from the start)" : joined(p, " -> "))
        << "\n";
  }
  if (!g["paths_complete"].get<bool>()) out << "    (" << g["paths_bound"].get<std::string>() << ")\n";
  if (!g["reachable"].get<bool>()) return;
  const Json& c = g["cut"];
  if (!c["cuttable"].get<bool>()) {
    out << "    no cut by event kinds: no step of the plan " << joined(c["uncuttable_path"], " -> ")
        << " is carried by a hook event\n";
    return;
  }
  out << "    minimum cut: " << c["size"].get<std::size_t>() << " event kind(s), "
      << c["count"].get<std::size_t>() << (c["unique"].get<bool>() ? " cut (unique)" : " cuts (ties)")
      << ":";
  for (const Json& cut : c["cuts"]) out << " {" << joined(cut, ", ") << "}";
  out << "\n";
  const Json& f = c["max_flow"];
  if (f["applicable"].get<bool>()) {
    out << "    max-flow check (boykov_kolmogorov_max_flow): " << f["value"].get<long>()
        << (f["agrees"].get<bool>() ? ", agrees" : ", DISAGREES") << "\n";
  } else {
    out << "    max-flow check not applicable: " << f["why_not"].get<std::string>() << "\n";
  }
}

}  // namespace

void print_analysis(const Json& rep, std::ostream& out) {
  out << "attack model \"" << rep["model"]["name"].get<std::string>() << "\": attacker starts as "
      << rep["attacker"]["start"].get<std::string>() << ", keys: "
      << (rep["attacker"]["keys"].empty() ? "none" : joined(rep["attacker"]["keys"], ", "))
      << "\n";
  if (rep["policy"].is_null()) {
    out << "policy: none (monitor off: no event is decided)\n";
  } else {
    out << "policy: \"" << rep["policy"]["name"].get<std::string>() << "\" version "
        << rep["policy"]["version"].get<std::uint32_t>() << ", mode "
        << rep["policy"]["mode"].get<std::string>() << "\n";
  }
  print_steps(rep, out);
  out << "goals:\n";
  for (auto it = rep["goals"].begin(); it != rep["goals"].end(); ++it) {
    print_goal(it.key(), it.value(), out);
  }
  if (!rep["policy"].is_null()) {
    out << "rules deciding no step's event: ";
    std::string list;
    for (const Json& r : rep["rules"]["unused"]) list += (list.empty() ? "" : ", ") + rule_text(r);
    out << (list.empty() ? "none" : list) << "\n";
  }
}

}  // namespace policyctl
