// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// flash_store.h - StateStore on the CFI parallel NOR flash (AMD/Spansion
// command set, 8-bit) that QEMU's xilinx-zynq-a9 models: two erase sectors
// hold the A/B copies of the record of state_record.h (bare metal only).
#ifndef TZUCON_MONITOR_FLASH_STORE_H
#define TZUCON_MONITOR_FLASH_STORE_H

#include <stdint.h>

#include "state_record.h"
#include "state_store.h"

namespace monitor {

class FlashStateStore : public StateStore {
 public:
  // `base`: the chip's address, mapped as Device memory; the slots are the
  // first kRecordSize bytes of the erase sectors at base + slot_a_off and
  // base + slot_b_off. The MAC key is derived from `device_secret` at the
  // first load (constant-initialisable: no work before the MMU is on).
  constexpr FlashStateStore(uintptr_t base, uint32_t slot_a_off,
                            uint32_t slot_b_off, const uint8_t* device_secret)
      : base_(base),
        slot_off_{slot_a_off, slot_b_off},
        secret_(device_secret) {}

  // Also finds the chip (CFI query) and checks the slots sit in distinct
  // erase sectors; no chip or a different geometry = _UNAVAILABLE.
  ucon::Status load(PersistentState* out, uint32_t* storage_state) override;
  // Erases and programs the slot that does not hold the record in force,
  // with the next sequence number, then reads it back and verifies it.
  // Refused (kStorage) unless the last load() gave OK or FRESH: a tampered
  // medium stays visible until someone deliberately re-provisions it.
  ucon::Status save(const PersistentState& st) override;

  // The state of the last load()/save(): TZU_STORAGE_*.
  uint32_t storage_state() const { return state_; }

 private:
  bool probe();
  bool erase_sector(uint32_t off);
  bool program(uint32_t off, const uint8_t* data, uint32_t len);
  void read(uint32_t off, uint8_t* out, uint32_t len) const;

  uintptr_t base_;
  uint32_t slot_off_[2];
  const uint8_t* secret_;
  uint8_t key_[kStorageKeyLen] = {};
  bool have_key_ = false;
  uint32_t state_ = TZU_STORAGE_UNAVAILABLE;
  int slot_ = -1;  // slot holding the record in force, -1 = none
  uint64_t seq_ = 0;
};

}  // namespace monitor

#endif  // TZUCON_MONITOR_FLASH_STORE_H
