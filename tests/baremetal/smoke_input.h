// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// smoke_input.h - layout of the one input file run_smoke.sh builds and QEMU
// places at kSmokeInputAddr (-device loader,...,force-raw=on): a header, the
// "key" (the policy public key, 32 bytes, then the device id the engine runs
// as, 16 bytes), then the policy blob signed for that device.
#ifndef TZUCON_TESTS_BAREMETAL_SMOKE_INPUT_H
#define TZUCON_TESTS_BAREMETAL_SMOKE_INPUT_H

#include <stdint.h>

namespace smoke {

// Must match run_smoke.sh (SMOKE_INPUT_ADDR) and stay outside the image's
// RAM region in engine_smoke.ld.
constexpr uintptr_t kSmokeInputAddr = 0x01000000u;
constexpr uint32_t kSmokeInputMagic = 0x49535a54u;  // "TZSI" little-endian
constexpr uint32_t kSmokeInputVersion = 2;  // 2: Ed25519 public key + device id
constexpr uint32_t kSmokeKeyLen = 32 + 16;
constexpr uint32_t kSmokeInputMaxBytes = 1u << 20;  // bound on key + blob

// All fields little-endian. key bytes follow the header, blob bytes follow
// the key immediately (no padding).
struct SmokeInputHeader {
  uint32_t magic;
  uint32_t version;
  uint32_t key_len;
  uint32_t blob_len;
};
static_assert(sizeof(SmokeInputHeader) == 16, "SmokeInputHeader");

}  // namespace smoke

#endif  // TZUCON_TESTS_BAREMETAL_SMOKE_INPUT_H
