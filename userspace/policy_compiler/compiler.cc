// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// compiler.cc - the pipeline: JSON with positions -> parse -> validate ->
// analyse -> emit. Later stages run only on an error-free earlier stage, so
// every error is about the user's text, not a consequence of another one.
#include "compiler.h"

#include <algorithm>
#include <exception>

#include "analysis.h"
#include "diagnostics.h"
#include "emit.h"
#include "engine.h"
#include "json_source.h"
#include "parse_policy.h"
#include "validate.h"

namespace policyc {

namespace {

// HMAC accepts any key, but the engine keeps at most 64 bytes of it.
constexpr std::size_t kMinKeyBytes = 16;
constexpr std::size_t kMaxKeyBytes = 64;

void by_position(std::vector<Diagnostic>* v) {
  std::stable_sort(v->begin(), v->end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return a.line != b.line ? a.line < b.line
                                             : a.column < b.column;
                   });
}

Diagnostic root_error(std::string msg) {
  Diagnostic d;
  d.message = std::move(msg);
  return d;
}

void run(std::string_view text, const Key* key, CompileResult* res) {
  if (key != nullptr && (key->size() < kMinKeyBytes || key->size() > kMaxKeyBytes)) {
    res->errors.push_back(root_error("device key must have " +
                                     std::to_string(kMinKeyBytes) + " to " +
                                     std::to_string(kMaxKeyBytes) +
                                     " bytes, not " +
                                     std::to_string(key->size())));
    return;
  }
  Json doc;
  SourceMap map;
  JsonError jerr;
  if (!parse_json(text, &doc, &map, &jerr)) {
    Diagnostic d;
    d.message = jerr.message;
    d.pointer = jerr.pointer;
    LineCol lc = map.line_col(jerr.offset);
    d.line = lc.line;
    d.column = lc.column;
    res->errors.push_back(std::move(d));
    return;
  }
  DiagSink diag(&map);
  Policy p;
  if (parse_policy(doc, &diag, &p) && validate_policy(p, &diag)) {
    analyse_policy(p, &diag);
  }
  res->errors = std::move(diag.errors());
  res->warnings = std::move(diag.warnings());
  by_position(&res->errors);
  by_position(&res->warnings);
  if (!res->errors.empty()) return;

  res->name = p.name;
  res->policy_version = p.version;
  for (const Rule& r : p.rules) res->rules.push_back({r.id, r.name, r.pointer});
  if (key == nullptr) return;
  std::string err;
  if (!emit_blob(p, *key, &res->blob, &err)) {
    res->errors.push_back(root_error(err));
    return;
  }
  std::size_t engine_buffer = ucon::EngineConfig{}.max_blob_bytes;
  if (res->blob.size() > engine_buffer) {
    Diagnostic w = root_error("compiled policy is " +
                              std::to_string(res->blob.size()) +
                              " bytes; the engine's default policy buffer "
                              "holds " + std::to_string(engine_buffer));
    w.severity = Diagnostic::Severity::kWarning;
    res->warnings.push_back(std::move(w));
  }
}

}  // namespace

CompileResult compile(std::string_view json_text, const Key* key) {
  CompileResult res;
  try {
    run(json_text, key, &res);
  } catch (const std::exception& e) {
    res = CompileResult();
    res.errors.push_back(root_error(std::string("internal error: ") + e.what()));
  } catch (...) {
    res = CompileResult();
    res.errors.push_back(root_error("internal error"));
  }
  res.ok = res.errors.empty();
  if (!res.ok) {
    res.blob.clear();
    res.rules.clear();
  }
  return res;
}

}  // namespace policyc
