// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// sha512.cc - SHA-512 (FIPS 180-4), freestanding, for Ed25519 (RFC 8032).
#include "sha512.h"

#include <stdint.h>
#include <string.h>

namespace ucon {
namespace {

// FIPS 180-4 section 4.2.3: first 64 bits of the fractional parts of the cube
// roots of the first 80 primes.
constexpr uint64_t kK[80] = {
    0x428a2f98d728ae22ull, 0x7137449123ef65cdull, 0xb5c0fbcfec4d3b2full,
    0xe9b5dba58189dbbcull, 0x3956c25bf348b538ull, 0x59f111f1b605d019ull,
    0x923f82a4af194f9bull, 0xab1c5ed5da6d8118ull, 0xd807aa98a3030242ull,
    0x12835b0145706fbeull, 0x243185be4ee4b28cull, 0x550c7dc3d5ffb4e2ull,
    0x72be5d74f27b896full, 0x80deb1fe3b1696b1ull, 0x9bdc06a725c71235ull,
    0xc19bf174cf692694ull, 0xe49b69c19ef14ad2ull, 0xefbe4786384f25e3ull,
    0x0fc19dc68b8cd5b5ull, 0x240ca1cc77ac9c65ull, 0x2de92c6f592b0275ull,
    0x4a7484aa6ea6e483ull, 0x5cb0a9dcbd41fbd4ull, 0x76f988da831153b5ull,
    0x983e5152ee66dfabull, 0xa831c66d2db43210ull, 0xb00327c898fb213full,
    0xbf597fc7beef0ee4ull, 0xc6e00bf33da88fc2ull, 0xd5a79147930aa725ull,
    0x06ca6351e003826full, 0x142929670a0e6e70ull, 0x27b70a8546d22ffcull,
    0x2e1b21385c26c926ull, 0x4d2c6dfc5ac42aedull, 0x53380d139d95b3dfull,
    0x650a73548baf63deull, 0x766a0abb3c77b2a8ull, 0x81c2c92e47edaee6ull,
    0x92722c851482353bull, 0xa2bfe8a14cf10364ull, 0xa81a664bbc423001ull,
    0xc24b8b70d0f89791ull, 0xc76c51a30654be30ull, 0xd192e819d6ef5218ull,
    0xd69906245565a910ull, 0xf40e35855771202aull, 0x106aa07032bbd1b8ull,
    0x19a4c116b8d2d0c8ull, 0x1e376c085141ab53ull, 0x2748774cdf8eeb99ull,
    0x34b0bcb5e19b48a8ull, 0x391c0cb3c5c95a63ull, 0x4ed8aa4ae3418acbull,
    0x5b9cca4f7763e373ull, 0x682e6ff3d6b2b8a3ull, 0x748f82ee5defb2fcull,
    0x78a5636f43172f60ull, 0x84c87814a1f0ab72ull, 0x8cc702081a6439ecull,
    0x90befffa23631e28ull, 0xa4506cebde82bde9ull, 0xbef9a3f7b2c67915ull,
    0xc67178f2e372532bull, 0xca273eceea26619cull, 0xd186b8c721c0c207ull,
    0xeada7dd6cde0eb1eull, 0xf57d4f7fee6ed178ull, 0x06f067aa72176fbaull,
    0x0a637dc5a2c898a6ull, 0x113f9804bef90daeull, 0x1b710b35131c471bull,
    0x28db77f523047d84ull, 0x32caab7b40c72493ull, 0x3c9ebe0a15c9bebcull,
    0x431d67c49c100d4cull, 0x4cc5d4becb3e42b6ull, 0x597f299cfc657e2aull,
    0x5fcb6fab3ad6faecull, 0x6c44198c4a475817ull,
};

// FIPS 180-4 section 5.3.5: square roots of the first 8 primes.
constexpr uint64_t kInitialHash[8] = {
    0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull, 0x3c6ef372fe94f82bull,
    0xa54ff53a5f1d36f1ull, 0x510e527fade682d1ull, 0x9b05688c2b3e6c1full,
    0x1f83d9abfb41bd6bull, 0x5be0cd19137e2179ull,
};

inline uint64_t rotr(uint64_t x, unsigned n) {
  return (x >> n) | (x << (64u - n));
}

// Explicit byte order, so the result does not depend on the host's.
inline uint64_t load_be64(const uint8_t* p) {
  uint64_t v = 0;
  for (unsigned i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

inline void store_be64(uint8_t* p, uint64_t v) {
  for (unsigned i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (56 - 8 * i));
}

}  // namespace

void Sha512::reset() {
  memcpy(h_, kInitialHash, sizeof(h_));
  bytes_ = 0;
  buf_len_ = 0;
  memset(buf_, 0, sizeof(buf_));
}

void Sha512::compress(const uint8_t block[kSha512Block]) {
  uint64_t w[80];
  for (unsigned t = 0; t < 16; ++t) w[t] = load_be64(block + 8 * t);
  for (unsigned t = 16; t < 80; ++t) {
    const uint64_t s0 = rotr(w[t - 15], 1) ^ rotr(w[t - 15], 8) ^ (w[t - 15] >> 7);
    const uint64_t s1 = rotr(w[t - 2], 19) ^ rotr(w[t - 2], 61) ^ (w[t - 2] >> 6);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }

  uint64_t a = h_[0], b = h_[1], c = h_[2], d = h_[3];
  uint64_t e = h_[4], f = h_[5], g = h_[6], h = h_[7];
  for (unsigned t = 0; t < 80; ++t) {
    const uint64_t big_s1 = rotr(e, 14) ^ rotr(e, 18) ^ rotr(e, 41);
    const uint64_t ch = (e & f) ^ (~e & g);
    const uint64_t t1 = h + big_s1 + ch + kK[t] + w[t];
    const uint64_t big_s0 = rotr(a, 28) ^ rotr(a, 34) ^ rotr(a, 39);
    const uint64_t maj = (a & b) ^ (a & c) ^ (b & c);
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + big_s0 + maj;
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

void Sha512::update(const void* data, size_t len) {
  // Empty updates may come with data == nullptr, which memcpy must not see.
  if (len == 0) return;
  const uint8_t* p = static_cast<const uint8_t*>(data);
  bytes_ += len;
  if (buf_len_ > 0) {
    size_t take = kSha512Block - buf_len_;
    if (take > len) take = len;
    memcpy(buf_ + buf_len_, p, take);
    buf_len_ += static_cast<uint32_t>(take);
    p += take;
    len -= take;
    if (buf_len_ < kSha512Block) return;
    compress(buf_);
    buf_len_ = 0;
  }
  // Whole blocks straight from the caller's buffer: no copy on long inputs.
  for (; len >= kSha512Block; len -= kSha512Block, p += kSha512Block) compress(p);
  memcpy(buf_, p, len);
  buf_len_ = static_cast<uint32_t>(len);
}

void Sha512::final(uint8_t out[kSha512Len]) {
  // FIPS 180-4 5.1.2: 0x80, zeros, then the 128-bit big-endian bit length.
  const uint64_t bits_lo = bytes_ << 3;
  const uint64_t bits_hi = bytes_ >> 61;
  buf_[buf_len_++] = 0x80;
  if (buf_len_ > kSha512Block - 16) {
    memset(buf_ + buf_len_, 0, kSha512Block - buf_len_);
    compress(buf_);
    buf_len_ = 0;
  }
  memset(buf_ + buf_len_, 0, kSha512Block - 16 - buf_len_);
  store_be64(buf_ + kSha512Block - 16, bits_hi);
  store_be64(buf_ + kSha512Block - 8, bits_lo);
  compress(buf_);
  for (unsigned i = 0; i < 8; ++i) store_be64(out + 8 * i, h_[i]);
}

void sha512(const void* data, size_t len, uint8_t out[kSha512Len]) {
  Sha512 s;
  s.update(data, len);
  s.final(out);
}

}  // namespace ucon
