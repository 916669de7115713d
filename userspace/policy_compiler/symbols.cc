// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// symbols.cc - the symbolic constant tables.
#include "symbols.h"

#include "fields.h"
#include "tzucon_abi.h"

namespace policyc {

namespace {

struct Symbol {
  const char* name;
  std::int64_t value;
};

const Symbol kProt[] = {
    {"read", TZU_PROT_READ}, {"write", TZU_PROT_WRITE}, {"exec", TZU_PROT_EXEC}};
const Symbol kEventFlags[] = {{"exe_digest", TZU_EVF_EXE_DIGEST},
                              {"obj_digest", TZU_EVF_OBJ_DIGEST},
                              {"anon", TZU_EVF_ANON},
                              {"written", TZU_EVF_WRITTEN}};
const Symbol kLoadKind[] = {{"module", TZU_LOAD_MODULE},
                            {"kexec_image", TZU_LOAD_KEXEC_IMAGE},
                            {"kexec_initramfs", TZU_LOAD_KEXEC_INITRAMFS},
                            {"firmware", TZU_LOAD_FIRMWARE},
                            {"policy", TZU_LOAD_POLICY},
                            {"other", TZU_LOAD_OTHER}};

struct Table {
  const Symbol* symbols;
  std::size_t count;
  bool mask;  // names combine with "|"
};

template <std::size_t N>
Table table(const Symbol (&s)[N], bool mask) {
  return Table{s, N, mask};
}

bool find_table(const std::string& field, std::uint32_t hook, Table* t) {
  if (field == "object.prot" || field == "object.old_prot") {
    *t = table(kProt, true);
    return true;
  }
  if (field == "flags") {
    *t = table(kEventFlags, true);
    return true;
  }
  if (field == "object.kind" && (hook == TZU_HOOK_KERNEL_READ_FILE ||
                                 hook == TZU_HOOK_KERNEL_LOAD_DATA)) {
    *t = table(kLoadKind, false);
    return true;
  }
  return false;
}

bool lookup(const Table& t, const std::string& name, std::int64_t* out) {
  for (std::size_t i = 0; i < t.count; ++i) {
    if (name == t.symbols[i].name) {
      *out = t.symbols[i].value;
      return true;
    }
  }
  return false;
}

}  // namespace

SymbolResult resolve_symbol(const std::string& field, std::uint32_t hook,
                            const std::string& text, std::int64_t* out,
                            std::string* hint) {
  if (field == "hook") {
    std::uint32_t h = ucon::hook_by_name(text.data(), text.size());
    if (h != TZU_HOOK_NONE) {
      *out = h;
      return SymbolResult::kOk;
    }
    *hint = "a hook name";
    return SymbolResult::kUnknown;
  }
  Table t{};
  if (!find_table(field, hook, &t)) return SymbolResult::kNoSymbols;
  std::int64_t value = 0;
  bool ok = !text.empty();
  std::size_t start = 0;
  while (ok && start <= text.size()) {
    std::size_t bar = t.mask ? text.find('|', start) : std::string::npos;
    std::string part = text.substr(
        start, bar == std::string::npos ? std::string::npos : bar - start);
    std::int64_t v = 0;
    ok = lookup(t, part, &v);
    value |= v;
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  if (ok) {
    *out = value;
    return SymbolResult::kOk;
  }
  hint->clear();
  for (std::size_t i = 0; i < t.count; ++i) {
    if (i > 0) *hint += ", ";
    *hint += std::string("\"") + t.symbols[i].name + "\"";
  }
  if (t.mask) *hint += " (combine with \"|\")";
  return SymbolResult::kUnknown;
}

}  // namespace policyc
