// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// shm_window.h - the normal-world shared window as the secure world sees it:
// the only way to touch it is a bounds-checked, single copy in or out.
#ifndef TZUCON_MONITOR_SHM_WINDOW_H
#define TZUCON_MONITOR_SHM_WINDOW_H

#include <stddef.h>
#include <stdint.h>

namespace monitor {

// A byte range [off, off + len) of the window.
struct Range {
  uint32_t off = 0;
  uint32_t len = 0;
};

class ShmWindow {
 public:
  ShmWindow() = default;
  ShmWindow(uint8_t* base, uint32_t size) : base_(base), size_(size) {}

  uint32_t size() const { return size_; }

  // True if r lies inside [lo, size()); written so no sum can wrap.
  bool contains(Range r, uint32_t lo = 0) const {
    return r.off >= lo && r.off <= size_ && r.len <= size_ - r.off;
  }

  // Each normal-world byte is read exactly once, into secure memory; the
  // caller parses only its copy (no double fetch).
  bool copy_in(Range r, void* dst) const;
  bool copy_out(uint32_t off, const void* src, uint32_t len) const;
  // One aligned 32-bit word swapped atomically (LDREX/STREX on the
  // window's inner-shareable normal memory, which the kernel's
  // compare-and-swap on the same word also uses): the use-lease words.
  // False (and *old = 0) if off is unaligned or outside the window. After
  // kExchangeTries lost exclusive stores the word is stored plainly and
  // *old is ~0u.
  static constexpr int kExchangeTries = 64;
  bool exchange32(uint32_t off, uint32_t value, uint32_t* old) const;

 private:
  uint8_t* base_ = nullptr;
  uint32_t size_ = 0;
};

// True if two ranges share a byte.
inline bool overlaps(Range a, Range b) {
  if (a.len == 0 || b.len == 0) return false;
  return uint64_t{a.off} < uint64_t{b.off} + b.len &&
         uint64_t{b.off} < uint64_t{a.off} + a.len;
}

}  // namespace monitor

#endif  // TZUCON_MONITOR_SHM_WINDOW_H
