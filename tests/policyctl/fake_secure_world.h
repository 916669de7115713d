// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fake_secure_world.h - a Transport that serves the ABI commands from a real
// UCON engine in this process, checking each request the way the secure
// world must (magic, version, command, sizes, session). Lets the guest
// commands be tested on the host without a board.
#ifndef TZUCON_TESTS_POLICYCTL_FAKE_SECURE_WORLD_H
#define TZUCON_TESTS_POLICYCTL_FAKE_SECURE_WORLD_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "replay.h"
#include "tee_client.h"

namespace policyctl_test {

class FakeSecureWorld {
 public:
  static constexpr std::uint32_t kSession = 7;

  explicit FakeSecureWorld(const std::vector<std::uint8_t>& key,
                           const ucon::EngineConfig& cfg = ucon::EngineConfig());

  // Serves one request; the response as the secure world would write it.
  std::vector<std::uint8_t> serve(std::uint32_t cmd, const std::uint8_t* req,
                                  std::size_t len, std::size_t cap);

  // A connector for Context that reaches this fake.
  policyctl::Connector connector();

  ucon::Engine& engine() { return host_.engine(); }

  // Fault injection.
  bool corrupt_audit_hash = false;  // flip a bit in the 2nd record's hash
  bool bad_magic = false;           // answer with a wrong magic
  std::vector<std::uint32_t> commands;  // every command served, in order
  std::vector<std::string> request_errors;  // requests that broke the ABI

 private:
  std::vector<std::uint8_t> dispatch(std::uint32_t cmd, const std::uint8_t* req,
                                     std::size_t len, std::size_t cap,
                                     std::uint32_t* status);
  policyctl::HostEngine host_;
};

}  // namespace policyctl_test

#endif  // TZUCON_TESTS_POLICYCTL_FAKE_SECURE_WORLD_H
