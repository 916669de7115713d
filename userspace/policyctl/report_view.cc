// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// report_view.cc - tzu_report: decode, verify (Ed25519), render.
#include "report_view.h"

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <ostream>

#include "crypto.h"
#include "ed25519.h"
#include "integrity_names.h"

namespace policyctl {
namespace {

constexpr std::size_t kSignedFrom = sizeof(tzu_hdr);
constexpr std::size_t kSignedTo = offsetof(tzu_report, signature);

}  // namespace

std::optional<tzu_report> report_from_bytes(const std::vector<std::uint8_t>& bytes,
                                            std::string* err) {
  if (bytes.size() != sizeof(tzu_report)) {
    *err = "a report has " + std::to_string(sizeof(tzu_report)) + " bytes, not " +
           std::to_string(bytes.size());
    // Version 1 (336 bytes, before the integrity fields): say so plainly.
    constexpr std::size_t kV1Size = 336;
    std::uint16_t version = 0;
    if (bytes.size() == kV1Size) std::memcpy(&version, bytes.data() + offsetof(tzu_report, version), 2);
    if (version == 1) *err += " (a version 1 report, from an older secure world)";
    return std::nullopt;
  }
  tzu_report r;
  std::memcpy(&r, bytes.data(), sizeof(r));
  return r;
}

std::string report_problem(const tzu_report& r, const std::uint8_t device_pub[32],
                           const std::uint8_t* expected_nonce) {
  if (r.magic != TZU_REPORT_MAGIC) return "not a report (bad magic)";
  if (r.version != TZU_REPORT_VERSION) {
    return "unsupported report version " + std::to_string(r.version);
  }
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(&r);
  if (!ucon::ed25519_verify(device_pub, bytes + kSignedFrom, kSignedTo - kSignedFrom,
                            r.signature)) {
    return "signature does not verify with this device key";
  }
  // device id = first 16 bytes of SHA-256(device public key)
  std::uint8_t id[ucon::kSha256Len];
  ucon::sha256(device_pub, 32, id);
  if (std::memcmp(id, r.device_id, sizeof(r.device_id)) != 0) {
    return "report names device " + to_hex(r.device_id, sizeof(r.device_id)) +
           ", not this key's " + to_hex(id, sizeof(r.device_id));
  }
  if (expected_nonce && std::memcmp(expected_nonce, r.nonce, sizeof(r.nonce)) != 0) {
    return "nonce " + to_hex(r.nonce, sizeof(r.nonce)) + " is not the one asked for";
  }
  return "";
}

const char* storage_state_name(std::uint32_t s) {
  switch (s) {
    case TZU_STORAGE_OK: return "ok";
    case TZU_STORAGE_FRESH: return "fresh";
    case TZU_STORAGE_TAMPERED: return "tampered";
    case TZU_STORAGE_UNAVAILABLE: return "unavailable";
    default: return "invalid";
  }
}

std::vector<std::string> secure_flag_names(std::uint32_t flags) {
  static const struct {
    std::uint32_t bit;
    const char* name;
  } kNames[] = {{TZU_SF_BOOT_POLICY, "boot_policy"},
                {TZU_SF_CMDLINE_WEAK, "cmdline_weak"},
                {TZU_SF_AUDIT_FAIL_CLOSED, "audit_fail_closed"}};
  std::vector<std::string> out;
  for (const auto& n : kNames) {
    if (flags & n.bit) {
      out.emplace_back(n.name);
      flags &= ~n.bit;
    }
  }
  for (std::uint32_t bit = 1; flags; bit <<= 1) {
    if (flags & bit) {
      char buf[16];
      std::snprintf(buf, sizeof(buf), "0x%x", bit);
      out.emplace_back(buf);
    }
    flags &= ~bit;
  }
  return out;
}

Json report_to_json(const tzu_report& r) {
  const char* mode = mode_name(r.mode);
  return Json{{"device_id", to_hex(r.device_id, sizeof(r.device_id))},
              {"nonce", to_hex(r.nonce, sizeof(r.nonce))},
              {"boot_counter", r.boot_counter},
              {"policy_sha256", to_hex(r.policy_sha256, sizeof(r.policy_sha256))},
              {"policy_version", r.policy_version},
              {"epoch", r.epoch},
              {"mode", mode ? Json(mode) : Json(r.mode)},
              {"integrity", integrity_state_name(r.integrity_state)},
              {"storage", storage_state_name(r.storage_state)},
              {"flags", secure_flag_names(r.flags)},
              {"rollback_floor", r.rollback_floor},
              {"cmdline_sha256", to_hex(r.cmdline_sha256, sizeof(r.cmdline_sha256))},
              {"audit_next_index", r.audit_next_index},
              {"audit_head", to_hex(r.audit_head, sizeof(r.audit_head))},
              {"audit_dropped", r.audit_dropped},
              {"audit_acked", r.audit_acked},
              {"audit_unrecorded", r.audit_unrecorded},
              {"decisions", r.decisions},
              {"denied", r.denied},
              {"auth_failures", r.auth_failures},
              {"errors", r.errors},
              {"admin_counter", r.admin_counter},
              // v2: kernel integrity; last_* describe the latest detection
              // (last_region_kind "none" while there was none)
              {"integrity_passes", r.integrity_passes},
              {"integrity_mismatches", r.integrity_mismatches},
              {"integrity_flags", integrity_flag_names(r.integrity_flags)},
              {"last_region_kind", region_kind_name(r.last_region_kind)},
              {"last_region_va", r.last_region_va},
              {"last_offset", r.last_offset},
              {"last_expected", to_hex(r.last_expected, sizeof(r.last_expected))},
              {"last_observed", to_hex(r.last_observed, sizeof(r.last_observed))},
              {"manifest_sha256", to_hex(r.manifest_sha256, sizeof(r.manifest_sha256))}};
}

void print_report(std::ostream& out, const tzu_report& r) {
  Json j = report_to_json(r);
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string v = it.value().is_string() ? it.value().get<std::string>() : dump(it.value());
    out << it.key() << ": " << v << "\n";
  }
}

}  // namespace policyctl
