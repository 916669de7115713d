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

// Reads and compiles `path` (key may be null: check only). Warnings go to
// ctx.err. On errors prints them and throws CliError(kExitInvalid).
policyc::CompileResult compile_file(const std::string& path,
                                    const policyc::Key* key, Context& ctx);

RuleNames rule_names(const policyc::CompileResult& r);

}  // namespace policyctl

#endif  // POLICYCTL_POLICY_IO_H
