// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_test.cc - `policyctl test POLICY --trace T [--expect E]`: replay a trace
// through the engine on the host and check the decisions.
#include <fstream>

#include "cli.h"
#include "expect.h"
#include "policy_io.h"
#include "replay.h"
#include "status.h"
#include "trace_reader.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl test POLICY --trace TRACE.jsonl [--expect EXPECTED.jsonl]\n\n"
    "Compiles POLICY with a throw-away key, loads it into a UCON engine in\n"
    "this process (the same code as the secure world's, playing the device\n"
    "the policy names) and replays TRACE.\n"
    "Prints one JSON line per trace line.\n\n"
    "TRACE: one JSON object per line (blank lines skipped); unknown keys,\n"
    "wrong types and out-of-range values are errors with the line number.\n"
    "  event:   {\"hook\":\"file_mprotect\",\"seq\":1,\n"
    "            \"subject\":{\"pid\":..,\"tgid\":..,\"uid\":..,\"euid\":..,\"gid\":..,\n"
    "                       \"egid\":..,\"exe_dev\":..,\"exe_ino\":..,\n"
    "                       \"exe_sha256\":\"<64 hex>\",\"comm\":\"jit\"},\n"
    "            \"object\":{\"addr\":..,\"len\":..,\"prot\":..,\"old_prot\":..,\n"
    "                      \"flags\":..,\"kind\":..,\"id\":..,\"dev\":..,\"ino\":..,\n"
    "                      \"mode\":..,\"sha256\":\"<64 hex>\",\"type\":\"..\",\n"
    "                      \"name\":\"..\"}}\n"
    "           hook names as in the policy language; missing fields are 0 or\n"
    "           empty; optional top-level \"flags\" (TZU_EVF_*) and \"cpu\";\n"
    "           a digest sets its TZU_EVF_*_DIGEST flag.\n"
    "  command: {\"op\":\"update_attr\",\"name\":N,\"key\":K,\"value\":V,\n"
    "            \"attr_op\":\"set|add|insert|clear\"}\n"
    "           (the trace holds every authority: an attribute with writer\n"
    "           \"admin\" is written as an authorized UPDATE_ATTR, one with\n"
    "           writer \"secure\" (\"set\" only) as the secure world's own\n"
    "           measurement; writer \"engine\" is refused, as on the board)\n"
    "           {\"op\":\"end_usage\",\"session\":N}\n"
    "           {\"op\":\"set_mode\",\"mode\":\"enforce|permissive\"}\n\n"
    "OUTPUT, per event:\n"
    "  {\"seq\":1,\"hook\":\"file_mprotect\",\"verdict\":\"deny\",\"rule\":10,\n"
    "   \"rule_name\":\"..\",\"flags\":[\"default\",..],\"obligations\":[\"audit\",..],\n"
    "   \"session\":0,\"revoked\":[..],\"epoch\":1,\"audit\":{\"index\":0,\"hash\":\"..\"}}\n"
    "  flags: permissive default session_opened no_policy limit filtered\n"
    "         would_deny; obligations: audit kill revoke remeasure notify;\n"
    "  \"rule_name\" only when a rule decided; \"revoked_tgids\" and\n"
    "  \"revoke_reason\" only with revocations; \"notify_code\" with notify;\n"
    "  \"audit\" only when the decision appended an audit record; \"status\"\n"
    "  only when the engine rejected the event.\n"
    "per command: the command echoed, plus \"status\" (\"ok\" or the engine's\n"
    "  error), \"revoked\" (update_attr, end_usage) and \"new_value\"\n"
    "  (update_attr).\n\n"
    "EXPECTED: one JSON object per non-blank line, paired in order with the\n"
    "output lines. Each must be a subset of its output line: every key it has\n"
    "must be present with an equal value (objects compare the same way,\n"
    "arrays exactly); other keys are not checked; an expected null means the\n"
    "key must be absent (\"audit\":null: no audit record was appended).\n"
    "Differences are listed on stderr.\n\n"
    "options:\n"
    "  --trace FILE    trace to replay (required)\n"
    "  --expect FILE   expected decisions\n"
    "  --json          accepted for symmetry; output is always JSON lines\n\n"
    "exit: 0 ok, 1 I/O or malformed trace/expectation, 2 invalid policy,\n"
    "      3 output differs from EXPECTED\n";

std::ifstream open_in(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw CliError(kExitError, "cannot open '" + path + "'");
  return in;
}

// Prints the differences; returns true if everything matched.
bool compare(const std::vector<Json>& actual, const std::vector<JsonLine>& expected,
             const std::vector<TraceStep>& steps, const std::string& exp_path,
             std::ostream& err) {
  bool ok = true;
  std::size_t n = std::min(actual.size(), expected.size());
  for (std::size_t i = 0; i < n; ++i) {
    auto diffs = subset_diff(expected[i].value, actual[i]);
    if (diffs.empty()) continue;
    ok = false;
    err << exp_path << ":" << expected[i].line << ": mismatch for trace line "
        << steps[i].line << ":\n";
    for (const std::string& d : diffs) err << "  " << d << "\n";
    err << "  actual: " << dump(actual[i]) << "\n";
  }
  if (actual.size() != expected.size()) {
    ok = false;
    err << exp_path << ": " << expected.size() << " expected lines for "
        << actual.size() << " trace lines\n";
  }
  return ok;
}

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv, {{"--trace", true}, {"--expect", true}, {"--json", false}}, 1, 1);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  const std::string trace_path = args.require("--trace");
  const policyc::KeyPair key = host_policy_key();
  policyc::CompileResult r = compile_file(args.pos()[0], host_compile_options(key), ctx);

  std::ifstream trace_in = open_in(trace_path);
  std::vector<TraceStep> steps = read_trace(trace_in, trace_path);
  std::vector<JsonLine> expected;
  auto exp_path = args.value("--expect");
  if (exp_path) {
    std::ifstream exp_in = open_in(*exp_path);
    expected = read_json_lines(exp_in, *exp_path);
  }

  // The engine plays the board the policy names (or any board).
  HostEngine host(key.pub.data(), r.any_device ? kHostDeviceId : r.device_id.data());
  if (!host.ok()) {
    throw CliError(kExitError, std::string("engine init failed: ") +
                                   ucon::status_name(host.status()));
  }
  ucon::LoadResult lr;
  ucon::Status st = host.load(r.blob, &lr);
  if (st != ucon::Status::kOk) {
    // The compiler accepted it, so this is a compiler/engine disagreement.
    throw CliError(kExitInvalid, std::string("the engine rejected the compiled policy: ") +
                                     ucon::status_name(st));
  }
  Replayer replay(&host.engine(), rule_names(r));
  std::vector<Json> actual;
  for (const TraceStep& s : steps) {
    actual.push_back(replay.step(s));
    ctx.out << dump(actual.back()) << "\n";
  }
  ctx.out.flush();
  if (exp_path && !compare(actual, expected, steps, *exp_path, ctx.err)) {
    ctx.err << "policyctl test: expectation mismatch\n";
    return kExitMismatch;
  }
  return kExitOk;
}

}  // namespace

const Command kTestCommand = {"test", "replay a trace through the engine on this host",
                              kHelp, run};

}  // namespace policyctl
