// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_validate.cc - `policyctl validate FILE`: check a JSON policy, write nothing.
#include "cli.h"
#include "policy_io.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl validate FILE [--json]\n\n"
    "Parses, validates and analyses the JSON policy FILE without writing\n"
    "anything. Errors and warnings are printed as\n"
    "  FILE:LINE:COLUMN: error: MESSAGE (at JSON-POINTER)\n\n"
    "options:\n"
    "  --json   print one JSON object {file, ok, name, policy_version, rules,\n"
    "           errors, warnings} on stdout instead of text\n\n"
    "exit: 0 valid, 1 cannot read FILE, 2 invalid policy\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv, {{"--json", false}}, 1, 1);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  const std::string& path = args.pos()[0];
  std::string text = read_file(path);
  policyc::CompileResult r = policyc::compile(text, nullptr);
  if (args.has("--json")) {
    Json out = {{"file", path},
                {"ok", r.ok},
                {"name", r.name},
                {"policy_version", r.policy_version},
                {"rules", r.rules.size()},
                {"errors", diagnostics_json(r.errors)},
                {"warnings", diagnostics_json(r.warnings)}};
    ctx.out << dump(out) << "\n";
  } else {
    print_diagnostics(ctx.err, path, r.errors);
    print_diagnostics(ctx.err, path, r.warnings);
    if (r.ok) {
      ctx.out << path << ": ok: policy \"" << r.name << "\" version "
              << r.policy_version << ", " << r.rules.size() << " rules";
      if (!r.warnings.empty()) ctx.out << ", " << r.warnings.size() << " warnings";
      ctx.out << "\n";
    }
  }
  return r.ok ? kExitOk : kExitInvalid;
}

}  // namespace

const Command kValidateCommand = {"validate", "check a JSON policy (writes nothing)",
                                  kHelp, run};

}  // namespace policyctl
