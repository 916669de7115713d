// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analysis.h - whole-policy analysis after validation:
//  - errors: update cycles. A revoked session runs its rule's post-updates,
//    which re-check (and may revoke) the sessions whose ongoing predicates
//    read those attributes. The graph over attributes has an edge A -> B
//    when a session rule's ongoing predicate reads A and its post-updates
//    write B; a cycle (Boost.Graph strong components) is a cascade that
//    can never settle.
//  - warnings: rules that can never match (static_eval.h) and rules shadowed
//    by another rule of the same hook under the policy's combining algorithm.
#ifndef TZUCON_POLICY_COMPILER_ANALYSIS_H
#define TZUCON_POLICY_COMPILER_ANALYSIS_H

#include <string>

#include "ast.h"
#include "diagnostics.h"

namespace policyc {

// Returns false if an error (a cycle) was reported.
bool analyse_policy(const Policy& p, DiagSink* diag);

// Canonical text of an expression: equal texts mean equal predicates.
std::string canonical(const Expr& e);

}  // namespace policyc

#endif  // TZUCON_POLICY_COMPILER_ANALYSIS_H
