// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// parse_expr.h - predicate JSON -> typed Expr tree. Checks operators against
// operand types, constant sizes against their fields, and what each context
// (when / condition / ongoing) may read.
#ifndef TZUCON_POLICY_COMPILER_PARSE_EXPR_H
#define TZUCON_POLICY_COMPILER_PARSE_EXPR_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ast.h"
#include "json_read.h"

namespace policyc {

enum class ExprContext { kWhen, kCondition, kOngoing };

struct ExprEnv {
  const std::vector<AttrDecl>* attrs = nullptr;
  const std::map<std::string, std::uint16_t>* attr_index = nullptr;
  ExprContext context = ExprContext::kWhen;
  std::uint32_t hook = 0;  // TZU_HOOK_* of the rule, for symbolic constants
};

// Parses one predicate. Returns false after reporting errors.
bool parse_predicate(JsonReader* rd, const ExprEnv& env, const Json& v,
                     const std::string& ptr, Expr* out);

// Parses a 64-hex-digit SHA-256 into 32 raw bytes.
bool parse_hex_digest(const std::string& s, std::string* out);

}  // namespace policyc

#endif  // TZUCON_POLICY_COMPILER_PARSE_EXPR_H
