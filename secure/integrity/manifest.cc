// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// manifest.cc - kernel manifest validation: the format rules first (cheap,
// bounded), the signature last, so a refused manifest names its rule.
#include "manifest.h"

#include "ed25519.h"

namespace integrity {
namespace {

constexpr uint32_t kHdr = sizeof(tzu_kmanifest_hdr);
constexpr uint32_t kSig = 64;
constexpr uint32_t kL1Align = 16u << 10;  // TTBR0 with TTBCR.N = 0

ucon::Status refuse(const char** why, const char* rule) {
  if (why) *why = rule;
  return ucon::Status::kMalformed;
}

bool known_kind(uint32_t k) {
  return k >= TZU_IREG_TEXT && k <= TZU_IREG_STUBS;
}

uint64_t end_of(const tzu_kmanifest_region& r) {
  return static_cast<uint64_t>(r.va) + r.len;
}

const char* check_header(const tzu_kmanifest_hdr& h, uint32_t len) {
  if (h.magic != TZU_KMANIFEST_MAGIC) return "magic";
  if (h.version != TZU_KMANIFEST_VERSION) return "version";
  if (h.flags != 0) return "header flags";
  if (h.size > len || h.size > TZU_KMANIFEST_MAX) return "size beyond cap";
  if (h.n_regions < 1 || h.n_regions > TZU_KMANIFEST_MAX_REGIONS)
    return "region count";
  // 64-bit sum: n_fixups is any 32-bit value here.
  const uint64_t want = uint64_t{kHdr} + uint64_t{h.n_regions} *
                        sizeof(tzu_kmanifest_region) +
                        uint64_t{h.n_fixups} * sizeof(tzu_kmanifest_fixup) +
                        kSig;
  if (want != h.size) return "size disagrees with counts";
  if (h.swapper_pg_dir < h.page_offset) return "swapper_pg_dir below page_offset";
  const uint64_t pgd = uint64_t{h.swapper_pg_dir} - h.page_offset + h.phys_base;
  if (pgd + kL1Align > (uint64_t{1} << 32)) return "swapper_pg_dir beyond 4 GiB";
  if (pgd % kL1Align) return "swapper_pg_dir alignment";
  return nullptr;
}

const char* check_regions(const tzu_kmanifest_region* r, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    if (!known_kind(r[i].kind)) return "region kind";
    if (r[i].flags & ~(TZU_KMR_DIGEST | TZU_KMR_AT_SEAL)) return "region flags";
    if (r[i].va % 4) return "region alignment";
    if (r[i].len == 0 || r[i].len % 4) return "region length";
    if (end_of(r[i]) > (uint64_t{1} << 32)) return "region wraps";
    for (uint32_t j = 0; j < i; ++j)
      if (r[i].va < end_of(r[j]) && r[j].va < end_of(r[i]))
        return "regions overlap";
  }
  return nullptr;
}

bool inside_some(const tzu_kmanifest_region* r, uint32_t n, uint32_t va) {
  for (uint32_t i = 0; i < n; ++i)
    if (va >= r[i].va && uint64_t{va} + 4 <= end_of(r[i])) return true;
  return false;
}

const char* check_fixups(const ManifestView& mv) {
  for (uint32_t i = 0; i < mv.n_fixups; ++i) {
    const tzu_kmanifest_fixup& f = mv.fixups[i];
    if (f.va % 4) return "fixup alignment";
    if (i && f.va <= mv.fixups[i - 1].va) return "fixups not ascending";
    if (!inside_some(mv.regions, mv.n_regions, f.va))
      return "fixup outside regions";
  }
  return nullptr;
}

}  // namespace

ucon::Status parse_manifest(const uint8_t* m, uint32_t len,
                            const uint8_t policy_pub[32], ManifestView* out,
                            const char** why) {
  *out = ManifestView{};
  if (!m || len < kHdr + kSig) return refuse(why, "short");
  const auto* h = reinterpret_cast<const tzu_kmanifest_hdr*>(m);
  if (const char* rule = check_header(*h, len)) return refuse(why, rule);
  ManifestView mv;
  mv.hdr = h;
  mv.n_regions = h->n_regions;
  mv.n_fixups = h->n_fixups;
  mv.size = h->size;
  mv.regions = reinterpret_cast<const tzu_kmanifest_region*>(m + kHdr);
  mv.fixups = reinterpret_cast<const tzu_kmanifest_fixup*>(
      m + kHdr + mv.n_regions * sizeof(tzu_kmanifest_region));
  if (const char* rule = check_regions(mv.regions, mv.n_regions))
    return refuse(why, rule);
  if (const char* rule = check_fixups(mv)) return refuse(why, rule);
  if (!ucon::ed25519_verify(policy_pub, m, mv.size - kSig, m + mv.size - kSig)) {
    if (why) *why = "signature";
    return ucon::Status::kAuth;
  }
  if (why) *why = nullptr;
  *out = mv;
  return ucon::Status::kOk;
}

uint32_t first_fixup_at(const ManifestView& mv, uint32_t va) {
  uint32_t lo = 0, hi = mv.n_fixups;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (mv.fixups[mid].va < va)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

}  // namespace integrity
