// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// shm_window.cc - bounded copies between the shared window and secure memory.
#include "shm_window.h"

#include <string.h>

namespace monitor {

bool ShmWindow::copy_in(Range r, void* dst) const {
  if (!base_ || !contains(r)) return false;
  memcpy(dst, base_ + r.off, r.len);
  return true;
}

bool ShmWindow::copy_out(uint32_t off, const void* src, uint32_t len) const {
  if (!base_ || !contains(Range{off, len})) return false;
  memcpy(base_ + off, src, len);
  return true;
}

bool ShmWindow::exchange32(uint32_t off, uint32_t value, uint32_t* old) const {
  *old = 0;
  if (!base_ || (off & 3) || !contains(Range{off, 4})) return false;
  auto* w = reinterpret_cast<uint32_t*>(base_ + off);
  // Bounded: a normal-world CPU storing to the word without end could make
  // every STREX fail. Then the word is overwritten plainly and *old is
  // ~0u, which matches no ticket (the lease is owed nothing back).
  for (int i = 0; i < kExchangeTries; ++i) {
    uint32_t cur = __atomic_load_n(w, __ATOMIC_RELAXED);
    if (__atomic_compare_exchange_n(w, &cur, value, true, __ATOMIC_SEQ_CST,
                                    __ATOMIC_RELAXED)) {
      *old = cur;
      return true;
    }
  }
  __atomic_store_n(w, value, __ATOMIC_SEQ_CST);
  *old = ~0u;
  return true;
}

}  // namespace monitor
