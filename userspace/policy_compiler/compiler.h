// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// compiler.h - JSON policy -> signed binary policy blob (see
// secure/ucon_engine/blob_format.h and docs/policy-language.md).
// User space only: nlohmann/json and Boost.Graph stay out of the engine.
#ifndef TZUCON_POLICY_COMPILER_H
#define TZUCON_POLICY_COMPILER_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace policyc {

// An error or warning about the policy text. Messages are lower-case; user
// input inside them is quoted. line/column are 1-based (0 = unknown).
struct Diagnostic {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kError;
  std::string message;
  std::size_t line = 0;
  std::size_t column = 0;
  std::string pointer;  // RFC 6901 JSON pointer, "" = document root
  std::string to_string() const;  // "LINE:COL: error: MSG (at POINTER)"
};

// Per-rule metadata kept for tools (explain, test): the blob has ids only.
struct RuleInfo {
  std::uint32_t id = 0;
  std::string name;
  std::string pointer;  // where the rule is in the JSON
};

struct CompileResult {
  bool ok = false;
  std::vector<Diagnostic> errors;    // non-empty iff !ok
  std::vector<Diagnostic> warnings;  // unreachable/shadowed rules, ...
  std::vector<std::uint8_t> blob;    // signed blob, iff ok and a key given
  std::vector<RuleInfo> rules;       // in blob order
  std::uint32_t policy_version = 0;
  std::string name;
};

// Device key: 32 random bytes, stored as 64 hex characters + newline.
using Key = std::vector<std::uint8_t>;
Key make_key();                                  // from /dev/urandom
bool read_key_file(const std::string& path, Key* key, std::string* err);
bool write_key_file(const std::string& path, const Key& key, std::string* err);

// Parses, validates, analyses (Boost.Graph) and, when key is non-null,
// emits the signed blob. Never throws.
CompileResult compile(std::string_view json_text, const Key* key);

}  // namespace policyc

#endif  // TZUCON_POLICY_COMPILER_H
