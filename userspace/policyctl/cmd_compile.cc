// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_compile.cc - `policyctl compile FILE -o BLOB --key KEYFILE`.
#include "cli.h"
#include "compiler.h"
#include "policy_io.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl compile FILE -o BLOB --key KEYFILE [--json]\n\n"
    "Compiles the JSON policy FILE into a binary policy blob signed with\n"
    "HMAC-SHA256 under KEYFILE (see `policyctl keygen`). BLOB is written\n"
    "atomically (temporary file + rename): on any error nothing is written\n"
    "and an existing BLOB is left as it was.\n\n"
    "options:\n"
    "  -o, --output BLOB   where to write the blob (required)\n"
    "  --key KEYFILE       device key (required)\n"
    "  --json              print {blob, bytes, name, policy_version, rules}\n\n"
    "exit: 0 written, 1 I/O or key error, 2 invalid policy\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv, {{"-o", true}, {"--output", true}, {"--key", true}, {"--json", false}},
            1, 1);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  auto out_path = args.value("-o");
  if (!out_path) out_path = args.value("--output");
  if (!out_path) throw UsageError("option '-o' is required");
  const std::string key_path = args.require("--key");
  policyc::Key key;
  std::string err;
  if (!policyc::read_key_file(key_path, &key, &err)) {
    throw CliError(kExitError, "cannot read key '" + key_path + "': " + err);
  }
  policyc::CompileResult r = compile_file(args.pos()[0], &key, ctx);
  if (r.blob.empty()) throw CliError(kExitError, "compiler produced no blob");
  write_file_atomic(*out_path, r.blob.data(), r.blob.size());
  if (args.has("--json")) {
    ctx.out << dump(Json{{"blob", *out_path},
                         {"bytes", r.blob.size()},
                         {"name", r.name},
                         {"policy_version", r.policy_version},
                         {"rules", r.rules.size()}})
            << "\n";
  } else {
    ctx.out << "wrote " << *out_path << ": " << r.blob.size() << " bytes, policy \""
            << r.name << "\" version " << r.policy_version << ", " << r.rules.size()
            << " rules\n";
  }
  return kExitOk;
}

}  // namespace

const Command kCompileCommand = {"compile", "compile a JSON policy into a signed blob",
                                 kHelp, run};

}  // namespace policyctl
