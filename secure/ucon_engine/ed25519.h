// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// ed25519.h - Ed25519 signatures (RFC 8032, pure Ed25519), freestanding: no
// heap, no global mutable state; signing is constant-time in the secret.
#ifndef UCON_ENGINE_ED25519_H
#define UCON_ENGINE_ED25519_H

#include <stddef.h>
#include <stdint.h>

namespace ucon {

constexpr size_t kEd25519PublicKeyLen = 32, kEd25519SeedLen = 32,
                 kEd25519SignatureLen = 64;

// Derives the public key from a 32-byte private seed (RFC 8032 5.1.5).
void ed25519_public_key(const uint8_t seed[32], uint8_t pub[32]);

// Signs msg (RFC 8032 5.1.6). pub must be ed25519_public_key(seed): it is
// hashed as given, so a wrong pub yields a signature nobody accepts.
void ed25519_sign(const uint8_t seed[32], const uint8_t pub[32],
                  const void* msg, size_t len, uint8_t sig[64]);

// Verifies (RFC 8032 5.1.7, cofactorless check [S]B = R + [k]A, reject S >= L,
// reject non-canonical / non-decodable A and R encodings). Also rejects a
// small-order A, under which (R, S) = ([S]B, S) would verify for any message.
// True only if valid. Not constant-time: every input is public.
bool ed25519_verify(const uint8_t pub[32], const void* msg, size_t len,
                    const uint8_t sig[64]);

}  // namespace ucon

#endif  // UCON_ENGINE_ED25519_H
