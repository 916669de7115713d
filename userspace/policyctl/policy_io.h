// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// policy_io.h - reading, compiling and reporting on JSON policies: the part
// of validate, compile, test and explain that is the same in all four.
#ifndef POLICYCTL_POLICY_IO_H
#define POLICYCTL_POLICY_IO_H

#include <ostream>
#include <string>
#include <vector>

#include "cli.h"
#include "compiler.h"
#include "event_json.h"

namespace policyctl {

// "FILE:LINE:COL: error: MESSAGE (at /json/pointer)", one per line.
void print_diagnostics(std::ostream& out, const std::string& path,
                       const std::vector<policyc::Diagnostic>& diags);
Json diagnostics_json(const std::vector<policyc::Diagnostic>& diags);

// Reads and compiles `path` (opts.key null: check only). Warnings go to
// ctx.err. On errors prints them and throws CliError(kExitInvalid).
policyc::CompileResult compile_file(const std::string& path,
                                    const policyc::CompileOptions& opts, Context& ctx);

// test/explain: a throw-away policy key pair, and the options that bind a
// policy without "device" to the in-process engine (kHostDeviceId).
policyc::KeyPair host_policy_key();
policyc::CompileOptions host_compile_options(const policyc::KeyPair& key);

RuleNames rule_names(const policyc::CompileResult& r);

}  // namespace policyctl

#endif  // POLICYCTL_POLICY_IO_H
