// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// monitor_fixture.h - a host secure world (test_policy.h: real engine,
// authority, RAM state store, dispatcher) and helpers to issue SMCs the way
// the normal world does, including admin authorizations and reboots.
#ifndef TZUCON_TESTS_MONITOR_MONITOR_FIXTURE_H
#define TZUCON_TESTS_MONITOR_MONITOR_FIXTURE_H

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "dispatcher.h"
#include "engine.h"
#include "memmap.h"
#include "test_policy.h"
#include "test_util.h"

namespace monitor_test {

constexpr std::uint32_t kReqOff = TZU_SHM_CMD_OFFSET;
constexpr std::uint32_t kRspOff = 0x80000;
constexpr std::uint32_t kRspCap = 0x10000;

inline tzu_hdr hdr(std::uint32_t cmd, std::uint32_t size) {
  tzu_hdr h{};
  h.magic = TZU_MAGIC;
  h.version = TZU_ABI_VERSION;
  h.command = static_cast<tzu_u16>(cmd);
  h.size = size;
  return h;
}

class MonitorTest : public ::testing::Test {
 protected:
  MonitorTest();

  monitor::SmcResult smc(std::uint32_t r0, std::uint32_t r1 = 0,
                         std::uint32_t r2 = 0, std::uint32_t r3 = 0,
                         std::uint32_t r4 = 0, std::uint32_t cpu = 0);

  // Writes a request at kReqOff and issues its yielding call.
  template <class T>
  monitor::SmcResult call(std::uint32_t cmd, const T& req,
                          std::uint32_t len = sizeof(T),
                          std::uint32_t rsp_cap = kRspCap) {
    std::memcpy(window_.data() + kReqOff, &req, sizeof(T));
    return smc(TZU_SMC_YIELD(cmd), kReqOff, len, kRspOff, rsp_cap);
  }
  template <class T>
  T response() const {
    T r;
    std::memcpy(&r, window_.data() + kRspOff, sizeof(T));
    return r;
  }

  // The admin's side of an [admin] request: its tzu_auth (the request's
  // `auth` member) signed for this device, this boot's nonce and the next
  // counter (as GET_CHALLENGE tells), unless given otherwise.
  template <class T>
  void authorize(T* req, std::uint32_t cmd,
                 const std::vector<std::uint8_t>& seed = kAdminSeed) {
    const tzu_challenge_rsp c = challenge();
    authorize_with(req, cmd, c.device_id, c.nonce, c.next_counter, seed);
  }
  template <class T>
  static void authorize_with(T* req, std::uint32_t cmd,
                             const std::uint8_t* device_id,
                             const std::uint8_t* nonce, std::uint64_t counter,
                             const std::vector<std::uint8_t>& seed = kAdminSeed) {
    sign_auth(reinterpret_cast<std::uint8_t*>(req),
              static_cast<std::uint32_t>(offsetof(T, auth)), cmd, device_id,
              nonce, counter, seed);
  }
  tzu_challenge_rsp challenge();
  tzu_set_mode_req mode_req(std::uint32_t mode, std::uint32_t session = 0);

  std::uint32_t open_session(std::uint32_t kind = TZU_CLIENT_KERNEL);
  monitor::SmcResult load(std::uint32_t session,
                          const std::vector<std::uint8_t>& blob);
  // The test policy at `version`, signed with the policy key for this device.
  std::vector<std::uint8_t> policy(std::uint32_t version) const;
  static tzu_event event(std::uint32_t hook, std::uint32_t tgid,
                         std::uint32_t cpu = 0);
  monitor::SmcResult decide(const tzu_event& ev, std::uint32_t cpu = 0);
  tzu_decision slot_decision(std::uint32_t slot = 0) const;
  tzu_stats stats();
  // Audit records [from, next) as READ_AUDIT returns them.
  std::vector<tzu_audit_record> audit(std::uint64_t from = 0);
  // Reboot over the same storage (boot counter + 1, new nonce).
  void reboot();

  HostSecureWorld world_;
  ucon::Engine& engine_ = world_.engine;
  std::vector<std::uint8_t>& window_ = world_.window;
  monitor::Dispatcher& disp_ = world_.disp;
  monitor::RamStateStore& store_ = world_.store;
  monitor::Authority& authority_ = world_.authority;
  std::vector<std::uint8_t> key_ = ucon_test::kTestKey;
};

}  // namespace monitor_test

#endif  // TZUCON_TESTS_MONITOR_MONITOR_FIXTURE_H
