// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// regions.cc - the region table: placement of pages and baseline (first
// fit, so module unload/reload never leaks), translation page by page,
// the baseline copy and its digests, kernel and module registration.
#include <string.h>

#include "crypto.h"
#include "kernel_integrity.h"
#include "page_walk.h"

namespace integrity {
namespace {

constexpr uint32_t kPage = 4096;

const char* kind_name(uint32_t kind) {
  switch (kind) {
    case TZU_IREG_TEXT: return "text";
    case TZU_IREG_SYSCALL_TABLE: return "syscall_table";
    case TZU_IREG_RODATA: return "rodata";
    case TZU_IREG_RO_AFTER_INIT: return "ro_after_init";
    case TZU_IREG_EX_TABLE: return "ex_table";
    case TZU_IREG_VECTORS: return "vectors";
    case TZU_IREG_STUBS: return "stubs";
  }
  return "?";
}

uint32_t pages_spanned(uint32_t va, uint32_t len) {
  const uint64_t end = uint64_t{va} + len;
  return static_cast<uint32_t>(((end + kPage - 1) / kPage) - va / kPage);
}

// Lowest start in [0, cap) where `len` units fit between the ranges that
// range_of(i, &start, &len) reports for live slots. Candidates: 0 and the
// end of every range, so a gap is found in O(n^2) for n <= kMaxRegions.
template <typename RangeOf>
bool first_fit(uint32_t len, uint32_t cap, uint32_t n_slots, RangeOf range_of,
               uint32_t* out) {
  bool found = false;
  uint64_t best = 0;
  for (uint32_t c = 0; c <= n_slots; ++c) {
    uint32_t s = 0, l = 0;
    if (c < n_slots && !range_of(c, &s, &l)) continue;
    const uint64_t start = c < n_slots ? uint64_t{s} + l : 0;
    if (start + len > cap || (found && start >= best)) continue;
    bool clear = true;
    for (uint32_t i = 0; i < n_slots && clear; ++i)
      if (range_of(i, &s, &l) && start < uint64_t{s} + l && s < start + len)
        clear = false;
    if (clear) {
      best = start;
      found = true;
    }
  }
  *out = static_cast<uint32_t>(best);
  return found;
}

}  // namespace

bool KernelIntegrity::alloc_pages(uint32_t n, uint32_t* first) const {
  return first_fit(n, kMaxPages, kMaxRegions,
                   [this](uint32_t i, uint32_t* s, uint32_t* l) {
                     const Region& r = regions_[i];
                     *s = r.first_page;
                     *l = r.n_pages;
                     return r.live && r.n_pages;
                   },
                   first);
}

bool KernelIntegrity::alloc_copy(uint32_t len, uint32_t* off) const {
  return first_fit(len, cfg_.copy_cap, kMaxRegions,
                   [this](uint32_t i, uint32_t* s, uint32_t* l) {
                     const Region& r = regions_[i];
                     *s = r.copy_off;
                     *l = r.len;
                     return r.live && r.n_pages;
                   },
                   off);
}

// Reserves pages_ entries and baseline space for *r (n_pages stays 0 on
// failure, so the region is never compared).
ucon::Status KernelIntegrity::place(Region* r) {
  const uint32_t n = pages_spanned(r->va, r->len);
  uint32_t first = 0, off = 0;
  if (!alloc_pages(n, &first) || !alloc_copy(r->len, &off))
    return ucon::Status::kLimit;
  r->first_page = first;
  r->copy_off = off;
  const ucon::Status s = map_pages(*r);
  if (s == ucon::Status::kOk) r->n_pages = n;
  return s;
}

// Manifest regions other than the vectors and stubs pages (which sit at
// 0xffff0000 outside the linear map) are in the kernel image.
bool KernelIntegrity::linear_only(const Region& r) const {
  return r.kind != TZU_IREG_MODULE && r.kind != TZU_IREG_VECTORS &&
         r.kind != TZU_IREG_STUBS;
}

// Every page the region touches, translated and readable for the bytes of
// the region inside it.
ucon::Status KernelIntegrity::map_pages(const Region& r) {
  const uint32_t n = pages_spanned(r.va, r.len);
  const uint64_t end = uint64_t{r.va} + r.len;
  for (uint32_t p = 0; p < n; ++p) {
    const uint32_t vpage = (r.va & ~(kPage - 1)) + p * kPage;
    uint32_t pa = 0;
    if (translate(cfg_.ns, l1_pa_, vpage, &pa) != WalkError::kOk)
      return ucon::Status::kBadOffset;
    // The kernel's image lives in the linear map: a table that maps it
    // anywhere else (a clean copy for the measurement) is refused.
    if (linear_only(r) &&
        pa != uint64_t{vpage} - mv_.hdr->page_offset + mv_.hdr->phys_base)
      return ucon::Status::kBadOffset;
    const uint64_t lo = vpage > r.va ? vpage : r.va;
    const uint64_t hi = uint64_t{vpage} + kPage < end ? vpage + uint64_t{kPage} : end;
    if (!cfg_.ns.at(pa + (lo - vpage), static_cast<uint32_t>(hi - lo)))
      return ucon::Status::kBadOffset;
    pages_[r.first_page + p] = pa;
  }
  return ucon::Status::kOk;
}

// [off, off + len) of the region as the kernel sees it now; the span must
// not cross a 4 KiB virtual page.
const uint8_t* KernelIntegrity::live_at(const Region& r, uint32_t off,
                                        uint32_t len) const {
  const uint32_t v = (r.va & (kPage - 1)) + off;
  const uint32_t pa = pages_[r.first_page + v / kPage] + v % kPage;
  return cfg_.ns.at(pa, len);
}

bool KernelIntegrity::overlaps(uint32_t va, uint32_t len) const {
  const uint64_t end = uint64_t{va} + len;
  for (const Region& r : regions_)
    if (r.live && va < uint64_t{r.va} + r.len && r.va < end) return true;
  return false;
}

uint32_t KernelIntegrity::free_slot() const {
  uint32_t i = 0;
  while (i < kMaxRegions && regions_[i].live) ++i;
  return i;
}

// Over the baseline copy: `plain` as it is, `masked` with each fixup word
// w replaced by w & ~mask (the manifest's digest).
void KernelIntegrity::hash_region(const Region& r, uint8_t masked[32],
                                  uint8_t plain[32]) const {
  const uint8_t* data = cfg_.copy + r.copy_off;
  ucon::Sha256 m, p;
  p.update(data, r.len);
  uint32_t done = 0;
  const uint64_t end = uint64_t{r.va} + r.len;
  for (uint32_t f = first_fixup_at(mv_, r.va);
       f < mv_.n_fixups && mv_.fixups[f].va + uint64_t{4} <= end; ++f) {
    const uint32_t at = mv_.fixups[f].va - r.va;
    m.update(data + done, at - done);
    uint32_t w = 0;
    memcpy(&w, data + at, 4);
    w &= ~mv_.fixups[f].mask;
    m.update(&w, 4);  // little-endian on both the board and the host
    done = at + 4;
  }
  m.update(data + done, r.len - done);
  m.final(masked);
  p.final(plain);
}

// Copies the live region into its baseline, checks the manifest digest,
// reports to the sink. A digest mismatch is a detection with offset ~0u
// (a digest does not say where) and the whole region's masked digests in
// place of page digests; the baseline is kept so later changes count too.
void KernelIntegrity::baseline(uint32_t idx, uint32_t op, uint64_t now_us) {
  Region& r = regions_[idx];
  for (uint32_t off = 0; off < r.len;) {
    const uint32_t in_page = kPage - (r.va + off) % kPage;
    const uint32_t n = r.len - off < in_page ? r.len - off : in_page;
    memcpy(cfg_.copy + r.copy_off + off, live_at(r, off, n), n);
    off += n;
  }
  r.flags |= TZU_IRF_BASELINED;
  uint8_t masked[32], plain[32];
  hash_region(r, masked, plain);
  const bool digest = r.manifest_flags & TZU_KMR_DIGEST;
  const bool match = !digest || memcmp(masked, r.sha256, 32) == 0;
  if (digest && match) r.flags |= TZU_IRF_EXPECTED;
  sink_->registered(r.kind, op, r.va, r.len,
                    match ? ucon::Status::kOk : ucon::Status::kAuth, plain);
  if (match) return;
  ++r.mismatches;
  Mismatch mm;
  mm.kind = r.kind;
  mm.region = idx;
  mm.va = r.va;
  mm.offset = ~0u;
  memcpy(mm.expected, r.sha256, 32);
  memcpy(mm.observed, masked, 32);
  record(mm, now_us);
}

void KernelIntegrity::add_kernel_region(const tzu_kmanifest_region& m,
                                        bool* all_ok, uint64_t now_us) {
  const uint32_t idx = free_slot();  // <= 16 kernel regions: always found
  Region& r = regions_[idx];
  r = Region{};
  r.live = true;
  r.kind = m.kind;
  r.manifest_flags = m.flags;
  r.va = m.va;
  r.len = m.len;
  memcpy(r.sha256, m.sha256, 32);
  strncpy(r.name, kind_name(m.kind), sizeof(r.name) - 1);
  const ucon::Status s = place(&r);
  if (s != ucon::Status::kOk) {
    *all_ok = false;
    sink_->registered(r.kind, 0, r.va, r.len, s, nullptr);
    return;
  }
  if (m.flags & TZU_KMR_AT_SEAL) {  // baselined by seal()
    sink_->registered(r.kind, 0, r.va, r.len, s, nullptr);
    return;
  }
  baseline(idx, 0, now_us);
  if (!(r.flags & TZU_IRF_EXPECTED) && (m.flags & TZU_KMR_DIGEST))
    *all_ok = false;
}

}  // namespace integrity
