// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fuzz_ed25519_verify.cc - fuzzes Ed25519 verification, the secure world's
// check on signed input. The input is pub(32) || sig(64) || msg. Oracles:
// no crash or sanitizer report, the same verdict twice, and no accepted
// signature whose S is not below L.
#include <cstddef>
#include <cstdint>

#include "ed25519.h"

namespace {

// L = 2^252 + 27742317777372353535851937790883648493, little-endian.
constexpr std::uint8_t kL[32] = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
    0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0x10};

bool below_l(const std::uint8_t* s) {
  for (std::size_t i = 32; i-- > 0;) {
    if (s[i] != kL[i]) return s[i] < kL[i];
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kHead = ucon::kEd25519PublicKeyLen + ucon::kEd25519SignatureLen;
  if (size < kHead) return 0;
  const std::uint8_t* pub = data;
  const std::uint8_t* sig = data + ucon::kEd25519PublicKeyLen;
  const std::uint8_t* msg = data + kHead;
  const bool first = ucon::ed25519_verify(pub, msg, size - kHead, sig);
  const bool second = ucon::ed25519_verify(pub, msg, size - kHead, sig);
  if (first != second) __builtin_trap();
  if (first && !below_l(sig + 32)) __builtin_trap();
  return 0;
}
