// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// policy_io.cc - compile-and-report helpers shared by the policy commands.
#include "policy_io.h"

namespace policyctl {

void print_diagnostics(std::ostream& out, const std::string& path,
                       const std::vector<policyc::Diagnostic>& diags) {
  for (const policyc::Diagnostic& d : diags) out << path << ":" << d.to_string() << "\n";
}

Json diagnostics_json(const std::vector<policyc::Diagnostic>& diags) {
  Json out = Json::array();
  for (const policyc::Diagnostic& d : diags) {
    out.push_back({{"severity", d.severity == policyc::Diagnostic::Severity::kError
                                    ? "error"
                                    : "warning"},
                   {"line", d.line},
                   {"column", d.column},
                   {"pointer", d.pointer},
                   {"message", d.message}});
  }
  return out;
}

policyc::CompileResult compile_file(const std::string& path,
                                    const policyc::CompileOptions& opts, Context& ctx) {
  std::string text = read_file(path);
  policyc::CompileResult r = policyc::compile(text, opts);
  print_diagnostics(ctx.err, path, r.warnings);
  if (!r.ok) {
    print_diagnostics(ctx.err, path, r.errors);
    throw CliError(kExitInvalid, "'" + path + "' is not a valid policy (" +
                                     std::to_string(r.errors.size()) +
                                     (r.errors.size() == 1 ? " error)" : " errors)"));
  }
  return r;
}

policyc::KeyPair host_policy_key() {
  policyc::KeyPair kp;
  std::string err;
  if (!policyc::generate_key_pair(&kp, &err)) throw CliError(kExitError, err);
  return kp;
}

policyc::CompileOptions host_compile_options(const policyc::KeyPair& key) {
  policyc::CompileOptions opts;
  opts.key = &key;
  opts.device = policyc::kHostTestDevice;
  opts.device_is_default = true;
  return opts;
}

RuleNames rule_names(const policyc::CompileResult& r) {
  RuleNames names;
  for (const policyc::RuleInfo& ri : r.rules) names[ri.id] = ri.name;
  return names;
}

}  // namespace policyctl
