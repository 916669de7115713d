// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_analyze.cc - `policyctl analyze --attack-model M --policy P`: which
// goals of an attack model stay reachable under a policy, by which plans,
// what minimum set of event kinds would cut them, which rules no step meets.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "analyze.h"
#include "cli.h"
#include "policy_io.h"

extern char** environ;

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl analyze --attack-model MODEL.json --policy POLICY.json|none\n"
    "                         [--json] [-o FILE] [--dot FILE] [--png FILE]\n"
    "                         [--mode enforce|permissive] [--max-steps N] [--max-paths N]\n\n"
    "Judges every step of an attack model (docs/attack-models.md) under POLICY:\n"
    "the policy is compiled and loaded into a host UCON engine (the engine of\n"
    "the secure world), each step's representative events are decided on a\n"
    "fresh engine after the model's and the step's setup lines, and a step is\n"
    "blocked when the engine denies one of its events (a permissive policy or\n"
    "--mode permissive allows and only flags would_deny). Secure-world commands\n"
    "that need a signature (LOAD_POLICY: policy key; SET_MODE, UPDATE_ATTR,\n"
    "END_USAGE, AUDIT_CONFIG: admin key) are refused unless the attacker holds\n"
    "the key; replayed authorizations and malformed requests are refused.\n"
    "POLICY 'none' is the monitor switched off: no event is decided.\n\n"
    "It then builds the attack graph (Boost.Graph) and answers, per goal:\n"
    "reachable or not; the minimal attack plans, shortest first, all of them up\n"
    "to the bounds; a minimum set of event kinds whose denial cuts every plan\n"
    "(exact minimum label cut, every tie counted; cross-checked with\n"
    "boykov_kolmogorov_max_flow where it is an edge cut); and the rules that\n"
    "decide no step's event.\n\n"
    "options:\n"
    "  --attack-model FILE  the attack model (required)\n"
    "  --policy FILE|none   the policy (required)\n"
    "  --json               print the report as one JSON object (default: text)\n"
    "  -o, --output FILE    also write the JSON report to FILE (atomically)\n"
    "  --dot FILE           write the attack graph as Graphviz DOT\n"
    "  --png FILE           render it with Graphviz `dot` (exit 1 if not installed)\n"
    "  --mode M             force the engine's mode (as SET_MODE would)\n"
    "  --max-steps N        longest plan enumerated (default 12)\n"
    "  --max-paths N        plans listed per goal (default 32)\n\n"
    "exit: 0 analysed, 1 I/O or usage error or Graphviz missing for --png,\n"
    "      2 invalid policy or invalid attack model\n";

// First executable `name` on $PATH, or "".
std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= p.size()) {
    std::size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    std::string dir = p.substr(start, end - start);
    std::string cand = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(cand.c_str(), X_OK) == 0) return cand;
    start = end + 1;
  }
  return "";
}

void render_png(const std::string& dot_text, const std::string& png) {
  const std::string dot = find_on_path("dot");
  if (dot.empty()) {
    throw CliError(kExitError, "graphviz is not installed (no `dot` on PATH): " + png +
                                   " not written; --dot FILE writes the graph as text "
                                   "(scripts/setup installs graphviz)");
  }
  const std::string tmp_dot = png + ".tmp." + std::to_string(::getpid()) + ".dot";
  const std::string tmp_png = png + ".tmp." + std::to_string(::getpid());
  write_file_atomic(tmp_dot, dot_text.data(), dot_text.size());
  std::vector<std::string> args = {dot, "-Tpng", "-o", tmp_png, tmp_dot};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, dot.c_str(), nullptr, nullptr, argv.data(), environ);
  int status = 0;
  if (rc == 0 && ::waitpid(pid, &status, 0) < 0) rc = -1;
  std::remove(tmp_dot.c_str());
  if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::remove(tmp_png.c_str());
    throw CliError(kExitError, "graphviz `dot` failed to render " + png);
  }
  if (std::rename(tmp_png.c_str(), png.c_str()) != 0) {
    std::remove(tmp_png.c_str());
    throw CliError(kExitError, "cannot write '" + png + "'");
  }
}

AttackModel read_model(const std::string& path, Context& ctx) {
  ModelParse mp = parse_attack_model(read_file(path));
  if (!mp.ok) {
    print_diagnostics(ctx.err, path, mp.errors);
    throw CliError(kExitInvalid, "'" + path + "' is not a valid attack model (" +
                                     std::to_string(mp.errors.size()) +
                                     (mp.errors.size() == 1 ? " error)" : " errors)"));
  }
  return mp.model;
}

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv,
            {{"--attack-model", true}, {"--policy", true}, {"--json", false}, {"-o", true},
             {"--output", true}, {"--dot", true}, {"--png", true}, {"--mode", true},
             {"--max-steps", true}, {"--max-paths", true}},
            0, 0);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  AnalyzeOptions opts;
  opts.model_file = args.require("--attack-model");
  const std::string policy_arg = args.require("--policy");
  std::uint32_t mode = UINT32_MAX;
  if (auto m = args.value("--mode")) {
    if (*m != "enforce" && *m != "permissive") {
      throw UsageError("--mode: expected enforce or permissive, got '" + *m + "'");
    }
    mode = *m == "enforce" ? TZU_MODE_ENFORCE : TZU_MODE_PERMISSIVE;
    opts.mode = *m;
  }
  // size_t is 32 bits in the guest build: a larger bound means "no bound".
  const auto bound = [](std::uint64_t v) {
    return static_cast<std::size_t>(std::min<std::uint64_t>(v, SIZE_MAX));
  };
  if (auto v = args.value("--max-steps")) opts.max_steps = bound(parse_u64(*v, "--max-steps"));
  if (auto v = args.value("--max-paths")) opts.max_paths = bound(parse_u64(*v, "--max-paths"));
  if (opts.max_steps == 0 || opts.max_paths == 0) {
    throw UsageError("--max-steps and --max-paths must be at least 1");
  }

  const AttackModel model = read_model(opts.model_file, ctx);
  const policyc::KeyPair key = host_policy_key();
  policyc::CompileResult compiled;
  const policyc::CompileResult* policy = nullptr;
  if (policy_arg != "none") {
    opts.policy_file = policy_arg;
    compiled = compile_file(policy_arg, host_compile_options(key), ctx);
    policy = &compiled;
  }
  StepEvaluator eval(policy, &key, mode);
  std::vector<StepVerdict> verdicts;
  for (const ModelStep& s : model.steps) verdicts.push_back(eval.evaluate(model, s));
  AnalysisResult res = analyze(model, verdicts, policy, opts);

  const std::string json = dump(res.report) + "\n";
  if (auto out = args.output()) write_file_atomic(*out, json.data(), json.size());
  if (auto dot = args.value("--dot")) write_file_atomic(*dot, res.dot.data(), res.dot.size());
  if (args.has("--json")) {
    ctx.out << json;
  } else {
    print_analysis(res.report, ctx.out);
  }
  if (auto png = args.value("--png")) render_png(res.dot, *png);
  return kExitOk;
}

}  // namespace

const Command kAnalyzeCommand = {
    "analyze", "attack model vs policy: reachable goals, attack paths, minimum cuts", kHelp,
    run};

}  // namespace policyctl
