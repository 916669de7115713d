// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// json_read.cc - typed JSON reads with diagnostics.
#include "json_read.h"

#include <cstring>

namespace policyc {

const char* json_type_name(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a fractional number";
    case Json::value_t::null: return "null";
    default: return "an unsupported value";
  }
}

void JsonReader::type_error(const Json& v, const std::string& ptr,
                            const char* expected) {
  diag_->error(ptr, std::string("expected ") + expected + ", got " +
                        json_type_name(v));
}

bool JsonReader::object(const Json& v, const std::string& ptr,
                        const char* what) {
  if (v.is_object()) return true;
  diag_->error(ptr, std::string("expected ") + what + " (an object), got " +
                        json_type_name(v));
  return false;
}

bool JsonReader::known_fields(const Json& obj, const std::string& ptr,
                              const char* what,
                              std::initializer_list<const char*> allowed) {
  bool ok = true;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (const char* a : allowed) known = known || it.key() == a;
    if (!known) {
      diag_->error_at_key(pointer_append(ptr, it.key()),
                          "unknown field " + quote(it.key()) + " in " + what);
      ok = false;
    }
  }
  return ok;
}

bool JsonReader::require(const Json& obj, const std::string& ptr,
                         const char* what, const char* name) {
  if (obj.contains(name)) return true;
  diag_->error(ptr, std::string("missing required field \"") + name +
                        "\" in " + what);
  return false;
}

bool JsonReader::integer(const Json& v, const std::string& ptr,
                         std::int64_t min, std::int64_t max,
                         std::int64_t* out) {
  bool in_range;
  std::int64_t value = 0;
  if (v.is_number_unsigned()) {
    auto u = v.get<std::uint64_t>();
    in_range = max >= 0 && u <= static_cast<std::uint64_t>(max) &&
               static_cast<std::int64_t>(u) >= min;
    value = static_cast<std::int64_t>(u);
  } else if (v.is_number_integer()) {
    value = v.get<std::int64_t>();
    in_range = value >= min && value <= max;
  } else {
    type_error(v, ptr, "an integer");
    return false;
  }
  if (!in_range) {
    diag_->error(ptr, "integer " + v.dump() + " out of range [" +
                          std::to_string(min) + ", " + std::to_string(max) +
                          "]");
    return false;
  }
  *out = value;
  return true;
}

bool JsonReader::int64(const Json& v, const std::string& ptr,
                       std::int64_t* out) {
  if (v.is_number_unsigned()) {
    *out = static_cast<std::int64_t>(v.get<std::uint64_t>());
    return true;
  }
  if (v.is_number_integer()) {
    *out = v.get<std::int64_t>();
    return true;
  }
  type_error(v, ptr, "an integer");
  return false;
}

bool JsonReader::string(const Json& v, const std::string& ptr,
                        std::string* out) {
  if (!v.is_string()) {
    type_error(v, ptr, "a string");
    return false;
  }
  *out = v.get<std::string>();
  return true;
}

bool JsonReader::boolean(const Json& v, const std::string& ptr, bool* out) {
  if (!v.is_boolean()) {
    type_error(v, ptr, "a boolean");
    return false;
  }
  *out = v.get<bool>();
  return true;
}

bool JsonReader::array(const Json& v, const std::string& ptr) {
  if (v.is_array()) return true;
  type_error(v, ptr, "an array");
  return false;
}

bool JsonReader::choice(const Json& v, const std::string& ptr,
                        const char* what,
                        std::initializer_list<const char*> choices,
                        std::size_t* index) {
  std::string s;
  if (!string(v, ptr, &s)) return false;
  std::size_t i = 0;
  for (const char* c : choices) {
    if (s == c) {
      *index = i;
      return true;
    }
    ++i;
  }
  std::string expected;
  i = 0;
  for (const char* c : choices) {
    if (i > 0) expected += i + 1 == choices.size() ? " or " : ", ";
    expected += std::string("\"") + c + "\"";
    ++i;
  }
  diag_->error(ptr, std::string("unknown ") + what + " " + quote(s) +
                        " (expected " + expected + ")");
  return false;
}

}  // namespace policyc
