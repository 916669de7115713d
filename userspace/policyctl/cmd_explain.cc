// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_explain.cc - `policyctl explain POLICY --event EVENT.json`: decide one
// event on the host and show which rules were considered, which matched, and
// which predicates failed with the values they saw.
#include <map>
#include <set>

#include "blob_view.h"
#include "cli.h"
#include "node_text.h"
#include "policy_io.h"
#include "replay.h"
#include "status.h"
#include "trace_reader.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl explain POLICY --event EVENT.json [--json]\n\n"
    "Decides one event (a JSON object in the trace event format, see\n"
    "`policyctl test --help`; it may span several lines) against POLICY on a\n"
    "freshly loaded engine, and explains the decision: the rules the engine\n"
    "considered for the event's hook (in order), whether each matched, and for\n"
    "each rule that did not, the predicates that failed and the event values\n"
    "they saw. Attributes have their initial values (nothing has updated them).\n\n"
    "options:\n"
    "  --event FILE  the event (required)\n"
    "  --json        print one JSON object {event, decision, combining,\n"
    "                default, rules:[...], not_considered:[...]}\n\n"
    "exit: 0 explained, 1 I/O or malformed event, 2 invalid policy\n";

// What the engine's Trace callbacks reported.
struct Recorder {
  std::vector<std::pair<std::uint32_t, bool>> rules;  // in evaluation order
  std::map<std::uint32_t, std::map<std::uint32_t, bool>> nodes;  // rule -> node -> result

  static void on_rule(void* ctx, std::uint32_t rule, bool matched) {
    static_cast<Recorder*>(ctx)->rules.emplace_back(rule, matched);
  }
  static void on_node(void* ctx, std::uint32_t rule, std::uint32_t node, bool result) {
    static_cast<Recorder*>(ctx)->nodes[rule][node] = result;
  }
};

struct Failure {
  std::uint32_t node;
  std::string expr;
  std::string value;
};

// Walks a false node down to the predicates that made it false: every false
// kid of an and/or (an or fails only if all its kids did), a negation whose
// operand held, or a false comparison.
void collect_failures(const BlobView& b, const std::map<std::uint32_t, bool>& res,
                      std::uint32_t node, const tzu_event& ev, int depth,
                      std::vector<Failure>* out) {
  auto it = res.find(node);
  auto n = b.node(node);
  if (it == res.end() || it->second || !n || depth > 64) return;
  if (n->op == ucon::kOpAnd || n->op == ucon::kOpOr) {
    for (std::uint32_t k = 0; k < n->b; ++k) {
      auto kid = b.kid(n->a + k);
      if (kid) collect_failures(b, res, *kid, ev, depth + 1, out);
    }
    return;
  }
  out->push_back({node, render_node(b, node), operand_value(b, node, ev)});
}

const char* effect_name(std::uint8_t effect) {
  return effect == ucon::kEffectDeny ? "deny" : "permit";
}

Json explain_rule(const BlobView& b, const Recorder& rec, std::uint32_t index,
                  bool matched, const RuleNames& names, const tzu_event& ev) {
  auto rule = b.rule(index);
  Json j = Json::object();
  j["index"] = index;
  if (!rule) return j;
  j["id"] = rule->id;
  auto nm = names.find(rule->id);
  j["name"] = nm != names.end() ? nm->second : b.rule_name(index);
  j["effect"] = effect_name(rule->effect);
  j["matched"] = matched;
  j["target"] = render_node(b, rule->target);
  if (rule->condition != ucon::kNone) j["condition"] = render_node(b, rule->condition);
  if (rule->ongoing != ucon::kNone) j["ongoing"] = render_node(b, rule->ongoing);
  Json failed = Json::array();
  auto res = rec.nodes.find(index);
  if (!matched && res != rec.nodes.end()) {
    const char* where = "target";
    std::uint32_t root = rule->target;
    auto t = res->second.find(rule->target);
    if (rule->target == ucon::kNone || (t != res->second.end() && t->second)) {
      where = "condition";
      root = rule->condition;
    }
    std::vector<Failure> fs;
    collect_failures(b, res->second, root, ev, 0, &fs);
    for (const Failure& f : fs) {
      Json fj = {{"where", where}, {"node", f.node}, {"expr", f.expr}};
      if (!f.value.empty()) fj["value"] = f.value;
      failed.push_back(fj);
    }
  }
  j["failed"] = failed;
  return j;
}

void print_text(const Json& report, std::ostream& out) {
  out << "event: " << dump(report["event"]) << "\n";
  const Json& d = report["decision"];
  out << "decision: " << d["verdict"].get<std::string>();
  if (d["rule"].get<std::uint32_t>()) {
    out << " by rule " << d["rule"].get<std::uint32_t>();
    if (d.contains("rule_name")) out << " \"" << d["rule_name"].get<std::string>() << "\"";
  }
  out << "  flags " << dump(d["flags"]) << "  obligations " << dump(d["obligations"]) << "\n";
  out << "policy: " << report["combining"].get<std::string>() << ", default "
      << report["default"].get<std::string>() << "\n";
  const Json& rules = report["rules"];
  out << "rules considered: " << rules.size() << "\n";
  for (const Json& r : rules) {
    out << "  rule " << r.value("id", 0u) << " \"" << r.value("name", "") << "\" ("
        << r.value("effect", "?") << "): " << (r.value("matched", false) ? "MATCHED" : "no match")
        << "\n";
    out << "    target:    " << r.value("target", "") << "\n";
    if (r.contains("condition")) out << "    condition: " << r["condition"].get<std::string>() << "\n";
    if (r.contains("ongoing")) out << "    ongoing:   " << r["ongoing"].get<std::string>() << "\n";
    for (const Json& f : r["failed"]) {
      out << "    failed (" << f["where"].get<std::string>() << "): " << f["expr"].get<std::string>();
      if (f.contains("value")) out << "   -- " << f["value"].get<std::string>();
      out << "\n";
    }
  }
  if (!report["not_considered"].empty()) {
    out << "rules of this hook not considered (ruled out by the hook's index): "
        << dump(report["not_considered"]) << "\n";
  }
}

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv, {{"--event", true}, {"--json", false}}, 1, 1);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  const std::string event_path = args.require("--event");
  const policyc::KeyPair key = host_policy_key();
  policyc::CompileResult r = compile_file(args.pos()[0], host_compile_options(key), ctx);
  std::string text = read_file(event_path);
  tzu_event ev;
  try {
    Json j = Json::parse(text);
    if (is_command(j)) throw JsonError("expected an event, got a command");
    ev = event_from_json(j);
  } catch (const Json::exception& e) {
    throw CliError(kExitError, event_path + ": invalid JSON: " + e.what());
  } catch (const JsonError& e) {
    throw CliError(kExitError, event_path + ": " + e.what());
  }

  // The engine plays the board the policy names (or any board).
  HostEngine host(key.pub.data(), r.any_device ? kHostDeviceId : r.device_id.data());
  ucon::LoadResult lr;
  ucon::Status st = host.ok() ? host.load(r.blob, &lr) : host.status();
  if (st != ucon::Status::kOk) {
    throw CliError(kExitInvalid, std::string("the engine rejected the compiled policy: ") +
                                     ucon::status_name(st));
  }
  std::string err;
  auto view = BlobView::parse(r.blob, &err);
  if (!view) throw CliError(kExitError, "cannot read the compiled blob: " + err);

  Recorder rec;
  ucon::Trace trace;
  trace.ctx = &rec;
  trace.on_rule = Recorder::on_rule;
  trace.on_node = Recorder::on_node;
  RuleNames names = rule_names(r);
  Replayer replay(&host.engine(), names);
  Json decision = replay.decide(ev, &trace);

  Json report = Json::object();
  report["event"] = event_to_json(ev);
  report["decision"] = decision;
  const std::uint32_t flags = view->header().flags;
  report["combining"] = (flags & ucon::kPolicyFirstApplicable) ? "first-applicable" : "deny-overrides";
  report["default"] = (flags & ucon::kPolicyDefaultDeny) ? "deny" : "permit";
  Json rules = Json::array();
  std::set<std::uint32_t> seen;
  for (const auto& [index, matched] : rec.rules) {
    rules.push_back(explain_rule(*view, rec, index, matched, names, ev));
    seen.insert(index);
  }
  report["rules"] = rules;
  Json skipped = Json::array();
  for (std::uint32_t i = 0; i < view->n_rules(); ++i) {
    auto rule = view->rule(i);
    if (rule && rule->hook == ev.hook && !seen.count(i)) skipped.push_back(rule->id);
  }
  report["not_considered"] = skipped;

  if (args.has("--json")) {
    ctx.out << dump(report) << "\n";
  } else {
    print_text(report, ctx.out);
  }
  return kExitOk;
}

}  // namespace

const Command kExplainCommand = {"explain", "show why the engine decides an event as it does",
                                 kHelp, run};

}  // namespace policyctl
