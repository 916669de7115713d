// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// test_util.h - builders for engine tests: hand-assembled policy blobs (the
// engine is tested without the JSON compiler), signed with Ed25519 by a fixed
// test policy key and bound to a fixed test device, and events.
#ifndef TZUCON_TESTS_ENGINE_TEST_UTIL_H
#define TZUCON_TESTS_ENGINE_TEST_UTIL_H

#include <cstdint>
#include <string>
#include <vector>

#include "blob_format.h"
#include "engine.h"
#include "tzucon_abi.h"

namespace ucon_test {

using ucon::BlobAttr;
using ucon::BlobNode;
using ucon::BlobRule;
using ucon::BlobUpdate;
using ucon::kOperandInt;

// The test policy key's private seed (Ed25519), its public half, and the
// device id the test engines run as (blobs are bound to it by default).
extern const std::vector<std::uint8_t> kTestKey;
extern const std::vector<std::uint8_t> kTestDeviceId;
std::vector<std::uint8_t> public_key(const std::vector<std::uint8_t>& seed);
const std::vector<std::uint8_t>& test_policy_pub();

// (Re-)signs a blob in place: its trailing 64 bytes become the Ed25519
// signature over everything before them (tests that mutate a header).
void sign_blob(std::vector<std::uint8_t>* blob,
               const std::vector<std::uint8_t>& seed = kTestKey);

// Assembles a blob section by section; nodes are added children first.
class BlobBuilder {
 public:
  std::uint32_t version = 1;
  std::uint32_t flags = 0;
  // Target device; any_device() clears it and sets kPolicyAnyDevice.
  std::vector<std::uint8_t> device_id = kTestDeviceId;
  void any_device();

  std::uint32_t node(std::uint8_t op, std::uint8_t lhs_kind, std::uint16_t lhs,
                     std::uint8_t rhs_kind, std::uint32_t a, std::uint32_t b);
  std::uint32_t field_eq(const char* field, std::int64_t v);
  std::uint32_t field_str_eq(const char* field, const std::string& s);
  std::uint32_t field_cmp(std::uint8_t op, const char* field, std::int64_t v);
  std::uint32_t attr_cmp(std::uint8_t op, std::uint32_t attr, std::int64_t v);
  std::uint32_t field_in(const char* field, const std::vector<std::int64_t>& v);
  std::uint32_t field_in_str(const char* field,
                             const std::vector<std::string>& v);
  std::uint32_t all(const std::vector<std::uint32_t>& kids);
  std::uint32_t any(const std::vector<std::uint32_t>& kids);
  std::uint32_t negate(std::uint32_t kid);
  std::uint32_t pool_bytes(const void* p, std::size_t n);  // 8-aligned
  std::uint32_t attr(const std::string& name, std::uint8_t scope,
                     std::uint8_t type, std::uint8_t key = 0,
                     std::uint16_t key_field = 0, std::int64_t initial = 0,
                     std::uint32_t max_entries = 64);
  // Declares who may write an attribute (ucon::kWriter*; engine by default).
  void set_writer(std::uint32_t attr, std::uint8_t writer);
  std::uint32_t update(std::uint32_t attr, std::uint8_t op, std::int64_t value,
                       std::uint8_t value_kind = kOperandInt);
  BlobRule& rule(std::uint32_t id, std::uint32_t hook, std::uint8_t effect,
                 std::uint32_t target = ucon::kNone);
  // Lays out the sections and signs with `key` (an Ed25519 private seed).
  std::vector<std::uint8_t> build(
      const std::vector<std::uint8_t>& key = kTestKey) const;

  std::vector<BlobRule> rules;
  std::vector<BlobNode> nodes;
  std::vector<std::uint32_t> kids;
  std::vector<BlobAttr> attrs;
  std::vector<BlobUpdate> updates;
  std::vector<std::uint8_t> pool;
};

std::uint16_t field_id(const char* name);
tzu_event make_event(std::uint32_t hook, std::uint32_t tgid = 100);

// An engine with its own arena, trusting test_policy_pub() as device
// `device_id`.
class TestEngine {
 public:
  explicit TestEngine(const ucon::EngineConfig& cfg = ucon::EngineConfig(),
                      const std::vector<std::uint8_t>& device_id = kTestDeviceId);
  ucon::Engine& operator*() { return engine_; }
  ucon::Engine* operator->() { return &engine_; }
  ucon::Status load(const std::vector<std::uint8_t>& blob);
  tzu_decision decide(const tzu_event& ev);

 private:
  std::vector<std::uint64_t> arena_;
  ucon::Engine engine_;
};

}  // namespace ucon_test

#endif  // TZUCON_TESTS_ENGINE_TEST_UTIL_H
