// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// admin_auth.h - administrative authorizations (struct tzu_auth, TPM-style):
// the challenge a board hands out, the argument digest that binds every
// byte of a request, signing with the admin key, and the token file that
// carries a signed tzu_auth from the host that holds the key to the guest.
//
//   args_sha256 = SHA-256(request bytes [TZU_AUTH_ARGS_OFFSET, offset of auth))
//   signature   = Ed25519(admin key, tzu_auth bytes before `signature`)
//
// The request bytes come from admin_request.h on both sides (authorize on
// the host, the guest command on the board), so the digests cannot drift.
#ifndef POLICYCTL_ADMIN_AUTH_H
#define POLICYCTL_ADMIN_AUTH_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "event_json.h"
#include "tzucon_abi.h"

namespace policyctl {

// GET_CHALLENGE, as `policyctl challenge` prints it:
//   {"device_id":"<32 hex>","nonce":"<64 hex>","boot_counter":N,"next_counter":N}
struct Challenge {
  std::array<std::uint8_t, TZU_DEVICE_ID_LEN> device_id{};
  std::array<std::uint8_t, TZU_NONCE_LEN> nonce{};
  std::uint64_t boot_counter = 0;
  std::uint64_t next_counter = 0;
};
Json challenge_to_json(const Challenge& c);
// Throws JsonError naming the bad key.
Challenge challenge_from_json(const Json& j);
Challenge challenge_from_rsp(const tzu_challenge_rsp& rsp);

// An authorized request: the request struct's bytes, whose last
// sizeof(tzu_auth) bytes are the auth (zero until signed).
struct AdminRequest {
  std::uint32_t command = 0;       // TZU_CMD_*
  std::vector<std::uint8_t> bytes;  // whole request, hdr filled, session 0
  std::string text;                 // "mode permissive", for messages
  std::size_t auth_offset() const { return bytes.size() - sizeof(tzu_auth); }
  tzu_auth auth() const;
  void set_auth(const tzu_auth& a);
};

// SHA-256 of bytes [TZU_AUTH_ARGS_OFFSET, auth_offset()).
std::array<std::uint8_t, TZU_SHA256_LEN> args_digest(const AdminRequest& req);

// The tzu_auth for req under challenge c, signed with the admin key.
tzu_auth sign_auth(const AdminRequest& req, const Challenge& c,
                   const std::uint8_t seed[32], const std::uint8_t pub[32]);
// Signature check, as the secure world does it (tests; `authorize` checks
// its own output).
bool auth_signature_ok(const tzu_auth& a, const std::uint8_t pub[32]);

// Token file: the 160 bytes of a tzu_auth as 320 hex digits and "\n".
std::string token_to_text(const tzu_auth& a);
// Accepts surrounding whitespace; false if not exactly 160 bytes of hex.
bool token_from_text(const std::string& text, tzu_auth* out);

}  // namespace policyctl

#endif  // POLICYCTL_ADMIN_AUTH_H
