// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// integrity_view.cc - INTEGRITY_STATUS / INTEGRITY_CHECK replies: decode, render.
#include "integrity_view.h"

#include <cstdio>
#include <cstring>
#include <string>

#include "integrity_names.h"

namespace policyctl {
namespace {

constexpr std::uint32_t kNoOffset = ~0u;

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%08x", v);
  return buf;
}

// The region name is NUL-padded by the secure world; a name that fills the
// array without a NUL is cut at the array, never read past it.
std::string region_name(const tzu_integrity_region& r) {
  const void* nul = std::memchr(r.name, 0, sizeof(r.name));
  std::size_t n = nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - r.name)
                      : sizeof(r.name);
  return std::string(r.name, n);
}

// Microseconds between a secure-clock timestamp and now; null when the
// event never happened (0) or the clock reads earlier than it.
Json age_us(std::uint64_t at, std::uint64_t now) {
  if (at == 0 || at > now) return nullptr;
  return now - at;
}

std::string seconds(std::uint64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%llu.%03llu s", static_cast<unsigned long long>(us / 1000000),
                static_cast<unsigned long long>(us / 1000 % 1000));
  return buf;
}

std::string ago(const Json& age) {
  return age.is_null() ? std::string("never") : seconds(age.get<std::uint64_t>()) + " ago";
}

std::string joined(const std::vector<std::string>& v) {
  if (v.empty()) return "-";
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

Json region_to_json(const tzu_integrity_region& r) {
  return Json{{"name", region_name(r)},
              {"kind", region_kind_name(r.kind)},
              {"va", r.va},
              {"len", r.len},
              {"flags", region_flag_names(r.flags)},
              {"mismatches", r.mismatches},
              {"first_offset", r.first_offset == kNoOffset ? Json(nullptr) : Json(r.first_offset)}};
}

}  // namespace

IntegrityStatus parse_integrity_status(const std::vector<std::uint8_t>& rsp,
                                       std::uint32_t cmd) {
  const std::size_t size = check_response(rsp, cmd, sizeof(tzu_integrity_status));
  IntegrityStatus out;
  std::memcpy(&out.status, rsp.data(), sizeof(out.status));
  const std::uint32_t n = out.status.n_regions;
  if (n > kMaxIntegrityRegions) {
    throw TransportError("integrity status claims " + std::to_string(n) +
                         " regions, more than the " + std::to_string(kMaxIntegrityRegions) +
                         " a reply may hold");
  }
  const std::size_t want = sizeof(tzu_integrity_status) + n * sizeof(tzu_integrity_region);
  if (size != want) {
    throw TransportError("integrity status of " + std::to_string(size) + " bytes for " +
                         std::to_string(n) + " regions, expected " + std::to_string(want));
  }
  out.regions.resize(n);
  if (n) {
    std::memcpy(out.regions.data(), rsp.data() + sizeof(tzu_integrity_status),
                n * sizeof(tzu_integrity_region));
  }
  return out;
}

IntegrityStatus query_integrity(Transport& t, std::uint32_t cmd) {
  auto req = make_request<tzu_session_req>(cmd);
  req.session = kRequestSession;
  constexpr std::size_t kCap =
      sizeof(tzu_integrity_status) + kMaxIntegrityRegions * sizeof(tzu_integrity_region);
  return parse_integrity_status(call(t, req, kCap), cmd);
}

Json integrity_to_json(const IntegrityStatus& is) {
  const tzu_integrity_status& s = is.status;
  Json regions = Json::array();
  for (const auto& r : is.regions) regions.push_back(region_to_json(r));
  return Json{{"state", integrity_state_name(s.state)},
              {"flags", integrity_flag_names(s.flags)},
              {"period_us", s.period_us},
              {"chunk_bytes", s.chunk_bytes},
              {"heartbeat_ms", s.heartbeat_ms},
              {"heartbeat_timeout_ms", s.heartbeat_timeout_ms},
              {"now_us", s.now_us},
              {"ticks", s.ticks},
              {"passes", s.passes},
              {"mismatches", s.mismatches},
              {"bytes_total", s.bytes_total},
              {"bytes_compared", s.bytes_compared},
              {"last_pass_us", s.last_pass_us},
              {"last_pass_age_us", age_us(s.last_pass_us, s.now_us)},
              {"pass_us", s.pass_us},
              {"heartbeats", s.heartbeats},
              {"last_heartbeat_us", s.last_heartbeat_us},
              {"heartbeat_age_us", age_us(s.last_heartbeat_us, s.now_us)},
              {"first_violation_us", s.first_violation_us},
              {"kernel_decisions", s.kernel_decisions},
              {"secure_decisions", s.secure_decisions},
              {"kernel_cached_allowed", s.kernel_cached_allowed},
              {"kernel_cached_denied", s.kernel_cached_denied},
              {"manifest_sha256", to_hex(s.manifest_sha256, sizeof(s.manifest_sha256))},
              {"regions", regions}};
}

void print_integrity(std::ostream& out, const IntegrityStatus& is) {
  const tzu_integrity_status& s = is.status;
  const Json j = integrity_to_json(is);
  out << "state:           " << integrity_state_name(s.state) << "\n"
      << "flags:           " << joined(j["flags"].get<std::vector<std::string>>()) << "\n"
      << "period:          " << s.period_us << " us per tick, " << s.chunk_bytes
      << " bytes per tick\n"
      << "heartbeat:       every " << s.heartbeat_ms << " ms, timeout "
      << s.heartbeat_timeout_ms << " ms; last " << ago(j["heartbeat_age_us"]) << " ("
      << s.heartbeats << " received)\n"
      << "last full pass:  " << ago(j["last_pass_age_us"]);
  if (s.last_pass_us) out << ", took " << s.pass_us << " us";
  out << "\n"
      << "passes:          " << s.passes << " (" << s.ticks << " ticks)\n"
      << "mismatches:      " << s.mismatches;
  if (s.first_violation_us) out << " (first violation at " << seconds(s.first_violation_us) << ")";
  out << "\n"
      << "bytes per pass:  " << s.bytes_total << " (" << s.bytes_compared
      << " compared since boot)\n"
      << "decisions:       kernel " << s.kernel_decisions << " (last heartbeat), secure "
      << s.secure_decisions << "\n"
      << "cached:          kernel allowed " << s.kernel_cached_allowed << ", denied "
      << s.kernel_cached_denied << " (last heartbeat; decisions taken in the secure "
      << "world's name)\n"
      << "manifest:        " << j["manifest_sha256"].get<std::string>() << "\n"
      << "secure clock:    " << seconds(s.now_us) << " since secure boot\n"
      << "regions:         " << is.regions.size() << "\n";
  for (const auto& r : is.regions) {
    char line[160];
    std::snprintf(line, sizeof(line), "  %-16s %-13s va %s len %s mismatches %u first_offset ",
                  region_name(r).c_str(), region_kind_name(r.kind).c_str(),
                  hex32(r.va).c_str(), hex32(r.len).c_str(), r.mismatches);
    out << line << (r.first_offset == kNoOffset ? std::string("-") : hex32(r.first_offset))
        << " flags " << joined(region_flag_names(r.flags)) << "\n";
  }
}

}  // namespace policyctl
