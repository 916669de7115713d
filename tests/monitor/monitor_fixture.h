// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// monitor_fixture.h - a dispatcher with a real engine, a host buffer as the
// shared window and helpers to issue SMCs the way the normal world does.
#ifndef TZUCON_TESTS_MONITOR_MONITOR_FIXTURE_H
#define TZUCON_TESTS_MONITOR_MONITOR_FIXTURE_H

#include <gtest/gtest.h>

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

  std::uint32_t open_session(std::uint32_t kind = TZU_CLIENT_KERNEL);
  monitor::SmcResult load(std::uint32_t session,
                          const std::vector<std::uint8_t>& blob);
  static tzu_event event(std::uint32_t hook, std::uint32_t tgid,
                         std::uint32_t cpu = 0);
  monitor::SmcResult decide(const tzu_event& ev, std::uint32_t cpu = 0);
  tzu_decision slot_decision(std::uint32_t slot = 0) const;
  tzu_stats stats();

  std::vector<std::uint64_t> arena_;
  ucon::Engine engine_;
  std::vector<std::uint8_t> window_;
  std::vector<std::uint64_t> req_;
  std::vector<std::uint64_t> rsp_;
  monitor::Dispatcher disp_;
  std::vector<std::uint8_t> key_ = ucon_test::kTestKey;
};

}  // namespace monitor_test

#endif  // TZUCON_TESTS_MONITOR_MONITOR_FIXTURE_H
