// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// ast.h - the validated policy between parsing and emission: every name is
// resolved to an id or index, every constant has its final binary form, and
// every element remembers the JSON pointer it came from (for diagnostics).
#ifndef TZUCON_POLICY_COMPILER_AST_H
#define TZUCON_POLICY_COMPILER_AST_H

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "blob_format.h"
#include "compiler.h"

namespace policyc {

struct AttrDecl {
  std::string name;
  std::string pointer;  // /attributes/NAME
  std::uint8_t scope = 0;          // TZU_ATTR_SCOPE_*
  std::uint8_t type = ucon::kAttrInt;
  std::uint8_t key = 0;            // ucon::kKey* (0 for globals)
  std::uint16_t key_field = 0;     // field id when key == kKeyField
  std::int64_t initial = 0;
  std::uint32_t max_entries = 1;
  std::uint8_t writer = ucon::kWriterEngine;  // ucon::kWriter*
};

// Right-hand side of a comparison, in its final binary form.
struct Operand {
  std::uint8_t kind = ucon::kOperandNone;  // ucon::kOperand*
  std::int64_t i = 0;                      // kOperandInt
  std::string bytes;                       // kOperandBytes (raw bytes)
  std::uint8_t set_elem = ucon::kOperandInt;  // kOperandSet element kind
  std::vector<std::int64_t> ints;          // kOperandSet of ints (sorted)
  std::vector<std::string> strs;           // kOperandSet of bytes (sorted)
  std::int64_t lo = 0, hi = 0;             // kOperandRange (inclusive)
  std::uint16_t ref = 0;                   // kOperandField / kOperandAttr
};

// One expression node; lowering turns each Expr into exactly one BlobNode.
struct Expr {
  std::uint8_t op = ucon::kOpTrue;   // ucon::kOp*
  std::uint8_t lhs_kind = ucon::kOperandNone;
  std::uint16_t lhs = 0;             // field id or attr index
  Operand rhs;
  std::vector<Expr> kids;            // and/or: >= 1, not: exactly 1
  std::string pointer;
};

struct Update {
  std::uint16_t attr = 0;
  std::uint8_t op = 0;               // TZU_ATTR_OP_*
  std::uint8_t value_kind = ucon::kOperandNone;
  std::int64_t value = 0;            // constant or field id
  std::string pointer;
};

struct Rule {
  std::uint32_t id = 0;
  std::string name;
  std::string pointer;               // /rules/N
  std::uint16_t hook = 0;
  std::uint8_t effect = ucon::kEffectPermit;
  std::uint8_t flags = 0;            // ucon::kRule*
  std::optional<Expr> target, condition, ongoing;
  std::uint32_t obligations = 0;     // TZU_OBL_*
  std::uint32_t notify_code = 0;
  std::vector<Update> pre, post;
};

static_assert(sizeof(DeviceId) == ucon::kDeviceIdLen, "device id");

struct Policy {
  std::string name;
  std::string description;
  std::uint32_t version = 0;
  std::uint32_t flags = 0;           // ucon::kPolicy* (kPolicyAnyDevice: "any")
  std::optional<DeviceId> device;    // "device": "<hex>"; unset if absent/"any"
  bool device_given = false;         // the policy has a "device" member
  std::vector<AttrDecl> attrs;
  std::vector<Rule> rules;
};

// Number of nodes an expression lowers to.
std::size_t node_count(const Expr& e);

}  // namespace policyc

#endif  // TZUCON_POLICY_COMPILER_AST_H
