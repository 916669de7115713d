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
  *old = __atomic_exchange_n(w, value, __ATOMIC_SEQ_CST);
  return true;
}

}  // namespace monitor
