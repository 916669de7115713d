// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// sha512.h - SHA-512 (FIPS 180-4), freestanding: the hash Ed25519 is built on.
#ifndef UCON_ENGINE_SHA512_H
#define UCON_ENGINE_SHA512_H

#include <stddef.h>
#include <stdint.h>

namespace ucon {

constexpr size_t kSha512Len = 64;
constexpr size_t kSha512Block = 128;

class Sha512 {
 public:
  Sha512() { reset(); }
  void reset();
  void update(const void* data, size_t len);
  void final(uint8_t out[kSha512Len]);  // then reset() before reuse

 private:
  void compress(const uint8_t block[kSha512Block]);
  uint64_t h_[8];
  uint64_t bytes_;  // 2^64 bytes is far beyond any input we hash
  uint8_t buf_[kSha512Block];
  uint32_t buf_len_;
};

void sha512(const void* data, size_t len, uint8_t out[kSha512Len]);

}  // namespace ucon

#endif  // UCON_ENGINE_SHA512_H
