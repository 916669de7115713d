// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// diagnostics.h - collects errors and warnings, each placed at the line and
// column of the JSON value (or object key) its pointer names.
#ifndef TZUCON_POLICY_COMPILER_DIAGNOSTICS_H
#define TZUCON_POLICY_COMPILER_DIAGNOSTICS_H

#include <string>
#include <vector>

#include "compiler.h"
#include "json_source.h"

namespace policyc {

class DiagSink {
 public:
  explicit DiagSink(const SourceMap* map) : map_(map) {}

  // Placed at the start of the value `pointer` names.
  void error(const std::string& pointer, std::string message);
  void warning(const std::string& pointer, std::string message);
  // Placed at the key of the member `pointer` names (unknown/duplicate keys).
  void error_at_key(const std::string& pointer, std::string message);

  bool has_errors() const { return !errors_.empty(); }
  std::size_t error_count() const { return errors_.size(); }
  std::vector<Diagnostic>& errors() { return errors_; }
  std::vector<Diagnostic>& warnings() { return warnings_; }

 private:
  Diagnostic make(Diagnostic::Severity sev, const std::string& pointer,
                  std::string message, bool at_key) const;

  const SourceMap* map_;
  std::vector<Diagnostic> errors_;
  std::vector<Diagnostic> warnings_;
};

// A JSON syntax error (parse_json) placed at the character where parsing
// failed; other JSON documents (attack models) report theirs the same way.
Diagnostic syntax_diagnostic(const JsonError& err, const SourceMap& map);
// Source order (line, then column), stable for equal positions.
void sort_by_position(std::vector<Diagnostic>* diags);

// Quotes user input for a message: "name" with control characters,
// quotes and backslashes escaped, long input shortened.
std::string quote(const std::string& s);

}  // namespace policyc

#endif  // TZUCON_POLICY_COMPILER_DIAGNOSTICS_H
