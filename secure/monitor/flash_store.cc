// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// flash_store.cc - CFI (AMD command set) erase/program/poll and the A/B
// save protocol. The command sequences are the ones QEMU's pflash_cfi02
// decodes (docs/zc702-bringup.md, "Persistent storage"); every wait is
// bounded, and every failure reports TZU_STORAGE_UNAVAILABLE.
#include "flash_store.h"

#include <string.h>

#include "cpu.h"

namespace monitor {
namespace {

// 8-bit device: the unlock cycles are byte addresses 0x555 / 0x2AA (the
// chip decodes only the low 11 address bits of them).
constexpr uint32_t kUnlock0 = 0x555;
constexpr uint32_t kUnlock1 = 0x2AA;
constexpr uint32_t kCfiQueryAddr = 0x55;
constexpr uint8_t kDq7 = 0x80;
constexpr uint8_t kDq5 = 0x20;  // "exceeded timing limits" on real chips

// Wait budgets in cycle-counter ticks (QEMU counts 1 GHz; a 667 MHz ZC702
// gets 1.5x longer). QEMU erases a sector in 512 ms of virtual time; a
// real NOR sector erase is typically < 1 s and 3.5 s worst case.
constexpr uint64_t kEraseBudget = 8000000000ull;
constexpr uint64_t kProgramBudget = 10000000ull;
// Backstop if the cycle counter does not run: a poll is one uncached
// device read (far above 10 ns), so this still ends within seconds.
constexpr uint32_t kMaxPolls = 100000000u;

// Enables the cycle counter for the duration of a flash operation and
// restores the normal world's PMU setup afterwards.
class CycleClock {
 public:
  CycleClock() : pmcr_(cpu::read_pmcr()), en_(cpu::read_pmcntenset()) {
    cpu::write_pmcr(pmcr_ | 1u);  // E
    cpu::write_pmcntenset(1u << 31);
    last_ = cpu::read_pmccntr();
  }
  ~CycleClock() {
    if (!(en_ & (1u << 31)))
      asm volatile("mcr p15, 0, %0, c9, c12, 2" ::"r"(1u << 31));  // CLR
    cpu::write_pmcr(pmcr_);
  }
  // Ticks since construction; 32-bit wrap-safe as long as it is called
  // at least every 4 s (each poll is microseconds).
  uint64_t elapsed() {
    const uint32_t now = cpu::read_pmccntr();
    total_ += now - last_;
    last_ = now;
    return total_;
  }

 private:
  uint32_t pmcr_, en_, last_;
  uint64_t total_ = 0;
};

inline volatile uint8_t* at(uintptr_t base, uint32_t off) {
  return reinterpret_cast<volatile uint8_t*>(base + off);
}

inline void cmd(uintptr_t base, uint32_t off, uint8_t v) {
  *at(base, off) = v;
  asm volatile("dsb" ::: "memory");  // complete before the next cycle
}

void unlock(uintptr_t base) {
  cmd(base, kUnlock0, 0xAA);
  cmd(base, kUnlock1, 0x55);
}

void reset_to_read(uintptr_t base) { cmd(base, 0, 0xF0); }

// DQ7 data polling: while an operation runs, DQ7 reads as the complement
// of the final data; DQ5 set means the chip gave up (re-check once, as
// DQ7 may have flipped at the same moment).
bool poll_done(uintptr_t base, uint32_t off, uint8_t want, uint64_t budget) {
  CycleClock clock;
  for (uint32_t i = 0; i < kMaxPolls; ++i) {
    const uint8_t v = *at(base, off);
    if (((v ^ want) & kDq7) == 0) return *at(base, off) == want;
    if (v & kDq5) return *at(base, off) == want;
    if (clock.elapsed() > budget) break;
  }
  return false;
}

}  // namespace

void FlashStateStore::read(uint32_t off, uint8_t* out, uint32_t len) const {
  // Byte reads: Device memory faults on unaligned or merged accesses.
  for (uint32_t i = 0; i < len; ++i) out[i] = *at(base_, off + i);
}

bool FlashStateStore::probe() {
  reset_to_read(base_);
  cmd(base_, kCfiQueryAddr, 0x98);
  uint8_t q[0x31];
  read(0, q, sizeof(q));
  reset_to_read(base_);
  if (q[0x10] != 'Q' || q[0x11] != 'R' || q[0x12] != 'Y') return false;
  // Uniform sectors only; each slot must start its own erase sector.
  if (q[0x2C] != 1) return false;
  const uint32_t sector = (uint32_t{q[0x30]} << 16 | uint32_t{q[0x2F]} << 8);
  const uint32_t chip = q[0x27] < 32 ? 1u << q[0x27] : 0;
  if (sector == 0 || chip == 0) return false;
  for (uint32_t off : slot_off_)
    if (off % sector != 0 || off + sector > chip) return false;
  return slot_off_[0] != slot_off_[1];
}

bool FlashStateStore::erase_sector(uint32_t off) {
  unlock(base_);
  cmd(base_, kUnlock0, 0x80);
  unlock(base_);
  cmd(base_, off, 0x30);
  const bool ok = poll_done(base_, off, 0xFF, kEraseBudget);
  reset_to_read(base_);
  return ok;
}

bool FlashStateStore::program(uint32_t off, const uint8_t* data,
                              uint32_t len) {
  for (uint32_t i = 0; i < len; ++i) {
    if (data[i] == 0xFF) continue;  // erased already
    unlock(base_);
    cmd(base_, kUnlock0, 0xA0);
    cmd(base_, off + i, data[i]);
    if (!poll_done(base_, off + i, data[i], kProgramBudget)) {
      reset_to_read(base_);
      return false;
    }
  }
  return true;
}

ucon::Status FlashStateStore::load(PersistentState* out,
                                   uint32_t* storage_state) {
  if (!have_key_) {
    derive_storage_key(secret_, key_);
    have_key_ = true;
  }
  state_ = TZU_STORAGE_UNAVAILABLE;
  slot_ = -1;
  if (!probe()) {
    *storage_state = state_;
    return ucon::Status::kStorage;
  }
  uint8_t a[kRecordSize], b[kRecordSize];
  read(slot_off_[0], a, kRecordSize);
  read(slot_off_[1], b, kRecordSize);
  SlotChoice c;
  const ucon::Status s = choose_slot(a, b, kRecordSize, key_, &c);
  state_ = c.storage_state;
  *storage_state = state_;
  if (s != ucon::Status::kOk) return s;
  slot_ = c.slot;
  seq_ = c.seq;
  *out = c.st;
  return ucon::Status::kOk;
}

ucon::Status FlashStateStore::save(const PersistentState& st) {
  if (state_ != TZU_STORAGE_OK && state_ != TZU_STORAGE_FRESH)
    return ucon::Status::kStorage;
  // Write the other slot: the record in force stays intact until the new
  // one verifies, so a power cut at any point leaves one readable copy.
  const int target = slot_ == 0 ? 1 : 0;
  const uint32_t off = slot_off_[target];
  uint8_t rec[kRecordSize], back[kRecordSize];
  encode(st, seq_ + 1, key_, rec);
  PersistentState check;
  uint64_t check_seq = 0;
  bool ok = erase_sector(off);
  if (ok) {
    read(off, back, kRecordSize);
    ok = is_blank(back, kRecordSize) && program(off, rec, kRecordSize);
  }
  if (ok) {
    read(off, back, kRecordSize);
    ok = memcmp(back, rec, kRecordSize) == 0 &&
         decode(back, kRecordSize, key_, &check, &check_seq) ==
             ucon::Status::kOk;
  }
  if (!ok) {
    // The old copy (if any) is untouched, but the medium does not take
    // writes: report it so the engine can fail closed.
    state_ = TZU_STORAGE_UNAVAILABLE;
    return ucon::Status::kStorage;
  }
  slot_ = target;
  seq_ = check_seq;
  state_ = TZU_STORAGE_OK;
  return ucon::Status::kOk;
}

}  // namespace monitor
