// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// admin_auth.cc - challenge codec, argument digest, tzu_auth signing, tokens.
#include "admin_auth.h"

#include <cstring>

#include "crypto.h"
#include "ed25519.h"

namespace policyctl {
namespace {

constexpr std::size_t kSignedLen = offsetof(tzu_auth, signature);
static_assert(kSignedLen == 96, "tzu_auth signed prefix");

template <std::size_t N>
void hex_field(const Json& j, const char* key, std::array<std::uint8_t, N>* out) {
  if (!j.contains(key) || !j[key].is_string() ||
      !from_hex(j[key].get<std::string>(), out->data(), N)) {
    throw JsonError(std::string("challenge: \"") + key + "\" must be " +
                    std::to_string(2 * N) + " hex digits");
  }
}

std::uint64_t u64_field(const Json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number_unsigned()) {
    throw JsonError(std::string("challenge: \"") + key +
                    "\" must be a non-negative integer");
  }
  return j[key].get<std::uint64_t>();
}

}  // namespace

Json challenge_to_json(const Challenge& c) {
  return Json{{"device_id", to_hex(c.device_id.data(), c.device_id.size())},
              {"nonce", to_hex(c.nonce.data(), c.nonce.size())},
              {"boot_counter", c.boot_counter},
              {"next_counter", c.next_counter}};
}

Challenge challenge_from_json(const Json& j) {
  if (!j.is_object()) throw JsonError("challenge: expected a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    if (k != "device_id" && k != "nonce" && k != "boot_counter" && k != "next_counter") {
      throw JsonError("challenge: unknown key \"" + k + "\"");
    }
  }
  Challenge c;
  hex_field(j, "device_id", &c.device_id);
  hex_field(j, "nonce", &c.nonce);
  c.boot_counter = u64_field(j, "boot_counter");
  c.next_counter = u64_field(j, "next_counter");
  return c;
}

Challenge challenge_from_rsp(const tzu_challenge_rsp& rsp) {
  Challenge c;
  std::memcpy(c.device_id.data(), rsp.device_id, c.device_id.size());
  std::memcpy(c.nonce.data(), rsp.nonce, c.nonce.size());
  c.boot_counter = rsp.boot_counter;
  c.next_counter = rsp.next_counter;
  return c;
}

tzu_auth AdminRequest::auth() const {
  tzu_auth a;
  std::memcpy(&a, bytes.data() + auth_offset(), sizeof(a));
  return a;
}

void AdminRequest::set_auth(const tzu_auth& a) {
  std::memcpy(bytes.data() + auth_offset(), &a, sizeof(a));
}

std::array<std::uint8_t, TZU_SHA256_LEN> args_digest(const AdminRequest& req) {
  std::array<std::uint8_t, TZU_SHA256_LEN> out{};
  ucon::sha256(req.bytes.data() + TZU_AUTH_ARGS_OFFSET,
               req.auth_offset() - TZU_AUTH_ARGS_OFFSET, out.data());
  return out;
}

tzu_auth sign_auth(const AdminRequest& req, const Challenge& c,
                   const std::uint8_t seed[32], const std::uint8_t pub[32]) {
  tzu_auth a;
  std::memset(&a, 0, sizeof(a));
  a.magic = TZU_AUTH_MAGIC;
  a.version = TZU_AUTH_VERSION;
  a.command = static_cast<std::uint16_t>(req.command);
  std::memcpy(a.device_id, c.device_id.data(), sizeof(a.device_id));
  std::memcpy(a.nonce, c.nonce.data(), sizeof(a.nonce));
  a.counter = c.next_counter;
  auto digest = args_digest(req);
  std::memcpy(a.args_sha256, digest.data(), sizeof(a.args_sha256));
  ucon::ed25519_sign(seed, pub, &a, kSignedLen, a.signature);
  return a;
}

bool auth_signature_ok(const tzu_auth& a, const std::uint8_t pub[32]) {
  return ucon::ed25519_verify(pub, &a, kSignedLen, a.signature);
}

std::string token_to_text(const tzu_auth& a) {
  return to_hex(reinterpret_cast<const std::uint8_t*>(&a), sizeof(a)) + "\n";
}

bool token_from_text(const std::string& text, tzu_auth* out) {
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  if (first == std::string::npos) return false;
  return from_hex(text.substr(first, last - first + 1),
                  reinterpret_cast<std::uint8_t*>(out), sizeof(*out));
}

}  // namespace policyctl
