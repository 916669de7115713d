// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// compiler.cc - the pipeline: JSON with positions -> parse -> validate ->
// analyse -> bind device -> emit. Later stages run only on an error-free
// earlier stage, so every error is about the user's text, not a consequence
// of another one.
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

Diagnostic root_error(std::string msg) {
  Diagnostic d;
  d.message = std::move(msg);
  return d;
}

std::string hex(const DeviceId& id) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : id) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

// The device the blob is bound to: the policy's "device", else the option.
// A blob always names its device or says "any"; a conflict is an error, so
// that `--device` can never silently retarget a policy written for a board.
bool resolve_device(const Policy& p, const CompileOptions& opts,
                    DiagSink* diag, DeviceId* out) {
  const bool any = (p.flags & ucon::kPolicyAnyDevice) != 0;
  if (!p.device_given) {
    if (!opts.device && opts.key == nullptr) return true;  // checking only
    if (!opts.device) {
      diag->error("", "no target device: a blob must be bound to a device "
                      "(compile --device DEVICE.pub|ID) or the policy must "
                      "say \"device\": \"any\"");
      return false;
    }
    *out = *opts.device;
    return true;
  }
  if (opts.device && !opts.device_is_default &&
      (any || *opts.device != *p.device)) {
    diag->error("/device", std::string("the policy is bound to ") +
                               (any ? "any device" : "device " + quote(hex(*p.device))) +
                               ", but --device names " + quote(hex(*opts.device)) +
                               "; remove one of them");
    return false;
  }
  if (!any) *out = *p.device;
  return true;
}

void run(std::string_view text, const CompileOptions& opts,
         CompileResult* res) {
  Json doc;
  SourceMap map;
  JsonError jerr;
  if (!parse_json(text, &doc, &map, &jerr)) {
    res->errors.push_back(syntax_diagnostic(jerr, map));
    return;
  }
  DiagSink diag(&map);
  Policy p;
  DeviceId device{};
  if (parse_policy(doc, &diag, &p) && validate_policy(p, &diag)) {
    analyse_policy(p, &diag);
    resolve_device(p, opts, &diag, &device);
  }
  res->errors = std::move(diag.errors());
  res->warnings = std::move(diag.warnings());
  sort_by_position(&res->errors);
  sort_by_position(&res->warnings);
  if (!res->errors.empty()) return;

  res->name = p.name;
  res->policy_version = p.version;
  res->any_device = (p.flags & ucon::kPolicyAnyDevice) != 0;
  if (!res->any_device) res->device_id = device;
  for (const Rule& r : p.rules) res->rules.push_back({r.id, r.name, r.pointer});
  if (opts.key == nullptr) return;
  std::string err;
  if (!emit_blob(p, device, *opts.key, &res->blob, &err)) {
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

CompileResult compile(std::string_view json_text, const CompileOptions& opts) {
  CompileResult res;
  try {
    run(json_text, opts, &res);
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

CompileResult compile(std::string_view json_text, const Key* seed) {
  CompileOptions opts;
  opts.device = kHostTestDevice;
  opts.device_is_default = true;
  KeyPair kp;
  if (seed != nullptr) {
    if (seed->size() != kKeyLen) {
      CompileResult res;
      res.errors.push_back(root_error("a signing key has " +
                                      std::to_string(kKeyLen) + " bytes, not " +
                                      std::to_string(seed->size())));
      return res;
    }
    kp = key_pair_from_seed(seed->data());
    opts.key = &kp;
  }
  return compile(json_text, opts);
}

}  // namespace policyc
