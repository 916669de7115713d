// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// parse_policy.h - policy JSON document -> Policy: top-level options,
// attribute declarations, rules and their updates. Per-element checks only;
// cross-rule checks live in validate.h, graph checks in analysis.h.
#ifndef TZUCON_POLICY_COMPILER_PARSE_POLICY_H
#define TZUCON_POLICY_COMPILER_PARSE_POLICY_H

#include "ast.h"
#include "diagnostics.h"
#include "json_source.h"

namespace policyc {

// Instances of a subject/object attribute when "max_entries" is not given,
// and the largest value accepted.
constexpr std::uint32_t kDefaultMaxEntries = 256;
constexpr std::uint32_t kMaxMaxEntries = 1u << 20;
// Policy, rule and attribute names: what fits in tzu_update_attr_req.name.
constexpr std::size_t kMaxNameLen = 63;

// Returns false if any error was reported.
bool parse_policy(const Json& doc, DiagSink* diag, Policy* out);

}  // namespace policyc

#endif  // TZUCON_POLICY_COMPILER_PARSE_POLICY_H
