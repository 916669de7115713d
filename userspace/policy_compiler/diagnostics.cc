// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// diagnostics.cc - error/warning placement and rendering.
#include "diagnostics.h"

#include <algorithm>
#include <cstdio>

namespace policyc {

namespace {
// Past this many errors the rest are mostly consequences of the first ones.
constexpr std::size_t kMaxErrors = 50;
constexpr std::size_t kMaxQuoted = 80;
}  // namespace

std::string Diagnostic::to_string() const {
  std::string out;
  if (line != 0) {
    out += std::to_string(line) + ":" + std::to_string(column) + ": ";
  }
  out += severity == Severity::kError ? "error: " : "warning: ";
  out += message;
  out += " (at " + (pointer.empty() ? std::string("root") : pointer) + ")";
  return out;
}

Diagnostic DiagSink::make(Diagnostic::Severity sev, const std::string& pointer,
                          std::string message, bool at_key) const {
  Diagnostic d;
  d.severity = sev;
  d.message = std::move(message);
  d.pointer = pointer;
  if (map_ != nullptr) {
    LineCol lc = at_key ? map_->key_position(pointer)
                        : map_->value_position(pointer);
    d.line = lc.line;
    d.column = lc.column;
  }
  return d;
}

void DiagSink::error(const std::string& pointer, std::string message) {
  if (errors_.size() == kMaxErrors) {
    errors_.push_back(make(Diagnostic::Severity::kError, pointer,
                           "too many errors; stopping", false));
  }
  if (errors_.size() > kMaxErrors) return;
  errors_.push_back(
      make(Diagnostic::Severity::kError, pointer, std::move(message), false));
}

void DiagSink::error_at_key(const std::string& pointer, std::string message) {
  if (errors_.size() >= kMaxErrors) {
    error(pointer, std::move(message));
    return;
  }
  errors_.push_back(
      make(Diagnostic::Severity::kError, pointer, std::move(message), true));
}

void DiagSink::warning(const std::string& pointer, std::string message) {
  warnings_.push_back(
      make(Diagnostic::Severity::kWarning, pointer, std::move(message), false));
}

Diagnostic syntax_diagnostic(const JsonError& err, const SourceMap& map) {
  Diagnostic d;
  d.message = err.message;
  d.pointer = err.pointer;
  LineCol lc = map.line_col(err.offset);
  d.line = lc.line;
  d.column = lc.column;
  return d;
}

void sort_by_position(std::vector<Diagnostic>* diags) {
  std::stable_sort(diags->begin(), diags->end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return a.line != b.line ? a.line < b.line
                                             : a.column < b.column;
                   });
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  std::size_t n = 0;
  for (unsigned char c : s) {
    if (n++ == kMaxQuoted) {
      out += "...";
      break;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

}  // namespace policyc
