// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// crypto.h - SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), freestanding:
// no libc beyond memcpy/memset, no allocation, usable in the secure world.
#ifndef UCON_ENGINE_CRYPTO_H
#define UCON_ENGINE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

namespace ucon {

constexpr size_t kSha256Len = 32;
constexpr size_t kSha256Block = 64;

class Sha256 {
 public:
  Sha256() { reset(); }
  void reset();
  void update(const void* data, size_t len);
  void final(uint8_t out[kSha256Len]);  // then reset() before reuse

 private:
  void compress(const uint8_t block[kSha256Block]);
  uint32_t h_[8];
  uint64_t bytes_;
  uint8_t buf_[kSha256Block];
  uint32_t buf_len_;
};

void sha256(const void* data, size_t len, uint8_t out[kSha256Len]);

class HmacSha256 {
 public:
  HmacSha256(const uint8_t* key, size_t key_len);
  void update(const void* data, size_t len) { inner_.update(data, len); }
  void final(uint8_t out[kSha256Len]);

 private:
  Sha256 inner_;
  uint8_t okey_[kSha256Block];
};

void hmac_sha256(const uint8_t* key, size_t key_len, const void* data,
                 size_t len, uint8_t out[kSha256Len]);

// Constant-time comparison (no early exit on the first difference).
bool ct_equal(const uint8_t* a, const uint8_t* b, size_t len);

}  // namespace ucon

#endif  // UCON_ENGINE_CRYPTO_H
