// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// validate.h - checks across rules and attributes: unique rule ids and names,
// distinct name hashes (the engine keys sessions and attribute values by
// them across policy swaps), and the policy-wide limits of limits.h.
#ifndef TZUCON_POLICY_COMPILER_VALIDATE_H
#define TZUCON_POLICY_COMPILER_VALIDATE_H

#include "ast.h"
#include "diagnostics.h"

namespace policyc {

bool validate_policy(const Policy& p, DiagSink* diag);

}  // namespace policyc

#endif  // TZUCON_POLICY_COMPILER_VALIDATE_H
