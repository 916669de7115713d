// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// compiler.h - JSON policy -> Ed25519-signed binary policy blob (see
// secure/ucon_engine/blob_format.h and docs/policy-language.md).
// User space only: nlohmann/json and Boost.Graph stay out of the engine.
#ifndef TZUCON_POLICY_COMPILER_H
#define TZUCON_POLICY_COMPILER_H

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace policyc {

// An error or warning about the policy text. Messages are lower-case; user
// input inside them is quoted. line/column are 1-based (0 = unknown).
struct Diagnostic {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kError;
  std::string message;
  std::size_t line = 0;
  std::size_t column = 0;
  std::string pointer;  // RFC 6901 JSON pointer, "" = document root
  std::string to_string() const;  // "LINE:COL: error: MSG (at POINTER)"
};

// Per-rule metadata kept for tools (explain, test): the blob has ids only.
struct RuleInfo {
  std::uint32_t id = 0;
  std::string name;
  std::string pointer;  // where the rule is in the JSON
};

struct CompileResult {
  bool ok = false;
  std::vector<Diagnostic> errors;    // non-empty iff !ok
  std::vector<Diagnostic> warnings;  // unreachable/shadowed rules, ...
  std::vector<std::uint8_t> blob;    // signed blob, iff ok and a key given
  std::vector<RuleInfo> rules;       // in blob order
  std::uint32_t policy_version = 0;
  std::string name;
  bool any_device = false;    // "device": "any" (iff ok)
  std::array<std::uint8_t, 16> device_id{};  // bound device (iff ok, !any_device)
};

// Ed25519 (RFC 8032) key material. Private key file: "ed25519-private:" +
// 64 lower-case hex digits (the 32-byte seed) + "\n", mode 0600; public key
// file: "ed25519-public:" + 64 hex + "\n". Both are created with O_EXCL and
// never overwritten.
constexpr std::size_t kKeyLen = 32;
using PublicKey = std::array<std::uint8_t, kKeyLen>;
using DeviceId = std::array<std::uint8_t, 16>;  // TZU_DEVICE_ID_LEN
struct KeyPair {
  std::array<std::uint8_t, kKeyLen> seed{};  // the private key
  PublicKey pub{};
};

// Seed from /dev/urandom, public half derived. False (with *err) on failure.
bool generate_key_pair(KeyPair* out, std::string* err);
KeyPair key_pair_from_seed(const std::uint8_t seed[kKeyLen]);
bool read_private_key(const std::string& path, KeyPair* out, std::string* err);
bool read_public_key(const std::string& path, PublicKey* out, std::string* err);
// Creates priv_path (0600) then pub_path (0644), each with O_EXCL; if the
// public file cannot be created the private one is removed again.
bool write_key_pair(const std::string& priv_path, const std::string& pub_path,
                    const KeyPair& kp, std::string* err);
std::string public_key_text(const PublicKey& pub);  // the public file's text
// First 16 bytes of SHA-256 of the public key: how blobs, authorizations and
// reports name a device.
DeviceId device_id_of(const PublicKey& pub);
// "device": exactly 32 hex digits; false otherwise.
bool parse_device_id(const std::string& hex, DeviceId* out);

struct CompileOptions {
  const KeyPair* key = nullptr;  // sign with this (policy key); null: check only
  // Target device (`compile --device`). With device_is_default it only
  // applies when the policy has no "device" member (policyctl test/explain
  // bind to their in-process engine); otherwise it must agree with the
  // policy's "device".
  std::optional<DeviceId> device;
  bool device_is_default = false;
};

// Parses, validates, analyses (Boost.Graph) and, with opts.key, emits the
// signed blob. A blob must be bound to a device: the policy's "device" or
// opts.device. Never throws.
CompileResult compile(std::string_view json_text, const CompileOptions& opts);

// Host tools and tests (fuzzers, benchmarks): signs with a 32-byte seed
// (null: check only); a policy without "device" is bound to
// kHostTestDevice, the device id of policyctl's in-process engines.
using Key = std::vector<std::uint8_t>;
Key make_key();  // 32 bytes from /dev/urandom; empty on failure
constexpr DeviceId kHostTestDevice = {0x68, 0x6f, 0x73, 0x74, 0x2d, 0x74,
                                      0x65, 0x73, 0x74};  // "host-test"
CompileResult compile(std::string_view json_text, const Key* seed);

}  // namespace policyc

#endif  // TZUCON_POLICY_COMPILER_H
