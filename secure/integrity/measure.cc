// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// measure.cc - the incremental pass: each tick compares the next
// chunk_bytes of the baselined regions (in slot order) against the secure
// copy; a pass ends in the tick that compares its last byte.
#include <string.h>

#include "compare.h"
#include "crypto.h"
#include "kernel_integrity.h"

namespace integrity {
namespace {

constexpr uint32_t kPage = 4096;

}  // namespace

bool KernelIntegrity::measurable(uint32_t idx) const {
  const Region& r = regions_[idx];
  return r.live && r.n_pages && (r.flags & TZU_IRF_BASELINED);
}

uint64_t KernelIntegrity::bytes_total() const {
  uint64_t n = 0;
  for (uint32_t i = 0; i < kMaxRegions; ++i)
    if (measurable(i)) n += regions_[i].len;
  return n;
}

// chunk_bytes, or more when that would make a pass longer than
// max_pass_ticks (word multiple).
uint32_t KernelIntegrity::chunk() const {
  const uint64_t need =
      (bytes_total() + cfg_.max_pass_ticks - 1) / cfg_.max_pass_ticks;
  const uint64_t c = need > cfg_.chunk_bytes ? (need + 3) & ~uint64_t{3}
                                             : cfg_.chunk_bytes;
  return static_cast<uint32_t>(c);
}

void KernelIntegrity::tick(uint64_t now_us) {
  ++ticks_;
  measure(chunk(), now_us);
  check_deadlines(now_us);
}

// Restarts the pass from the first region and runs it to its end: bounded
// by bytes_total() <= kMaxPages * 4 KiB.
void KernelIntegrity::full_pass(uint64_t now_us) {
  cur_region_ = 0;
  cur_off_ = 0;
  in_pass_ = false;
  measure(~3u, now_us);
  check_deadlines(now_us);
}

void KernelIntegrity::measure(uint32_t budget, uint64_t now_us) {
  if (bytes_total() == 0) return;  // nothing baselined: no pass to count
  if (!in_pass_) {
    in_pass_ = true;
    pass_start_us_ = now_us;
  }
  for (;;) {
    while (cur_region_ < kMaxRegions && !measurable(cur_region_)) {
      ++cur_region_;
      cur_off_ = 0;
    }
    if (cur_region_ == kMaxRegions) {
      end_pass(now_us);
      return;
    }
    if (budget == 0) return;
    Region& r = regions_[cur_region_];
    if (cur_off_ == 0) r.pass_dirty = false;
    const uint32_t n = compare_span(cur_region_, cur_off_, budget, now_us);
    budget -= n;
    cur_off_ += n;
    bytes_compared_ += n;
    if (cur_off_ < r.len) continue;
    // Compared completely: clean again if this pass saw no difference.
    if ((r.flags & TZU_IRF_DIRTY) && !r.pass_dirty) {
      r.flags &= ~TZU_IRF_DIRTY;
      r.first_offset = ~0u;
    }
    ++cur_region_;
    cur_off_ = 0;
  }
}

void KernelIntegrity::end_pass(uint64_t now_us) {
  ++passes_;
  last_pass_us_ = now_us;
  pass_us_ = now_us - pass_start_us_;
  in_pass_ = false;
  cur_region_ = 0;
  cur_off_ = 0;
}

// Compares min(budget, len - off) bytes from `off`, one virtual page at a
// time (each maps to one physical page); returns the bytes compared.
uint32_t KernelIntegrity::compare_span(uint32_t idx, uint32_t off,
                                       uint32_t budget, uint64_t now_us) {
  const Region& r = regions_[idx];
  uint32_t done = 0;
  while (done < budget && off < r.len) {
    const uint32_t in_page = kPage - (r.va + off) % kPage;
    uint32_t n = r.len - off < in_page ? r.len - off : in_page;
    if (n > budget - done) n = budget - done;
    // Checked readable at translation; NsMemory does not change after.
    const uint8_t* live = live_at(r, off, n);
    const uint8_t* copy = cfg_.copy + r.copy_off + off;
    const size_t w = live ? first_diff_word(copy, live, n / 4) : n / 4;
    if (w < n / 4) on_difference(idx, off + static_cast<uint32_t>(w) * 4, now_us);
    done += n;
    off += n;
  }
  return done;
}

// New dirt: DIRTY, counted, page digests for the audit chain, VIOLATED.
// A region already DIRTY is only marked as still differing in this pass.
void KernelIntegrity::on_difference(uint32_t idx, uint32_t off,
                                    uint64_t now_us) {
  Region& r = regions_[idx];
  r.pass_dirty = true;
  if (r.flags & TZU_IRF_DIRTY) return;
  r.flags |= TZU_IRF_DIRTY;
  r.first_offset = off;
  ++r.mismatches;
  Mismatch m;
  m.kind = r.kind;
  m.region = idx;
  m.va = r.va;
  m.offset = off;
  // The region's bytes inside the 4 KiB virtual page of the difference.
  const uint32_t page_va = (r.va + off) & ~(kPage - 1);
  const uint32_t lo = page_va > r.va ? page_va - r.va : 0;
  const uint64_t page_end = uint64_t{page_va} + kPage - r.va;
  const uint32_t hi = page_end < r.len ? static_cast<uint32_t>(page_end) : r.len;
  ucon::sha256(cfg_.copy + r.copy_off + lo, hi - lo, m.expected);
  ucon::sha256(live_at(r, lo, hi - lo), hi - lo, m.observed);
  record(m, now_us);
}

}  // namespace integrity
