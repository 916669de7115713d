// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// static_eval.h - what can be known about a predicate without an event:
// constant truth values, comparisons that no value of the field's domain
// satisfies (uid < 0, empty ranges, bits a 32-bit field cannot have), and
// contradictory tests of one field or attribute inside an "all".
// Sound, not complete: kUnknown whenever it cannot prove a value.
#ifndef TZUCON_POLICY_COMPILER_STATIC_EVAL_H
#define TZUCON_POLICY_COMPILER_STATIC_EVAL_H

#include <string>

#include "ast.h"

namespace policyc {

enum class Truth { kFalse, kTrue, kUnknown };

struct StaticValue {
  Truth truth = Truth::kUnknown;
  std::string reason;   // why it is false (lower-case, for messages)
  std::string pointer;  // the sub-predicate that shows it
};

StaticValue static_value(const Expr& e, const Policy& p);

}  // namespace policyc

#endif  // TZUCON_POLICY_COMPILER_STATIC_EVAL_H
