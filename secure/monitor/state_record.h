// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// state_record.h - the on-flash record of PersistentState and the A/B slot
// choice. Pure C++ (host-testable); the flash driver is flash_store.h.
//
// Record, kRecordSize bytes, every field little-endian:
//   0  u32 magic "TZST"      4  u32 format (1)     8  u64 sequence
//  16  u64 boot_counter     24  u64 admin_counter
//  32  u32 floor_version    36  u32 floor_set (0 or 1)
//  40  u8  floor_digest[32] 72  u8  reserved[24] (zero)
//  96  u8  mac[32] = HMAC-SHA256(storage key, bytes 0..95)
// An erased slot reads as all 0xFF ("blank"); anything else must verify.
//
// Threat model: the MAC stops anyone without the device secret from forging
// or editing a record, and a torn write (power cut) only ever damages the
// slot being written, so the other copy survives. It does not stop replay of
// an older genuine record, or erasing both slots (= FRESH, rollback floor 0),
// by someone who can write the flash: that needs the flash to be reachable
// only from the secure world (docs/zc702-bringup.md, "Persistent storage").
#ifndef TZUCON_MONITOR_STATE_RECORD_H
#define TZUCON_MONITOR_STATE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "state_store.h"
#include "status.h"

namespace monitor {

constexpr size_t kRecordSize = 128;
constexpr size_t kRecordMacOff = 96;
constexpr uint32_t kRecordMagic = 0x54535A54u;  // "TZST" in memory order
constexpr uint32_t kRecordFormat = 1;
constexpr size_t kStorageKeyLen = 32;

// storage_key = HMAC-SHA256(device_secret, "tzucon storage v1").
void derive_storage_key(const uint8_t device_secret[32],
                        uint8_t key[kStorageKeyLen]);

void encode(const PersistentState& st, uint64_t seq,
            const uint8_t key[kStorageKeyLen], uint8_t out[kRecordSize]);

// kOk and *st, *seq filled if `in` is a well-formed record whose MAC
// verifies under `key`; kStorage otherwise (outputs untouched). A blank
// slot is kStorage too: tell it apart with is_blank().
ucon::Status decode(const uint8_t* in, size_t len,
                    const uint8_t key[kStorageKeyLen], PersistentState* st,
                    uint64_t* seq);

// True if all `len` bytes are 0xFF (erased flash).
bool is_blank(const uint8_t* in, size_t len);

// The outcome of reading both slots.
struct SlotChoice {
  uint32_t storage_state = TZU_STORAGE_UNAVAILABLE;  // TZU_STORAGE_*
  int slot = -1;     // 0 = A, 1 = B: the copy in force; -1 = none
  uint64_t seq = 0;  // its sequence number (0 when FRESH)
  PersistentState st;
};

// The newest verifying copy wins (by sequence number; A on a tie). A torn
// or tampered copy is ignored if the other verifies. No copy verifies:
// both blank = TZU_STORAGE_FRESH (st default) and kOk; otherwise (a copy
// is present but bad) TZU_STORAGE_TAMPERED and kStorage - fail closed.
ucon::Status choose_slot(const uint8_t* a, const uint8_t* b, size_t len,
                         const uint8_t key[kStorageKeyLen], SlotChoice* out);

}  // namespace monitor

#endif  // TZUCON_MONITOR_STATE_RECORD_H
