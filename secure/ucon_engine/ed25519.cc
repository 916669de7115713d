// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// ed25519.cc - Ed25519 (RFC 8032): field and group arithmetic, scalars mod L,
// key derivation, constant-time signing, double-scalar verification.
//
// Field elements mod p = 2^255 - 19 are ten signed limbs of 26/25 bits
// (radix 2^25.5): every product fits 32x32->64-bit multiplies, which the
// Cortex-A9 does in one instruction. Points use extended twisted Edwards
// coordinates (Hisil, Wong, Carter, Dawson 2008), whose a = -1 formulas are
// complete, so no input needs a special case.
#include "ed25519.h"

#include <stdint.h>
#include <string.h>

#include "sha512.h"

namespace ucon {
namespace {

// Wipes secrets; the volatile stores survive dead-store elimination.
void wipe(void* p, size_t n) {
  volatile uint8_t* v = static_cast<volatile uint8_t*>(p);
  while (n-- > 0) *v++ = 0;
}

// ---- field arithmetic mod p ----------------------------------------------

// Value = sum v[i] * 2^ceil(25.5 i). "Carried" limbs (fe_carry's output) are
// |v| <= 2^25 (even i) / 2^24 (odd i); fe_mul and fe_sq accept a sum or
// difference of up to three carried elements without overflowing int32 in
// their 19x / 38x pre-scaling or int64 in the column sums.
struct Fe {
  int32_t v[10];
};

constexpr unsigned limb_bits(unsigned i) { return (i & 1) ? 25u : 26u; }

// Rounding carries leave limbs centred on zero, which is what keeps sums of
// three elements within the bounds above.
void fe_carry(int64_t h[10], Fe& out) {
#pragma GCC unroll 10
  for (unsigned i = 0; i < 10; ++i) {
    const unsigned bits = limb_bits(i);
    const int64_t c = (h[i] + (int64_t{1} << (bits - 1))) >> bits;
    h[i] -= c * (int64_t{1} << bits);
    if (i < 9)
      h[i + 1] += c;
    else
      h[0] += 19 * c;  // 2^255 = 19 (mod p)
  }
  const int64_t c = (h[0] + (int64_t{1} << 25)) >> 26;
  h[0] -= c * (int64_t{1} << 26);
  h[1] += c;
  for (unsigned i = 0; i < 10; ++i) out.v[i] = static_cast<int32_t>(h[i]);
}

void fe_set(Fe& h, int32_t small) {
  memset(&h, 0, sizeof(h));
  h.v[0] = small;
}

void fe_add(Fe& h, const Fe& f, const Fe& g) {
  for (unsigned i = 0; i < 10; ++i) h.v[i] = f.v[i] + g.v[i];
}

void fe_sub(Fe& h, const Fe& f, const Fe& g) {
  for (unsigned i = 0; i < 10; ++i) h.v[i] = f.v[i] - g.v[i];
}

void fe_neg(Fe& h, const Fe& f) {
  for (unsigned i = 0; i < 10; ++i) h.v[i] = -f.v[i];
}

// h = g if b == 1, unchanged if b == 0, without a branch on b.
void fe_cmov(Fe& h, const Fe& g, uint32_t b) {
  const int32_t mask = -static_cast<int32_t>(b);
  for (unsigned i = 0; i < 10; ++i) h.v[i] ^= (h.v[i] ^ g.v[i]) & mask;
}

// Schoolbook product; a column that passes 2^255 is folded back with *19,
// and odd*odd limb pairs carry an extra 2 (their weights sum to half a bit
// more than the target limb's). The loops unroll to straight-line code.
void fe_mul(Fe& h, const Fe& f, const Fe& g) {
  int32_t f2[10], g19[10];
  for (unsigned i = 0; i < 10; ++i) {
    f2[i] = 2 * f.v[i];
    g19[i] = 19 * g.v[i];
  }
  int64_t t[10] = {};
#pragma GCC unroll 10
  for (unsigned i = 0; i < 10; ++i) {
#pragma GCC unroll 10
    for (unsigned j = 0; j < 10; ++j) {
      const int32_t a = (i & j & 1) ? f2[i] : f.v[i];
      const int32_t b = (i + j >= 10) ? g19[j] : g.v[j];
      t[(i + j) % 10] += int64_t{a} * b;
    }
  }
  fe_carry(t, h);
}

// Squaring needs only the 55 products i <= j; the cross terms are doubled
// on the left operand so that no pre-scaled limb exceeds 38 * 2^25.
void fe_sq_wide(const Fe& f, int64_t t[10]) {
  int32_t f2[10], f19[10], f38[10];
  for (unsigned i = 0; i < 10; ++i) {
    f2[i] = 2 * f.v[i];
    f19[i] = 19 * f.v[i];
    f38[i] = (i & 1) ? 38 * f.v[i] : 0;  // only odd limbs are ever used
  }
  for (unsigned k = 0; k < 10; ++k) t[k] = 0;
#pragma GCC unroll 10
  for (unsigned i = 0; i < 10; ++i) {
#pragma GCC unroll 10
    for (unsigned j = i; j < 10; ++j) {
      const bool odd = (i & j & 1) != 0;
      const int32_t a = (i == j) ? f.v[i] : f2[i];
      const int32_t b = (i + j >= 10) ? (odd ? f38[j] : f19[j])
                                      : (odd ? f2[j] : f.v[j]);
      t[(i + j) % 10] += int64_t{a} * b;
    }
  }
}

void fe_sq(Fe& h, const Fe& f) {
  int64_t t[10];
  fe_sq_wide(f, t);
  fe_carry(t, h);
}

// h = 2 f^2, doubled before carrying so the result is still a carried value.
void fe_sq2(Fe& h, const Fe& f) {
  int64_t t[10];
  fe_sq_wide(f, t);
  for (unsigned i = 0; i < 10; ++i) t[i] *= 2;
  fe_carry(t, h);
}

// h = f^(2^n), n >= 1.
void fe_sqn(Fe& h, const Fe& f, unsigned n) {
  fe_sq(h, f);
  while (--n > 0) fe_sq(h, h);
}

// z^(2^250 - 1) and z^11: the shared head of the inversion (p - 2) and
// square-root ((p - 5) / 8) exponent chains.
void fe_pow250(Fe& z250, Fe& z11, const Fe& z) {
  Fe z2, z9, a, b;
  fe_sq(z2, z);
  fe_sqn(z9, z2, 2);
  fe_mul(z9, z9, z);        // z^9
  fe_mul(z11, z9, z2);      // z^11
  fe_sq(a, z11);
  fe_mul(a, a, z9);         // 2^5 - 1
  fe_sqn(b, a, 5);
  fe_mul(a, b, a);          // 2^10 - 1
  fe_sqn(b, a, 10);
  fe_mul(b, b, a);          // 2^20 - 1
  Fe c;
  fe_sqn(c, b, 20);
  fe_mul(b, c, b);          // 2^40 - 1
  fe_sqn(b, b, 10);
  fe_mul(a, b, a);          // 2^50 - 1
  fe_sqn(b, a, 50);
  fe_mul(b, b, a);          // 2^100 - 1
  fe_sqn(c, b, 100);
  fe_mul(b, c, b);          // 2^200 - 1
  fe_sqn(b, b, 50);
  fe_mul(z250, b, a);       // 2^250 - 1
}

// Fermat: z^(p - 2) = z^(2^255 - 21).
void fe_invert(Fe& h, const Fe& z) {
  Fe z250, z11;
  fe_pow250(z250, z11, z);
  fe_sqn(z250, z250, 5);
  fe_mul(h, z250, z11);
}

// z^((p - 5) / 8) = z^(2^252 - 3), for the square root in decoding.
void fe_pow22523(Fe& h, const Fe& z) {
  Fe z250, z11;
  fe_pow250(z250, z11, z);
  fe_sqn(z250, z250, 2);
  fe_mul(h, z250, z);
}

// Two floor-carry passes bring any bounded input into [0, 2^255); one more
// conditional subtraction of p (done arithmetically) makes it canonical.
void fe_tobytes(uint8_t s[32], const Fe& f) {
  int64_t h[10];
  for (unsigned i = 0; i < 10; ++i) h[i] = f.v[i];
  for (unsigned pass = 0; pass < 2; ++pass) {
    for (unsigned i = 0; i < 9; ++i) {
      const int64_t c = h[i] >> limb_bits(i);
      h[i] -= c * (int64_t{1} << limb_bits(i));
      h[i + 1] += c;
    }
    const int64_t c = h[9] >> 25;
    h[9] -= c * (int64_t{1} << 25);
    h[0] += 19 * c;
  }
  // q = 1 iff value >= p, i.e. iff value + 19 reaches 2^255.
  int64_t q = (h[0] + 19) >> 26;
  for (unsigned i = 1; i < 10; ++i) q = (h[i] + q) >> limb_bits(i);
  h[0] += 19 * q;
  for (unsigned i = 0; i < 9; ++i) {
    const int64_t c = h[i] >> limb_bits(i);
    h[i] -= c * (int64_t{1} << limb_bits(i));
    h[i + 1] += c;
  }
  h[9] &= (int64_t{1} << 25) - 1;  // drops q * 2^255
  uint64_t acc = 0;
  unsigned nbits = 0, o = 0;
  for (unsigned i = 0; i < 10; ++i) {
    acc |= static_cast<uint64_t>(h[i]) << nbits;
    nbits += limb_bits(i);
    for (; nbits >= 8; nbits -= 8, acc >>= 8) s[o++] = static_cast<uint8_t>(acc);
  }
  s[o] = static_cast<uint8_t>(acc);  // the last 7 bits; bit 255 is clear
}

// Reads 255 bits (bit 255 is the caller's business) as a carried element.
void fe_frombytes(Fe& h, const uint8_t s[32]) {
  int64_t t[10];
  uint64_t acc = 0;
  unsigned nbits = 0, pos = 0;
  for (unsigned i = 0; i < 10; ++i) {
    const unsigned bits = limb_bits(i);
    for (; nbits < bits; nbits += 8) acc |= static_cast<uint64_t>(s[pos++]) << nbits;
    t[i] = static_cast<int64_t>(acc & ((uint64_t{1} << bits) - 1));
    acc >>= bits;
    nbits -= bits;
  }
  fe_carry(t, h);
}

bool fe_isnegative(const Fe& f) {
  uint8_t s[32];
  fe_tobytes(s, f);
  return (s[0] & 1) != 0;
}

bool fe_iszero(const Fe& f) {
  uint8_t s[32];
  fe_tobytes(s, f);
  uint8_t acc = 0;
  for (unsigned i = 0; i < 32; ++i) acc |= s[i];
  return acc == 0;
}

// d = -121665/121666, 2d and sqrt(-1) mod p, as carried limbs.
constexpr Fe kD = {{-10913610, 13857413, -15372611, 6949391, 114729,
                    -8787816, -6275908, -3247719, -18696448, -12055116}};
constexpr Fe kD2 = {{-21827239, -5839606, -30745221, 13898782, 229458,
                     15978800, -12551817, -6495438, 29715968, 9444199}};
constexpr Fe kSqrtM1 = {{-32595792, -7943725, 9377950, 3500415, 12389472,
                         -272473, -25146209, -2005654, 326686, 11406482}};

// ---- group arithmetic on -x^2 + y^2 = 1 + d x^2 y^2 ------------------------

struct P2 {  // projective: x = X/Z, y = Y/Z
  Fe x, y, z;
};
struct P3 {  // extended: additionally x*y = T/Z
  Fe x, y, z, t;
};
struct P1P1 {  // completed, a sum before normalisation: x = X/Z, y = Y/T
  Fe x, y, z, t;
};
struct Precomp {  // affine, ready to add: (y + x, y - x, 2 d x y)
  Fe yplusx, yminusx, xy2d;
};
struct Cached {  // projective, ready to add: (Y + X, Y - X, Z, 2 d T)
  Fe yplusx, yminusx, z, t2d;
};

void p3_identity(P3& h) {
  fe_set(h.x, 0);
  fe_set(h.y, 1);
  fe_set(h.z, 1);
  fe_set(h.t, 0);
}

void p1p1_to_p2(P2& r, const P1P1& p) {
  fe_mul(r.x, p.x, p.t);
  fe_mul(r.y, p.y, p.z);
  fe_mul(r.z, p.z, p.t);
}

void p1p1_to_p3(P3& r, const P1P1& p) {
  fe_mul(r.x, p.x, p.t);
  fe_mul(r.y, p.y, p.z);
  fe_mul(r.z, p.z, p.t);
  fe_mul(r.t, p.x, p.y);
}

void p3_to_p2(P2& r, const P3& p) {
  r.x = p.x;
  r.y = p.y;
  r.z = p.z;
}

void p3_to_cached(Cached& r, const P3& p) {
  fe_add(r.yplusx, p.y, p.x);
  fe_sub(r.yminusx, p.y, p.x);
  r.z = p.z;
  fe_mul(r.t2d, p.t, kD2);
}

// dbl-2008-hwcd with a = -1: x' = E/G, y' = (A + B)/(C - G), where
// A = X^2, B = Y^2, C = 2 Z^2, E = (X + Y)^2 - A - B, G = B - A.
void p2_dbl(P1P1& r, const P2& p) {
  Fe a, b, c, s;
  fe_sq(a, p.x);
  fe_sq(b, p.y);
  fe_sq2(c, p.z);
  fe_add(s, p.x, p.y);
  fe_sq(r.x, s);
  fe_add(r.y, a, b);
  fe_sub(r.x, r.x, r.y);  // E
  fe_sub(r.z, b, a);      // G
  fe_sub(r.t, c, r.z);
}

void p3_dbl(P1P1& r, const P3& p) {
  P2 q;
  p3_to_p2(q, p);
  p2_dbl(r, q);
}

// add-2008-hwcd-3 (a = -1, k = 2d): with A = (Y1 - X1)(Y2 - X2),
// B = (Y1 + X1)(Y2 + X2), C = 2d T1 T2, D = 2 Z1 Z2: x = (B - A)/(D + C),
// y = (B + A)/(D - C). Subtraction swaps y +- x and negates C, which is
// adding -Q = (-x, y).
void p3_add_parts(P1P1& r, const P3& p, const Fe& q_plus, const Fe& q_minus,
                  const Fe& c, const Fe& d, bool subtract) {
  Fe a, b, t;
  fe_sub(t, p.y, p.x);
  fe_mul(a, t, subtract ? q_plus : q_minus);
  fe_add(t, p.y, p.x);
  fe_mul(b, t, subtract ? q_minus : q_plus);
  fe_sub(r.x, b, a);
  fe_add(r.y, b, a);
  if (subtract) {
    fe_sub(r.z, d, c);
    fe_add(r.t, d, c);
  } else {
    fe_add(r.z, d, c);
    fe_sub(r.t, d, c);
  }
}

void add_cached(P1P1& r, const P3& p, const Cached& q, bool subtract) {
  Fe c, d;
  fe_mul(c, p.t, q.t2d);
  fe_mul(d, p.z, q.z);
  fe_add(d, d, d);
  p3_add_parts(r, p, q.yplusx, q.yminusx, c, d, subtract);
}

void add_precomp(P1P1& r, const P3& p, const Precomp& q, bool subtract) {
  Fe c, d;
  fe_mul(c, p.t, q.xy2d);
  fe_add(d, p.z, p.z);
  p3_add_parts(r, p, q.yplusx, q.yminusx, c, d, subtract);
}

void p2_tobytes(uint8_t s[32], const P2& p) {
  Fe recip, x, y;
  fe_invert(recip, p.z);
  fe_mul(x, p.x, recip);
  fe_mul(y, p.y, recip);
  fe_tobytes(s, y);
  s[31] = static_cast<uint8_t>(s[31] | (fe_isnegative(x) ? 0x80 : 0));
}

void p3_tobytes(uint8_t s[32], const P3& p) {
  P2 q;
  p3_to_p2(q, p);
  p2_tobytes(s, q);
}

// y < p, checked on the encoding: only 2^255 - 19 .. 2^255 - 1 are too big.
bool y_is_canonical(const uint8_t s[32]) {
  if ((s[31] & 0x7f) != 0x7f || s[0] < 0xed) return true;
  for (unsigned i = 1; i < 31; ++i)
    if (s[i] != 0xff) return true;
  return false;
}

// RFC 8032 5.1.3: x^2 = (y^2 - 1) / (d y^2 + 1), x = u v^3 (u v^7)^((p-5)/8),
// fixed up by sqrt(-1) when v x^2 = -u; no root, or x = 0 with the sign bit
// set, means the encoding is invalid.
bool p3_decode(P3& h, const uint8_t s[32]) {
  if (!y_is_canonical(s)) return false;
  Fe u, v, v3, x, t;
  fe_frombytes(h.y, s);
  fe_set(h.z, 1);
  fe_sq(u, h.y);
  fe_mul(v, u, kD);
  fe_sub(u, u, h.z);  // y^2 - 1
  fe_add(v, v, h.z);  // d y^2 + 1
  fe_sq(v3, v);
  fe_mul(v3, v3, v);
  fe_sq(x, v3);
  fe_mul(x, x, v);
  fe_mul(x, x, u);  // u v^7
  fe_pow22523(x, x);
  fe_mul(x, x, v3);
  fe_mul(x, x, u);
  fe_sq(t, x);
  fe_mul(t, t, v);  // v x^2
  Fe check;
  fe_sub(check, t, u);
  if (!fe_iszero(check)) {
    fe_add(check, t, u);
    if (!fe_iszero(check)) return false;
    fe_mul(x, x, kSqrtM1);
  }
  const bool sign = (s[31] >> 7) != 0;
  if (sign && fe_iszero(x)) return false;
  if (fe_isnegative(x) != sign) fe_neg(x, x);
  h.x = x;
  fe_mul(h.t, h.x, h.y);
  return true;
}

// [8]P is the identity iff P lies in the order-8 torsion subgroup. Only
// (0, 1) and (0, -1) have x = 0, and (0, -1) = [8]Q would need order 16.
bool has_small_order(const P3& p) {
  P1P1 r;
  P2 q;
  p3_to_p2(q, p);
  for (unsigned i = 0; i < 3; ++i) {
    p2_dbl(r, q);
    p1p1_to_p2(q, r);
  }
  return fe_iszero(q.x);
}

// ---- scalars mod L = 2^252 + l0 -------------------------------------------
//
// Signed 21-bit limbs in int64: products of two limbs leave ~20 bits of
// headroom for column sums and folding, and 2^252 = 2^(21 * 12) sits on a
// limb boundary, so folding by 2^252 = -l0 (mod L) is a shift of limbs.

constexpr int64_t kL0[6] = {1430509, 1626855, 1442968, 997804, 1960495, 683900};
constexpr int64_t kLimb21 = int64_t{1} << 21;

// L in little-endian bytes, for the S < L check.
constexpr uint8_t kLBytes[32] = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
    0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};

// s[i] = bits [21 i, 21 i + 21) of the n-byte little-endian string.
void sc_load(int64_t* s, unsigned limbs, const uint8_t* in, unsigned n) {
  for (unsigned i = 0; i < limbs; ++i) {
    const unsigned off = 21 * i;
    uint32_t w = 0;
    for (unsigned k = 0; k < 4 && off / 8 + k < n; ++k)
      w |= static_cast<uint32_t>(in[off / 8 + k]) << (8 * k);
    s[i] = (w >> (off % 8)) & (kLimb21 - 1);
  }
}

// Floor carries from limb 0 up to limb n-2; limb n-1 keeps the excess.
void sc_carry(int64_t* s, unsigned n) {
  for (unsigned i = 0; i + 1 < n; ++i) {
    const int64_t c = s[i] >> 21;
    s[i] -= c * kLimb21;
    s[i + 1] += c;
  }
}

// Folds limbs 24..12 into limbs 0..11, top down, re-carrying after each
// fold so that no limb grows past ~2^24 and no product past ~2^45.
void sc_fold(int64_t s[25]) {
  for (unsigned i = 24; i >= 12; --i) {
    for (unsigned j = 0; j < 6; ++j) s[i - 12 + j] -= s[i] * kL0[j];
    s[i] = 0;
    for (unsigned k = i - 12; k + 1 < i; ++k) {
      const int64_t c = s[k] >> 21;
      s[k] -= c * kLimb21;
      s[k + 1] += c;
    }
  }
}

// r = s - L if that is non-negative, else s; limbs 0..12, no branch.
void sc_cond_sub_l(int64_t s[13]) {
  int64_t t[13];
  for (unsigned i = 0; i < 13; ++i) t[i] = s[i] - (i < 6 ? kL0[i] : 0);
  t[12] -= 1;
  sc_carry(t, 13);
  const int64_t keep_t = ~(t[12] >> 63);  // all ones iff s - L >= 0
  for (unsigned i = 0; i < 13; ++i) s[i] ^= (s[i] ^ t[i]) & keep_t;
}

// After sc_fold the value v lies in (-2^255, 2^255). With q = floor(v/2^252),
// v - q L + L is in (0, 3L); two conditional subtractions make it canonical.
void sc_finish(uint8_t out[32], int64_t s[25]) {
  sc_carry(s, 13);
  const int64_t q = s[12];
  for (unsigned j = 0; j < 6; ++j) s[j] += (1 - q) * kL0[j];
  s[12] = 1;
  sc_carry(s, 13);
  sc_cond_sub_l(s);
  sc_cond_sub_l(s);
  uint64_t acc = 0;
  unsigned nbits = 0, o = 0;
  for (unsigned i = 0; i < 13 && o < 32; ++i) {
    acc |= static_cast<uint64_t>(s[i]) << nbits;
    nbits += 21;
    for (; nbits >= 8 && o < 32; nbits -= 8, acc >>= 8) out[o++] = static_cast<uint8_t>(acc);
  }
}

// out = in mod L for a 64-byte hash.
void sc_reduce64(uint8_t out[32], const uint8_t in[64]) {
  int64_t s[25];
  sc_load(s, 25, in, 64);
  sc_fold(s);
  sc_finish(out, s);
}

// out = (a b + c) mod L; constant-time, a is the secret scalar.
void sc_muladd(uint8_t out[32], const uint8_t a[32], const uint8_t b[32],
               const uint8_t c[32]) {
  int64_t x[13], y[13], z[13], s[25] = {};
  sc_load(x, 13, a, 32);
  sc_load(y, 13, b, 32);
  sc_load(z, 13, c, 32);
  for (unsigned i = 0; i < 13; ++i) {
    s[i] += z[i];
    for (unsigned j = 0; j < 13; ++j) s[i + j] += x[i] * y[j];
  }
  sc_carry(s, 25);
  sc_fold(s);
  sc_finish(out, s);
  wipe(x, sizeof(x));
  wipe(s, sizeof(s));
}

// S < L, on the encoding; S is public.
bool sc_is_canonical(const uint8_t s[32]) {
  for (unsigned i = 32; i-- > 0;) {
    if (s[i] != kLBytes[i]) return s[i] < kLBytes[i];
  }
  return false;
}

// ---- precomputed multiples of the base point B -----------------------------
//
// Affine (y + x, y - x, 2 d x y) of B's multiples as carried limbs, derived
// offline from B = (x, 4/5) with positive x; the RFC 8032 vectors in
// tests/ucon_engine/ed25519_test.cc exercise every entry.

// [1]B .. [8]B for constant-time signing (signed radix-16 digits).
constexpr Precomp kBaseMultiples[8] = {
    {{25967493, -14356035, 29566456, 3660896, -12694345, 4014787, 27544626, -11754271, -6079156, 2047605},
     {-12545711, 934262, -2722910, 3049990, -727428, 9406986, 12720692, 5043384, 19500929, -15469378},
     {-8738181, 4489570, 9688441, -14785194, 10184609, -12363380, 29287919, 11864899, -24514362, -4438546}},
    {{-12815894, -12976347, -21581243, 11784320, -25355658, -2750717, -11717903, -3814571, -358445, -10211303},
     {-21703237, 6903825, 27185491, 6451973, -29577724, -9554005, -15616551, 11189268, -26829678, -5319081},
     {26966642, 11152617, 32442495, 15396054, 14353839, -12752335, -3128826, -9541118, -15472047, -4166697}},
    {{15636291, -9688557, 24204773, -7912398, 616977, -16685262, 27787600, -14772189, 28944400, -1550024},
     {16568933, 4717097, -11556148, -1102322, 15682896, -11807043, 16354577, -11775962, 7689662, 11199574},
     {30464156, -5976125, -11779434, -15670865, 23220365, 15915852, 7512774, 10017326, -17749093, -9920357}},
    {{-17036878, 13921892, 10945806, -6033431, 27105052, -16084379, -28926210, 15006023, 3284568, -6276540},
     {23599295, -8306047, -11193664, -7687416, 13236774, 10506355, 7464579, 9656445, 13059162, 10374397},
     {7798556, 16710257, 3033922, 2874086, 28997861, 2835604, 32406664, -3839045, -641708, -101325}},
    {{10861363, 11473154, 27284546, 1981175, -30064349, 12577861, 32867885, 14515107, -15438304, 10819380},
     {4708026, 6336745, 20377586, 9066809, -11272109, 6594696, -25653668, 12483688, -12668491, 5581306},
     {19563160, 16186464, -29386857, 4097519, 10237984, -4348115, 28542350, 13850243, -23678021, -15815942}},
    {{-15371964, -12862754, 32573250, 4720197, -26436522, 5875511, -19188627, -15224819, -9818940, -12085777},
     {-8549212, 109983, 15149363, 2178705, 22900618, 4543417, 3044240, -15689887, 1762328, 14866737},
     {-18199695, -15951423, -10473290, 1707278, -17185920, 3916101, -28236412, 3959421, 27914454, 4383652}},
    {{5153746, 9909285, 1723747, -2777874, 30523605, 5516873, 19480852, 5230134, -23952439, -15175766},
     {-30269007, -3463509, 7665486, 10083793, 28475525, 1649722, 20654025, 16520125, 30598449, 7715701},
     {28881845, 14381568, 9657904, 3680757, -20181635, 7843316, -31400660, 1370708, 29794553, -1409300}},
    {{14499471, -2729599, -33191113, -4254652, 28494862, 14271267, 30290735, 10876454, -33154098, 2381726},
     {-7195431, -2655363, -14730155, 462251, -27724326, 3941372, -6236617, 3696005, -32300832, 15351955},
     {27431194, 8222322, 16448760, -3907995, -18707002, 11938355, -32961401, -2970515, 29551813, 10109425}},
};

// [1]B, [3]B .. [63]B for verification (width-7 NAF digits of S).
constexpr Precomp kBaseOdd[32] = {
    {{25967493, -14356035, 29566456, 3660896, -12694345, 4014787, 27544626, -11754271, -6079156, 2047605},
     {-12545711, 934262, -2722910, 3049990, -727428, 9406986, 12720692, 5043384, 19500929, -15469378},
     {-8738181, 4489570, 9688441, -14785194, 10184609, -12363380, 29287919, 11864899, -24514362, -4438546}},
    {{15636291, -9688557, 24204773, -7912398, 616977, -16685262, 27787600, -14772189, 28944400, -1550024},
     {16568933, 4717097, -11556148, -1102322, 15682896, -11807043, 16354577, -11775962, 7689662, 11199574},
     {30464156, -5976125, -11779434, -15670865, 23220365, 15915852, 7512774, 10017326, -17749093, -9920357}},
    {{10861363, 11473154, 27284546, 1981175, -30064349, 12577861, 32867885, 14515107, -15438304, 10819380},
     {4708026, 6336745, 20377586, 9066809, -11272109, 6594696, -25653668, 12483688, -12668491, 5581306},
     {19563160, 16186464, -29386857, 4097519, 10237984, -4348115, 28542350, 13850243, -23678021, -15815942}},
    {{5153746, 9909285, 1723747, -2777874, 30523605, 5516873, 19480852, 5230134, -23952439, -15175766},
     {-30269007, -3463509, 7665486, 10083793, 28475525, 1649722, 20654025, 16520125, 30598449, 7715701},
     {28881845, 14381568, 9657904, 3680757, -20181635, 7843316, -31400660, 1370708, 29794553, -1409300}},
    {{-22518993, -6692182, 14201702, -8745502, -23510406, 8844726, 18474211, -1361450, -13062696, 13821877},
     {-6455177, -7839871, 3374702, -4740862, -27098617, -10571707, 31655028, -7212327, 18853322, -14220951},
     {4566830, -12963868, -28974889, -12240689, -7602672, -2830569, -8514358, -10431137, 2207753, -3209784}},
    {{-25154831, -4185821, 29681144, 7868801, -6854661, -9423865, -12437364, -663000, -31111463, -16132436},
     {25576264, -2703214, 7349804, -11814844, 16472782, 9300885, 3844789, 15725684, 171356, 6466918},
     {23103977, 13316479, 9739013, -16149481, 817875, -15038942, 8965339, -14088058, -30714912, 16193877}},
    {{-33521811, 3180713, -2394130, 14003687, -16903474, -16270840, 17238398, 4729455, -18074513, 9256800},
     {-25182317, -4174131, 32336398, 5036987, -21236817, 11360617, 22616405, 9761698, -19827198, 630305},
     {-13720693, 2639453, -24237460, -7406481, 9494427, -5774029, -6554551, -15960994, -2449256, -14291300}},
    {{-3151181, -5046075, 9282714, 6866145, -31907062, -863023, -18940575, 15033784, 25105118, -7894876},
     {-24326370, 15950226, -31801215, -14592823, -11662737, -5090925, 1573892, -2625887, 2198790, -15804619},
     {-3099351, 10324967, -2241613, 7453183, -5446979, -2735503, -13812022, -16236442, -32461234, -12290683}},
    {{17735060, -6439963, 9040473, 7210680, -23783293, -7400887, 26948152, 12350803, -28451963, -4929179},
     {2154138, 14782993, 28737794, 11906199, -30903360, -7066330, 19338133, -16644289, -16898941, -3760134},
     {29935719, 6336041, 20999566, -3149063, 13628498, -8942324, -5469118, -11194790, -10135057, -14869741}},
    {{29792830, -2175205, -20776337, -12878768, -8656183, -12970314, -24216613, -595795, 31674346, -9279161},
     {7606599, -11423207, 17376913, 15235046, 32822971, 7512882, 30227203, 14344178, 9952094, 8804749},
     {32575098, 3961822, -30703966, -15781181, -34965, 1319544, 30641032, 7823672, -3799006, -14675647}},
    {{10715098, -14175221, 26572933, -14864211, -25074044, -9564636, 12020709, -13782763, -28220153, -11219357},
     {-29961848, 554127, -3782803, -12628771, -17903573, 8620616, -13733360, -7615564, 8752613, -2328538},
     {4529906, 12416158, -6720702, -3396531, 15427958, -5925624, -5957936, 12724464, 23658330, -9864377}},
    {{-32174442, -12285248, -21298637, -13897126, -12811671, 7413281, -256881, 6164081, 25005049, -15551774},
     {5403481, -8900266, -5253283, 13522653, 14989680, 1879017, -23195795, -7830259, 20315902, 421248},
     {-32289917, 1705240, 25347020, 7938434, -15476839, 1720024, -12299138, -898546, -2200877, 5517608}},
    {{21434699, 16557378, 13251023, -3507283, 24494013, -5830483, -4398573, -14401002, 7715738, -5460632},
     {14461051, 6393639, 22681353, 14533514, -14615277, 3544718, -9327866, -8896568, -7217056, -1926306},
     {-6243959, -2354478, 18524952, 11247802, -23591219, -12388975, 26204395, -6286011, -3887786, -3575296}},
    {{30382533, 10077556, 27696264, 8918288, 30231380, -15593313, 9092550, 7627898, -25703649, -1756379},
     {13670611, 720327, 7131696, -14193933, -457293, -16606899, 3061925, -10683413, -27294368, -13413095},
     {-22261658, -5174863, -28636833, -9857100, -17667145, 3215394, 1669253, -3103398, -4784951, -4185898}},
    {{7814913, 1690062, 27222385, -2838562, -18664668, -5428809, -18165283, -1224282, 25500369, 1818106},
     {-27768268, 15199969, -14321149, -14772828, 18787730, 5464578, 11652644, 8722118, -10052243, 5153961},
     {5733861, 14534448, -7628462, 15892911, 30737296, 188529, 491756, -15907699, 33071792, 15771063}},
    {{18130726, -12222858, -14527018, -3382144, -22757904, -11282639, 1149904, 16209407, 20222151, -1415346},
     {-14736063, 13847471, -14418019, 3802478, -18721725, 10595590, 13745896, 3112846, -16747401, 2761906},
     {-21126168, 12273934, 15897066, 704320, 31367969, 3120352, 11710867, 16405685, 19410991, 10591627}},
    {{14900005, 885327, 22211023, 15569757, -32799648, -3688384, 13199846, -5815912, 4631002, 13354856},
     {-30476848, -10253580, -7573621, -6079938, -7183949, -4486727, 17551262, 13583017, -29528297, -2483253},
     {22641789, -12277349, 10843474, 1582748, -29604276, 634915, 15612385, -15415310, -7693613, -10990568}},
    {{9613009, -14294149, -25386494, 1731436, -14086315, 4700745, 26055020, -5926814, 20854229, 175025},
     {-5193515, 11733562, -7705372, -2172869, 29521831, -16709023, -12135444, -7497377, -17644163, 796780},
     {3855018, 8248512, 12652406, 88331, 2948262, 971326, 15614761, 9441028, 29507685, 8583792}},
    {{9860025, 14808585, 9600042, -9459145, 23400177, -9477195, -3325726, 3916688, -10358612, -2872627},
     {-33399181, 3740345, -14220260, -8495386, -20910867, -10875619, -21901699, 6431244, 21300862, -5908175},
     {-17297334, 9216233, 25043921, -14816258, 29145961, 3024227, -1528362, 530150, -298891, -11278931}},
    {{23499385, -8617718, -28753418, 2354156, 15431304, 5726449, -20299450, 7589352, 5421941, 16121767},
     {-21946656, -9703034, 9380592, 15192763, -31074002, 15525766, 5277811, -8513803, 33286238, -1861106},
     {-4684418, 13336014, -17740282, 1581265, 30884213, 15048226, -285360, 4736578, -13303672, -3946076}},
    {{25190234, -7249684, -8180527, 9111276, -2828521, 5025799, -5809265, -12894927, 30387593, -1035055},
     {14480232, -16496612, 2286693, -573465, 14693158, -11356520, -17860965, 9909860, 236428, -16696997},
     {7877514, -3681565, -21222620, -7651578, -25110101, 6241605, -31413926, 15657880, -10310932, 8609106}},
    {{-12863656, -992270, -9221166, -14044698, -21785329, 3918115, 27606728, -7580366, 7290095, 11418745},
     {28964163, -12604339, -22178897, -7408539, -32322056, -15496278, 18187180, -6537946, -24670027, 14869175},
     {-11404963, 1222456, -2779464, -9021185, 11330891, 9135834, 3589529, -13999198, -13833310, 1207213}},
    {{33323332, 2048733, 12219722, 6017849, 4177481, -9750224, 19535261, 10453936, -11333785, -1737850},
     {-2294127, -6336743, 29891311, 4504619, 8548709, -11568109, -4968207, 12555981, -32731806, -12117608},
     {-18039404, 9880213, 33350825, -8978011, 24446078, 15616561, 19302117, 9370836, -11936684, -5028240}},
    {{28296089, -6797223, -10353664, 4572841, 2140330, 10029994, -13549808, 8187615, -25941532, -8911153},
     {-32006986, -2595819, -1003567, 3168613, 22836264, 10055966, 22893634, 13045780, 28576558, -2849841},
     {-7120972, -12388107, -23812169, 15387893, -27660877, -13558161, 5059184, -13581498, 30207805, -3922766}},
    {{335330, 16132893, 21221549, 4369853, 1038992, -9159445, 24372709, -8665271, -4779141, -16396649},
     {-10186356, 1347521, 23300731, -6161061, -24457196, 8512933, 27610931, -9117439, 3998296, 3835244},
     {16327069, -10777476, 14746361, -10954782, 23700921, 11727222, 25900154, -11731214, -32201500, -8448618}},
    {{-7300978, 12089758, -18593518, 7922407, 480852, -7192851, 4246899, 10714230, 644198, 13128477},
     {7174904, -6962319, -7216530, 6465479, 4145835, -15880826, -28343911, -11261141, 1360981, -7748495},
     {-26929277, 6331650, -24722843, -13348547, 15635074, 6103612, -10717684, 6789943, 7597240, -9459120}},
    {{-12332277, 3381501, 18757262, 7875103, 106218, 1145711, 19452113, -5904709, 26496796, -13942303},
     {-20407324, -9452987, -17593212, -7607437, -21770707, 9941094, -11599493, -2255488, 1347426, 15381335},
     {-13532415, -7418575, 17092786, 3684747, -9279743, -6444915, 2987882, 10987137, -14839768, 15465523}},
    {{12924165, -7290115, 5272133, 10039545, 27497072, -2938938, -6702008, -3153602, -13451878, 11746942},
     {-31440802, -9307441, -19320583, -8426133, -29651896, -14035462, -23649193, 10724645, 7294162, 4471290},
     {-33294876, 3549110, 101112, -12089983, 4858393, 3029943, -7109424, -12129693, -32794988, 1512800}},
    {{29494960, -5313502, -16015633, -4730753, 25682288, -12312069, 10463026, 4241111, 8656993, 10649532},
     {-3572094, 7572552, -4859105, -8351792, 32046233, -1235491, 29315142, 15424555, 24706712, -4696784},
     {-19490094, 5819840, 19528172, -12838482, -26453100, -12943384, 4960955, 6496879, 2790858, -5509159}},
    {{18065612, -11264962, -22271043, -2533272, 32797786, 15389833, 11230024, -2409659, 15579138, 4915791},
     {-17444159, 3638041, -9220171, -14319500, -27004681, -5410591, 28667143, -15167555, 18584836, 3592929},
     {12065039, -14687038, 6430595, -16447273, 1727095, 13096957, -5588627, -6497827, 27026998, 13543966}},
    {{1404081, 4022847, 27586665, 14209107, 28740330, -3515722, -15290812, -13312955, 1871193, 8696643},
     {17325298, -178257, -1837598, 4931226, 31708266, 6292284, 23064744, -11481640, -23163358, 9236925},
     {-15153279, -13286368, -5957025, -7171083, 4766520, -12766399, 21173535, -6523679, 9509141, 7790046}},
    {{24124105, 5364343, 28620391, 10538620, -7675013, -13973421, -6246145, 9945788, 10491858, -1340630},
     {7062127, 13930079, 2259902, 6463144, 32137099, -8805584, -25551520, -4223089, -19763669, 13022815},
     {18921826, 392002, -11290883, 6420687, 8000611, -11138460, 14722963, -7308142, 20604451, 8079345}},
};

// ---- scalar multiplication -------------------------------------------------

// 1 if a == b, else 0, for a, b < 2^31, without a branch.
uint32_t ct_eq(uint32_t a, uint32_t b) { return ((a ^ b) - 1u) >> 31; }

void precomp_cmov(Precomp& t, const Precomp& u, uint32_t b) {
  fe_cmov(t.yplusx, u.yplusx, b);
  fe_cmov(t.yminusx, u.yminusx, b);
  fe_cmov(t.xy2d, u.xy2d, b);
}

// t = [e]B for e in [-8, 8], reading every table entry whatever e is.
void select_base(Precomp& t, int32_t e) {
  const int32_t neg_mask = e >> 31;
  const uint32_t abs_e = static_cast<uint32_t>((e ^ neg_mask) - neg_mask);
  fe_set(t.yplusx, 1);  // the identity
  fe_set(t.yminusx, 1);
  fe_set(t.xy2d, 0);
  for (uint32_t k = 1; k <= 8; ++k) precomp_cmov(t, kBaseMultiples[k - 1], ct_eq(abs_e, k));
  Precomp minus;  // -(x, y) = (-x, y)
  minus.yplusx = t.yminusx;
  minus.yminusx = t.yplusx;
  fe_neg(minus.xy2d, t.xy2d);
  precomp_cmov(t, minus, static_cast<uint32_t>(neg_mask) & 1u);
}

// h = [a]B for a < 2^255, constant-time: 64 signed radix-16 digits in
// [-8, 8), Horner from the top; the work is the same for every a.
void scalarmult_base(P3& h, const uint8_t a[32]) {
  int32_t e[64];
  for (unsigned i = 0; i < 32; ++i) {
    e[2 * i] = a[i] & 15;
    e[2 * i + 1] = a[i] >> 4;
  }
  for (unsigned i = 0; i < 63; ++i) {  // recentre: e[63] ends up <= 8
    const int32_t carry = (e[i] + 8) >> 4;
    e[i] -= carry * 16;
    e[i + 1] += carry;
  }
  p3_identity(h);
  P1P1 r;
  P2 q;
  Precomp t;
  for (unsigned i = 64; i-- > 0;) {
    if (i != 63) {
      p3_dbl(r, h);
      for (unsigned k = 0; k < 3; ++k) {
        p1p1_to_p2(q, r);
        p2_dbl(r, q);
      }
      p1p1_to_p3(h, r);
    }
    select_base(t, e[i]);
    add_precomp(r, h, t, false);
    p1p1_to_p3(h, r);
  }
  wipe(e, sizeof(e));
  wipe(&t, sizeof(t));
}

// Width-w NAF of s < 2^253: odd digits |d| < 2^(w-1), at least w - 1 zeros
// after each nonzero one. `carry` is the pending +1 from a negative digit.
void wnaf(int8_t naf[256], const uint8_t s[32], unsigned w) {
  memset(naf, 0, 256);
  unsigned carry = 0;
  for (unsigned i = 0; i < 256;) {
    const unsigned bit = (s[i >> 3] >> (i & 7)) & 1u;
    if (bit == carry) {  // the digit here is 0 (bit + carry is 0 or 2)
      ++i;
      continue;
    }
    unsigned window = carry;
    for (unsigned j = 0; j < w && i + j < 256; ++j)
      window += ((s[(i + j) >> 3] >> ((i + j) & 7)) & 1u) << j;
    int digit = static_cast<int>(window);
    carry = window >> (w - 1);
    if (carry) digit -= 1 << w;
    naf[i] = static_cast<int8_t>(digit);
    i += w;
  }
}

// r = [a]A + [b]B, variable time (verification only): one doubling per bit,
// an addition per nonzero NAF digit of a (width 5, table of A built here)
// and of b (width 7, kBaseOdd).
void double_scalarmult(P2& r, const uint8_t a[32], const P3& big_a,
                       const uint8_t b[32]) {
  int8_t a_naf[256], b_naf[256];
  wnaf(a_naf, a, 5);
  wnaf(b_naf, b, 7);
  Cached a_odd[8];  // A, 3A, .., 15A
  P1P1 t;
  P3 u, a2;
  p3_to_cached(a_odd[0], big_a);
  p3_dbl(t, big_a);
  p1p1_to_p3(a2, t);
  for (unsigned k = 1; k < 8; ++k) {
    add_cached(t, a2, a_odd[k - 1], false);
    p1p1_to_p3(u, t);
    p3_to_cached(a_odd[k], u);
  }
  int top = 255;
  while (top >= 0 && a_naf[top] == 0 && b_naf[top] == 0) --top;
  fe_set(r.x, 0);
  fe_set(r.y, 1);
  fe_set(r.z, 1);
  for (int i = top; i >= 0; --i) {
    p2_dbl(t, r);
    if (a_naf[i] != 0) {
      p1p1_to_p3(u, t);
      add_cached(t, u, a_odd[(a_naf[i] < 0 ? -a_naf[i] : a_naf[i]) / 2], a_naf[i] < 0);
    }
    if (b_naf[i] != 0) {
      p1p1_to_p3(u, t);
      add_precomp(t, u, kBaseOdd[(b_naf[i] < 0 ? -b_naf[i] : b_naf[i]) / 2], b_naf[i] < 0);
    }
    p1p1_to_p2(r, t);
  }
}

// RFC 8032 5.1.5: SHA-512 of the seed; the clamped low half is the secret
// scalar, the high half the nonce prefix.
void expand_seed(uint8_t h[64], const uint8_t seed[32]) {
  sha512(seed, kEd25519SeedLen, h);
  h[0] &= 248;
  h[31] &= 127;
  h[31] |= 64;
}

}  // namespace

void ed25519_public_key(const uint8_t seed[32], uint8_t pub[32]) {
  uint8_t h[64];
  P3 a;
  expand_seed(h, seed);
  scalarmult_base(a, h);
  p3_tobytes(pub, a);
  wipe(h, sizeof(h));
  wipe(&a, sizeof(a));
}

void ed25519_sign(const uint8_t seed[32], const uint8_t pub[32],
                  const void* msg, size_t len, uint8_t sig[64]) {
  uint8_t h[64], nonce[64], r[32], k[64], kr[32];
  expand_seed(h, seed);
  Sha512 sha;
  sha.update(h + 32, 32);
  sha.update(msg, len);
  sha.final(nonce);
  sc_reduce64(r, nonce);
  P3 big_r;
  scalarmult_base(big_r, r);
  p3_tobytes(sig, big_r);
  sha.reset();
  sha.update(sig, 32);
  sha.update(pub, kEd25519PublicKeyLen);
  sha.update(msg, len);
  sha.final(k);
  sc_reduce64(kr, k);
  sc_muladd(sig + 32, kr, h, r);  // S = (r + k a) mod L
  wipe(h, sizeof(h));
  wipe(nonce, sizeof(nonce));
  wipe(r, sizeof(r));
  wipe(&big_r, sizeof(big_r));
  wipe(&sha, sizeof(sha));
}

// R is never decoded: [S]B - [k]A is encoded and compared with R's bytes.
// An encoding we produce is always canonical and decodable, so equality
// implies both properties of R, and a non-canonical R can never match.
bool ed25519_verify(const uint8_t pub[32], const void* msg, size_t len,
                    const uint8_t sig[64]) {
  if (!sc_is_canonical(sig + 32)) return false;
  P3 a;
  if (!p3_decode(a, pub) || has_small_order(a)) return false;
  uint8_t h[64], k[32];
  Sha512 sha;
  sha.update(sig, 32);
  sha.update(pub, kEd25519PublicKeyLen);
  sha.update(msg, len);
  sha.final(h);
  sc_reduce64(k, h);
  fe_neg(a.x, a.x);  // -A
  fe_neg(a.t, a.t);
  P2 r;
  double_scalarmult(r, k, a, sig + 32);
  uint8_t check[32];
  p2_tobytes(check, r);
  return memcmp(check, sig, 32) == 0;
}

}  // namespace ucon
