// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// state_store.h - the secure world's state that outlives a boot (rollback
// floor, admin counter, boot counter) and the interface to the storage that
// holds it. The record is MAC'd under a device secret (state_record.h); the
// flash behind it belongs to the secure world (flash_store.h on the board,
// RamStateStore in host tests).
#ifndef TZUCON_MONITOR_STATE_STORE_H
#define TZUCON_MONITOR_STATE_STORE_H

#include <stdint.h>
#include <string.h>

#include "status.h"
#include "tzucon_abi.h"

namespace monitor {

struct PersistentState {
  uint64_t boot_counter = 0;   // +1 at every boot, before the normal world runs
  uint64_t admin_counter = 0;  // next counter a tzu_auth must carry
  uint32_t floor_version = 0;  // highest policy version ever accepted
  uint32_t floor_set = 0;      // 1 once a policy has been accepted
  uint8_t floor_digest[32] = {};  // SHA-256 of that accepted blob
};

// No virtual destructor: the secure image has no heap (no operator delete).
class StateStore {
 public:
  // Reads the newest valid record. *storage_state gets TZU_STORAGE_OK,
  // _FRESH (blank medium: *out is a default PersistentState), _TAMPERED
  // (a record is present but no copy verifies) or _UNAVAILABLE. Returns
  // kOk for OK and FRESH, kStorage otherwise (then *out is unusable).
  virtual ucon::Status load(PersistentState* out, uint32_t* storage_state) = 0;
  // Writes a new record so that a power cut at any instant leaves either
  // the old or the new record readable. kStorage on failure.
  virtual ucon::Status save(const PersistentState& st) = 0;

 protected:
  ~StateStore() = default;
};

// Host tests and fuzzers: state in memory, with switches to inject faults.
class RamStateStore : public StateStore {
 public:
  ucon::Status load(PersistentState* out, uint32_t* storage_state) override {
    *storage_state = state_;
    if (state_ != TZU_STORAGE_OK && state_ != TZU_STORAGE_FRESH)
      return ucon::Status::kStorage;
    *out = st_;
    return ucon::Status::kOk;
  }
  ucon::Status save(const PersistentState& st) override {
    if (fail_saves_) return ucon::Status::kStorage;
    st_ = st;
    state_ = TZU_STORAGE_OK;
    ++saves_;
    return ucon::Status::kOk;
  }
  uint32_t state_ = TZU_STORAGE_FRESH;
  bool fail_saves_ = false;
  uint32_t saves_ = 0;
  PersistentState st_;
};

}  // namespace monitor

#endif  // TZUCON_MONITOR_STATE_STORE_H
