// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// expect.cc - subset comparison of expected vs actual JSON objects.
#include "expect.h"

namespace policyctl {
namespace {

// Exact equality that ignores object key order (ordered_json's operator==
// compares objects in insertion order).
bool same(const Json& a, const Json& b) {
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !same(it.value(), *other)) return false;
    }
    return true;
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace

std::vector<std::string> subset_diff(const Json& expected, const Json& actual,
                                     const std::string& path) {
  std::vector<std::string> out;
  if (expected.is_object() && actual.is_object()) {
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      const std::string key_path = path + "/" + it.key();
      auto got = actual.find(it.key());
      if (it.value().is_null()) {
        // null expects the key to be absent (e.g. no audit record).
        if (got != actual.end() && !got->is_null()) {
          out.push_back(key_path + ": expected no such key, got " + dump(*got));
        }
        continue;
      }
      if (got == actual.end()) {
        out.push_back(key_path + ": expected " + dump(it.value()) +
                      ", key missing");
        continue;
      }
      auto sub = subset_diff(it.value(), *got, key_path);
      out.insert(out.end(), sub.begin(), sub.end());
    }
    return out;
  }
  if (!same(expected, actual)) {
    out.push_back((path.empty() ? "/" : path) + ": expected " + dump(expected) +
                  ", got " + dump(actual));
  }
  return out;
}

}  // namespace policyctl
