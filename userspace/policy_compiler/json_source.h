// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// json_source.h - JSON text -> document plus the source position of every
// value and object key, addressed by RFC 6901 JSON pointer. nlohmann/json
// 3.11 keeps no positions, so the SAX parser is driven through an iterator
// that reports how far it has read (see json_source.cc).
#ifndef TZUCON_POLICY_COMPILER_JSON_SOURCE_H
#define TZUCON_POLICY_COMPILER_JSON_SOURCE_H

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace policyc {

// Object members keep their source order, so diagnostics come out in it.
using Json = nlohmann::ordered_json;

struct LineCol {
  std::size_t line = 0;    // 1-based
  std::size_t column = 0;  // 1-based, in characters (UTF-8 code points)
};

class SourceMap {
 public:
  SourceMap() = default;
  explicit SourceMap(std::string_view text);

  LineCol line_col(std::size_t offset) const;
  void set_value(const std::string& pointer, std::size_t offset);
  void set_key(const std::string& pointer, std::size_t offset);
  // Position of the value at pointer; an unknown pointer falls back to its
  // nearest recorded ancestor (e.g. a missing member -> its object).
  LineCol value_position(const std::string& pointer) const;
  // Position of the key of the member at pointer, else of its value.
  LineCol key_position(const std::string& pointer) const;

 private:
  std::string text_;
  std::vector<std::size_t> line_starts_;
  std::unordered_map<std::string, std::size_t> values_;
  std::unordered_map<std::string, std::size_t> keys_;
};

// Maximum nesting of arrays/objects accepted (policies need far less).
constexpr std::size_t kMaxJsonDepth = 64;

struct JsonError {
  std::string message;
  std::size_t offset = 0;
  std::string pointer;  // innermost container being parsed
};

// Strict parse: duplicate keys and nesting deeper than kMaxJsonDepth are
// errors too. Returns false and fills *err on failure.
bool parse_json(std::string_view text, Json* doc, SourceMap* map,
                JsonError* err);

// pointer + "/" + escaped token (RFC 6901: "~" -> "~0", "/" -> "~1").
std::string pointer_append(const std::string& base, std::string_view token);
std::string pointer_append(const std::string& base, std::size_t index);

}  // namespace policyc

#endif  // TZUCON_POLICY_COMPILER_JSON_SOURCE_H
