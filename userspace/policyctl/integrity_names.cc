// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// integrity_names.cc - names and audit-record decoding for kernel integrity.
#include "integrity_names.h"

#include <cstdio>
#include <iterator>

namespace policyctl {
namespace {

struct Bit {
  std::uint32_t bit;
  const char* name;
};

const Bit kStatusFlags[] = {
    {TZU_IS_MANIFEST, "manifest"},
    {TZU_IS_REGISTERED, "registered"},
    {TZU_IS_SEALED, "sealed"},
    {TZU_IS_TIMER, "timer"},
    {TZU_IS_SMC_FALLBACK, "smc_fallback"},
    {TZU_IS_HEARTBEAT_LOST, "heartbeat_lost"},
    {TZU_IS_COUNTERS_DISAGREE, "counters_disagree"},
    {TZU_IS_DEADLINE_MISSED, "deadline_missed"},
    {TZU_IS_MANIFEST_BAD, "manifest_bad"},
    {TZU_IS_TIMER_TAMPERED, "timer_tampered"},
};

const Bit kRegionFlags[] = {
    {TZU_IRF_BASELINED, "baselined"},
    {TZU_IRF_EXPECTED, "expected"},
    {TZU_IRF_DIRTY, "dirty"},
};

// Unknown bits are shown as hex, never dropped: a newer secure world may
// report a flag this policyctl does not know yet.
template <std::size_t N>
std::vector<std::string> names_of(std::uint32_t v, const Bit (&table)[N]) {
  std::vector<std::string> out;
  for (const Bit& b : table) {
    if (v & b.bit) out.emplace_back(b.name);
    v &= ~b.bit;
  }
  for (std::uint32_t bit = 1; v; bit <<= 1) {
    if (v & bit) {
      char buf[16];
      std::snprintf(buf, sizeof(buf), "0x%x", bit);
      out.emplace_back(buf);
    }
    v &= ~bit;
  }
  return out;
}

const char* kmod_op_name(std::uint32_t op) {
  switch (op) {
    case TZU_KMOD_ADD: return "add";
    case TZU_KMOD_DEL: return "del";
    default: return nullptr;
  }
}

}  // namespace

const char* integrity_state_name(std::uint32_t state) {
  switch (state) {
    case TZU_INTEGRITY_UNKNOWN: return "unknown";
    case TZU_INTEGRITY_OK: return "ok";
    case TZU_INTEGRITY_VIOLATED: return "violated";
    case TZU_INTEGRITY_DEGRADED: return "degraded";
    default: return "invalid";
  }
}

std::string region_kind_name(std::uint32_t kind) {
  static const char* const kNames[] = {
      "none",          "text",    "syscall_table", "rodata", "ro_after_init",
      "ex_table",      "vectors", "stubs",         "module",
  };
  if (kind < std::size(kNames)) return kNames[kind];
  return "kind" + std::to_string(kind);
}

std::vector<std::string> integrity_flag_names(std::uint32_t flags) {
  return names_of(flags, kStatusFlags);
}

std::vector<std::string> region_flag_names(std::uint32_t flags) {
  return names_of(flags, kRegionFlags);
}

Json integrity_record_detail(const tzu_audit_record& r) {
  const std::uint64_t s = r.event_seq;
  const auto lo32 = static_cast<std::uint32_t>(s);
  const auto hi32 = static_cast<std::uint32_t>(s >> 32);
  Json d = Json::object();
  switch (r.hook) {
    case TZU_AUDIT_MANIFEST:
      d["manifest_size"] = s;
      break;
    case TZU_AUDIT_KREGISTER:
      d["region_kind"] = region_kind_name(hi32);
      d["va"] = lo32;
      break;
    case TZU_AUDIT_MISMATCH:
    case TZU_AUDIT_BASELINE:
      // kind<<56 | region<<32 | offset
      d["region_kind"] = region_kind_name(static_cast<std::uint32_t>(s >> 56));
      d["region"] = static_cast<std::uint32_t>((s >> 32) & 0xffffffu);
      d["offset"] = lo32;
      break;
    case TZU_AUDIT_HEARTBEAT:
      d["degraded_by"] = integrity_flag_names(lo32);
      break;
    case TZU_AUDIT_KMODULE: {
      const char* op = kmod_op_name(hi32);
      d["op"] = op ? Json(op) : Json(hi32);
      d["va"] = lo32;
      break;
    }
    case TZU_AUDIT_INTEGRITY:
      d["state"] = integrity_state_name(lo32);
      break;
    default:
      break;
  }
  return d;
}

}  // namespace policyctl
