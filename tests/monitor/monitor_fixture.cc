// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// monitor_fixture.cc - see monitor_fixture.h.
#include "monitor_fixture.h"

namespace monitor_test {

MonitorTest::MonitorTest() : window_(PLAT_SHM_SIZE, 0) {
  ucon::EngineConfig cfg;
  cfg.max_blob_bytes = 64u << 10;
  arena_.resize(ucon::Engine::arena_bytes(cfg) / 8 + 1);
  EXPECT_EQ(engine_.init(arena_.data(), arena_.size() * 8, cfg, key_.data(),
                         key_.size()),
            ucon::Status::kOk);
  req_.resize((sizeof(tzu_load_policy_req) + cfg.max_blob_bytes) / 8 + 1);
  rsp_.resize(8192 / 8);
  monitor::DispatcherConfig d;
  d.engine = &engine_;
  d.window = monitor::ShmWindow(window_.data(), PLAT_SHM_SIZE);
  d.nr_slots = PLAT_NR_CPUS;
  d.req = reinterpret_cast<std::uint8_t*>(req_.data());
  d.req_cap = static_cast<std::uint32_t>(req_.size() * 8);
  d.rsp = reinterpret_cast<std::uint8_t*>(rsp_.data());
  d.rsp_cap = static_cast<std::uint32_t>(rsp_.size() * 8);
  d.ns_ram_base = PLAT_DDR_BASE;
  d.ns_ram_size = PLAT_DDR_SIZE;
  d.secure_base = PLAT_SECURE_BASE;
  d.secure_size = PLAT_SECURE_SIZE;
  EXPECT_EQ(disp_.init(d), ucon::Status::kOk);
}

monitor::SmcResult MonitorTest::smc(std::uint32_t r0, std::uint32_t r1,
                                    std::uint32_t r2, std::uint32_t r3,
                                    std::uint32_t r4, std::uint32_t cpu) {
  monitor::SmcArgs a{{r0, r1, r2, r3, r4, 0, 0, 0}};
  return disp_.handle(a, cpu);
}

std::uint32_t MonitorTest::open_session(std::uint32_t kind) {
  tzu_open_session_req req{};
  req.hdr = hdr(TZU_CMD_OPEN_SESSION, sizeof(req));
  req.client_kind = kind;
  const monitor::SmcResult r = call(TZU_CMD_OPEN_SESSION, req);
  EXPECT_EQ(r.r[0], TZU_OK);
  return response<tzu_open_session_rsp>().session;
}

monitor::SmcResult MonitorTest::load(std::uint32_t session,
                                     const std::vector<std::uint8_t>& blob) {
  tzu_load_policy_req req{};
  const auto size = static_cast<std::uint32_t>(blob.size());
  req.hdr = hdr(TZU_CMD_LOAD_POLICY, sizeof(req) + size);
  req.session = session;
  req.blob_size = size;
  std::memcpy(window_.data() + kReqOff, &req, sizeof(req));
  if (size)  // an empty vector's data() may be null: memcpy forbids it
    std::memcpy(window_.data() + kReqOff + sizeof(req), blob.data(), size);
  return smc(TZU_SMC_YIELD(TZU_CMD_LOAD_POLICY), kReqOff,
             sizeof(req) + size, kRspOff, kRspCap);
}

tzu_event MonitorTest::event(std::uint32_t hook, std::uint32_t tgid,
                             std::uint32_t cpu) {
  tzu_event ev = ucon_test::make_event(hook, tgid);
  ev.hdr = hdr(TZU_CMD_DECIDE, sizeof(ev));
  ev.cpu = cpu;
  return ev;
}

monitor::SmcResult MonitorTest::decide(const tzu_event& ev, std::uint32_t cpu) {
  std::memcpy(window_.data() + cpu * TZU_SLOT_SIZE, &ev, sizeof(ev));
  return smc(TZU_SMC_DECIDE, cpu, 0, 0, 0, cpu);
}

tzu_decision MonitorTest::slot_decision(std::uint32_t slot) const {
  tzu_decision d;
  std::memcpy(&d,
              window_.data() + slot * TZU_SLOT_SIZE + TZU_SLOT_DECISION_OFFSET,
              sizeof(d));
  return d;
}

tzu_stats MonitorTest::stats() {
  const tzu_hdr h = hdr(TZU_CMD_GET_STATS, sizeof(tzu_hdr));
  EXPECT_EQ(call(TZU_CMD_GET_STATS, h).r[0], TZU_OK);
  return response<tzu_stats>();
}

}  // namespace monitor_test
