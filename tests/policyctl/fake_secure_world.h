// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fake_secure_world.h - a Transport that serves the ABI commands from a real
// UCON engine in this process, checking each request the way the secure
// world must (magic, version, command, sizes, session 0 or the open one,
// tzu_auth of [admin] commands). Lets the guest commands be tested on the
// host without a board.
//
// A stand-in: the monitor's dispatcher (secure/monitor, monitor_dispatch) is
// being rewritten for ABI v2; once it has a host entry point that takes a
// request buffer, an engine, a RamStateStore and the admin/device keys, this
// fake should forward to it instead of re-implementing its checks.
#ifndef TZUCON_TESTS_POLICYCTL_FAKE_SECURE_WORLD_H
#define TZUCON_TESTS_POLICYCTL_FAKE_SECURE_WORLD_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "compiler.h"
#include "replay.h"
#include "tee_client.h"

namespace policyctl_test {

class FakeSecureWorld {
 public:
  static constexpr std::uint32_t kSession = 7;

  // key: the policy signing seed (blobs from policyc::compile(text, &key)).
  explicit FakeSecureWorld(const std::vector<std::uint8_t>& key,
                           const ucon::EngineConfig& cfg = ucon::EngineConfig());

  // The board's keys (fixed seeds, so tests can write the key files).
  static policyc::KeyPair admin_key();
  static policyc::KeyPair device_key();
  std::uint8_t nonce[TZU_NONCE_LEN] = {};  // this "boot"'s challenge nonce
  std::uint64_t boot_counter = 7;
  std::uint64_t admin_counter = 0;       // next counter a tzu_auth must carry
  std::vector<std::uint32_t> auth_refusals;  // TZU_E_* of refused auths

  // Serves one request; the response as the secure world would write it.
  std::vector<std::uint8_t> serve(std::uint32_t cmd, const std::uint8_t* req,
                                  std::size_t len, std::size_t cap);

  // A connector for Context that reaches this fake.
  policyctl::Connector connector();

  ucon::Engine& engine() { return host_.engine(); }

  // Kernel integrity as INTEGRITY_STATUS/CHECK report it (hdr and
  // n_regions are filled in when served) and as GET_REPORT signs it
  // (state, flags, passes, mismatches from here; last_* below). CHECK runs
  // a "full pass": passes + 1, last_pass_us = now_us.
  tzu_integrity_status integrity{};
  std::vector<tzu_integrity_region> regions;
  tzu_report last_detection{};  // only its last_* and manifest fields are used

  // Fault injection.
  std::uint32_t integrity_claimed_regions = ~0u;  // n_regions to claim, if set
  std::int32_t integrity_size_delta = 0;          // bytes added to the reply
  bool corrupt_audit_hash = false;  // flip a bit in the 2nd record's hash
  bool bad_magic = false;           // answer with a wrong magic
  std::vector<std::uint32_t> commands;  // every command served, in order
  std::vector<std::string> request_errors;  // requests that broke the ABI

 private:
  std::vector<std::uint8_t> dispatch(std::uint32_t cmd, const std::uint8_t* req,
                                     std::size_t len, std::size_t cap,
                                     std::uint32_t* status);
  std::vector<std::uint8_t> integrity_reply(std::uint32_t cmd, const std::uint8_t* req,
                                            std::size_t len, std::uint32_t* status);
  std::uint32_t check_auth(std::uint32_t cmd, const std::uint8_t* req, std::size_t len);
  policyctl::HostEngine host_;
};

}  // namespace policyctl_test

#endif  // TZUCON_TESTS_POLICYCTL_FAKE_SECURE_WORLD_H
