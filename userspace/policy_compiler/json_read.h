// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// json_read.h - typed reads of JSON values that report type errors, unknown
// members and missing members through a DiagSink.
#ifndef TZUCON_POLICY_COMPILER_JSON_READ_H
#define TZUCON_POLICY_COMPILER_JSON_READ_H

#include <cstdint>
#include <initializer_list>
#include <string>

#include "diagnostics.h"
#include "json_source.h"

namespace policyc {

// "an object", "a string", "an integer", ... for messages.
const char* json_type_name(const Json& v);

class JsonReader {
 public:
  explicit JsonReader(DiagSink* diag) : diag_(diag) {}
  DiagSink& diag() { return *diag_; }

  // Errors unless v is an object; what names it in messages ("rule").
  bool object(const Json& v, const std::string& ptr, const char* what);
  // Reports every member not in allowed as `unknown field "x" in WHAT`.
  bool known_fields(const Json& obj, const std::string& ptr, const char* what,
                    std::initializer_list<const char*> allowed);
  // Errors when obj lacks member name.
  bool require(const Json& obj, const std::string& ptr, const char* what,
               const char* name);

  bool integer(const Json& v, const std::string& ptr, std::int64_t min,
               std::int64_t max, std::int64_t* out);
  // Any JSON integer as int64 two's complement (uint64 above INT64_MAX wraps).
  bool int64(const Json& v, const std::string& ptr, std::int64_t* out);
  bool string(const Json& v, const std::string& ptr, std::string* out);
  bool boolean(const Json& v, const std::string& ptr, bool* out);
  bool array(const Json& v, const std::string& ptr);
  // One of choices; *index gets its position. what: "effect".
  bool choice(const Json& v, const std::string& ptr, const char* what,
              std::initializer_list<const char*> choices, std::size_t* index);

  void type_error(const Json& v, const std::string& ptr, const char* expected);

 private:
  DiagSink* diag_;
};

}  // namespace policyc

#endif  // TZUCON_POLICY_COMPILER_JSON_READ_H
