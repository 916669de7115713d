// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// spinlock.h - a ticket spinlock for the secure world's shared state.
//
// The ticket counter is taken with LDREX/STREX (GCC's __atomic builtins on
// ARMv7-A), the release is a store-release (DMB before it), and waiters
// sleep in WFE until the holder's SEV. Exclusives need the lock word in
// Normal, inner-shareable, write-back memory with ACTLR.SMP set: the image's
// data pages are mapped so (mmu.cc). Before this CPU's MMU is on the lock
// does nothing: then only the boot CPU runs secure code (a secondary waits
// in start.S, MMU off, taking no lock), and LDREX/STREX on Strongly-ordered
// memory is not architecturally reliable. Tickets are fair: the measurement
// FIQ on CPU0 cannot starve behind a stream of SMCs on CPU1.
#ifndef TZUCON_MONITOR_SPINLOCK_H
#define TZUCON_MONITOR_SPINLOCK_H

#include <stdint.h>

#include "cpu.h"

namespace monitor {

class SpinLock {
 public:
  // True if it had to wait for another CPU.
  bool lock() {
    if (!active()) return false;
    const uint32_t t = __atomic_fetch_add(&next_, 1u, __ATOMIC_RELAXED);
    bool waited = false;
    while (__atomic_load_n(&serving_, __ATOMIC_ACQUIRE) != t) {
      waited = true;
      asm volatile("wfe" ::: "memory");
    }
    holder_ = cpu::current_cpu() + 1;
    return waited;
  }
  void unlock() {
    if (!active()) return;
    holder_ = 0;
    __atomic_store_n(&serving_, serving_ + 1, __ATOMIC_RELEASE);
    asm volatile("dsb\n\tsev" ::: "memory");
  }
  // Whether `cpu` holds it (the fault path releases a lock its CPU held).
  bool held_by(uint32_t cpu) const { return active() && holder_ == cpu + 1; }

 private:
  static bool active() { return cpu::read_sctlr() & cpu::kSctlrM; }

  uint32_t next_ = 0;
  uint32_t serving_ = 0;
  volatile uint32_t holder_ = 0;  // CPU number + 1, 0 = free
};

// Scoped holder.
class LockGuard {
 public:
  explicit LockGuard(SpinLock& l) : l_(l) { (void)l_.lock(); }
  ~LockGuard() { l_.unlock(); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  SpinLock& l_;
};

}  // namespace monitor

#endif  // TZUCON_MONITOR_SPINLOCK_H
