// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// crypto.cc - SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), freestanding;
// compiled -O2 everywhere: every audited decision hashes 8 blocks (the
// 320-byte event, 6, and the chain link, 2).
#include "crypto.h"

#include <stdint.h>
#include <string.h>

namespace ucon {
namespace {

// FIPS 180-4 section 4.2.2: first 32 bits of the fractional parts of the cube
// roots of the first 64 primes.
constexpr uint32_t kK[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu,
    0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u, 0xd807aa98u, 0x12835b01u,
    0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u,
    0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu,
    0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u,
    0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u,
    0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
    0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u,
    0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u, 0x1e376c08u,
    0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu,
    0x682e6ff3u, 0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
    0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

// FIPS 180-4 section 5.3.3.
constexpr uint32_t kInitialHash[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
    0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

inline uint32_t rotr(uint32_t x, unsigned n) {
  return (x >> n) | (x << (32u - n));
}

// Explicit byte order, so the result does not depend on the host's.
inline uint32_t load_be32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) |
         (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | static_cast<uint32_t>(p[3]);
}

inline void store_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

// One round (FIPS 180-4 section 6.2.2 step 3) with kw = K[t] + W[t].
// Instead of shifting a..h, the caller rotates the names: only d and h
// change, d becoming the next round's e and h its a. Maj is computed as
// b ^ ((a ^ b) & (b ^ c)); bc carries b ^ c in and this round's a ^ b out,
// which is the next round's b ^ c.
inline void sha256_round(uint32_t a, uint32_t b, uint32_t& d, uint32_t e,
                         uint32_t f, uint32_t g, uint32_t& h, uint32_t kw,
                         uint32_t& bc) {
  // Sigma1(e) = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25), with one rotation
  // taken out so that it folds into the add; Sigma0 likewise.
  const uint32_t big_s1 = rotr(e ^ rotr(e, 5) ^ rotr(e, 19), 6);
  const uint32_t ch = g ^ (e & (f ^ g));  // (e & f) ^ (~e & g)
  const uint32_t t1 = h + big_s1 + ch + kw;
  const uint32_t big_s0 = rotr(a ^ rotr(a, 11) ^ rotr(a, 20), 2);
  const uint32_t ab = a ^ b;
  const uint32_t maj = b ^ (ab & bc);  // (a&b) ^ (a&c) ^ (b&c)
  bc = ab;
  d += t1;
  h = t1 + big_s0 + maj;
}

}  // namespace

void Sha256::reset() {
  memcpy(h_, kInitialHash, sizeof(h_));
  bytes_ = 0;
  buf_len_ = 0;
  memset(buf_, 0, sizeof(buf_));
}

void Sha256::compress(const uint8_t block[kSha256Block]) {
  // The whole schedule first (section 6.2.2 step 1), then the rounds eight
  // at a time through pointers into w and kK: every access in the unrolled
  // body is at a constant offset, so no round computes an index, and the
  // body is one copy of eight rounds (the text budget is tight).
  uint32_t w[64];
  for (unsigned t = 0; t < 16; ++t) w[t] = load_be32(block + 4 * t);
  for (unsigned t = 16; t < 64; ++t) {
    const uint32_t w15 = w[t - 15], w2 = w[t - 2];
    const uint32_t s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >> 3);
    const uint32_t s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3];
  uint32_t e = h_[4], f = h_[5], g = h_[6], h = h_[7];
  uint32_t bc = b ^ c;
  const uint32_t* k = kK;
  for (const uint32_t* p = w; p != w + 64; p += 8, k += 8) {
    sha256_round(a, b, d, e, f, g, h, k[0] + p[0], bc);
    sha256_round(h, a, c, d, e, f, g, k[1] + p[1], bc);
    sha256_round(g, h, b, c, d, e, f, k[2] + p[2], bc);
    sha256_round(f, g, a, b, c, d, e, k[3] + p[3], bc);
    sha256_round(e, f, h, a, b, c, d, k[4] + p[4], bc);
    sha256_round(d, e, g, h, a, b, c, k[5] + p[5], bc);
    sha256_round(c, d, f, g, h, a, b, k[6] + p[6], bc);
    sha256_round(b, c, e, f, g, h, a, k[7] + p[7], bc);
  }
  h_[0] += a;
  h_[1] += b;
  h_[2] += c;
  h_[3] += d;
  h_[4] += e;
  h_[5] += f;
  h_[6] += g;
  h_[7] += h;
}

void Sha256::update(const void* data, size_t len) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  bytes_ += len;
  if (buf_len_ != 0) {
    size_t take = kSha256Block - buf_len_;
    if (take > len) take = len;
    memcpy(buf_ + buf_len_, p, take);
    buf_len_ += static_cast<uint32_t>(take);
    p += take;
    len -= take;
    if (buf_len_ < kSha256Block) return;
    compress(buf_);
    buf_len_ = 0;
  }
  // Whole blocks straight from the caller's buffer: no copy on the fast path.
  while (len >= kSha256Block) {
    compress(p);
    p += kSha256Block;
    len -= kSha256Block;
  }
  if (len != 0) {
    memcpy(buf_, p, len);
    buf_len_ = static_cast<uint32_t>(len);
  }
}

void Sha256::final(uint8_t out[kSha256Len]) {
  // Padding (FIPS 180-4 section 5.1.1): 0x80, zeros, 64-bit big-endian
  // message length in bits, so that the total is a multiple of 64 bytes.
  const uint64_t bit_len = bytes_ * 8u;
  buf_[buf_len_++] = 0x80;
  if (buf_len_ > kSha256Block - 8) {
    memset(buf_ + buf_len_, 0, kSha256Block - buf_len_);
    compress(buf_);
    buf_len_ = 0;
  }
  memset(buf_ + buf_len_, 0, kSha256Block - 8 - buf_len_);
  store_be32(buf_ + 56, static_cast<uint32_t>(bit_len >> 32));
  store_be32(buf_ + 60, static_cast<uint32_t>(bit_len));
  compress(buf_);
  for (unsigned i = 0; i < 8; ++i) store_be32(out + 4 * i, h_[i]);
  // Leave no message-dependent state behind (the HMAC inner key passes here).
  reset();
}

void sha256(const void* data, size_t len, uint8_t out[kSha256Len]) {
  Sha256 s;
  s.update(data, len);
  s.final(out);
}

HmacSha256::HmacSha256(const uint8_t* key, size_t key_len) {
  // RFC 2104 section 2: keys longer than the block are hashed first, shorter
  // ones are zero-padded to the block size.
  uint8_t k[kSha256Block];
  memset(k, 0, sizeof(k));
  if (key_len > kSha256Block) {
    sha256(key, key_len, k);
  } else if (key_len != 0) {
    memcpy(k, key, key_len);
  }
  uint8_t ikey[kSha256Block];
  for (size_t i = 0; i < kSha256Block; ++i) {
    ikey[i] = static_cast<uint8_t>(k[i] ^ 0x36u);
    okey_[i] = static_cast<uint8_t>(k[i] ^ 0x5cu);
  }
  inner_.update(ikey, sizeof(ikey));
  memset(k, 0, sizeof(k));
  memset(ikey, 0, sizeof(ikey));
}

void HmacSha256::final(uint8_t out[kSha256Len]) {
  uint8_t inner_digest[kSha256Len];
  inner_.final(inner_digest);
  Sha256 outer;
  outer.update(okey_, sizeof(okey_));
  outer.update(inner_digest, sizeof(inner_digest));
  outer.final(out);
  memset(inner_digest, 0, sizeof(inner_digest));
}

void hmac_sha256(const uint8_t* key, size_t key_len, const void* data,
                 size_t len, uint8_t out[kSha256Len]) {
  HmacSha256 h(key, key_len);
  h.update(data, len);
  h.final(out);
}

bool ct_equal(const uint8_t* a, const uint8_t* b, size_t len) {
  // volatile keeps the compiler from turning the loop into an early-exit
  // compare: the time must not reveal where the first difference is.
  volatile uint8_t diff = 0;
  for (size_t i = 0; i < len; ++i) {
    diff = static_cast<uint8_t>(diff | (a[i] ^ b[i]));
  }
  return diff == 0;
}

}  // namespace ucon
