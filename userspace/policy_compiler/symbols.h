// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// symbols.h - symbolic names for integer constants of well-known fields
// ("exec" for object.prot, "module" for object.kind, ...), documented in
// docs/policy-language.md. Values come from abi/tzucon_abi.h.
#ifndef TZUCON_POLICY_COMPILER_SYMBOLS_H
#define TZUCON_POLICY_COMPILER_SYMBOLS_H

#include <cstdint>
#include <string>

namespace policyc {

enum class SymbolResult {
  kOk,
  kNoSymbols,   // the field has no symbolic constants (at this hook)
  kUnknown,     // not one of the field's names; *hint lists them
};

// hook: TZU_HOOK_* of the rule (object.kind means different things per
// hook), TZU_HOOK_NONE when unknown. Bit-mask fields accept "a|b".
SymbolResult resolve_symbol(const std::string& field, std::uint32_t hook,
                            const std::string& text, std::int64_t* out,
                            std::string* hint);

}  // namespace policyc

#endif  // TZUCON_POLICY_COMPILER_SYMBOLS_H
