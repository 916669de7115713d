// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// monitor_fixture.cc - see monitor_fixture.h.
#include "monitor_fixture.h"

namespace monitor_test {

namespace {

HostSecureWorld::Config world_config() {
  HostSecureWorld::Config c;
  c.engine.max_blob_bytes = 64u << 10;
  return c;
}

}  // namespace

MonitorTest::MonitorTest() : world_(world_config()) {}

monitor::SmcResult MonitorTest::smc(std::uint32_t r0, std::uint32_t r1,
                                    std::uint32_t r2, std::uint32_t r3,
                                    std::uint32_t r4, std::uint32_t cpu) {
  return world_.smc(r0, r1, r2, r3, r4, cpu);
}

tzu_challenge_rsp MonitorTest::challenge() {
  tzu_session_req q{};
  q.hdr = hdr(TZU_CMD_GET_CHALLENGE, sizeof(q));
  EXPECT_EQ(call(TZU_CMD_GET_CHALLENGE, q).r[0], TZU_OK);
  return response<tzu_challenge_rsp>();
}

tzu_set_mode_req MonitorTest::mode_req(std::uint32_t mode,
                                       std::uint32_t session) {
  tzu_set_mode_req m{};
  m.hdr = hdr(TZU_CMD_SET_MODE, sizeof(m));
  m.session = session;
  m.mode = mode;
  return m;
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

std::vector<std::uint8_t> MonitorTest::policy(std::uint32_t version) const {
  return test_policy(version, key_, world_.device_id());
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

std::vector<tzu_audit_record> MonitorTest::audit(std::uint64_t from) {
  tzu_read_audit_req a{};
  a.hdr = hdr(TZU_CMD_READ_AUDIT, sizeof(a));
  a.max_records = 512;
  a.from_index = from;
  EXPECT_EQ(call(TZU_CMD_READ_AUDIT, a).r[0], TZU_OK);
  const auto rsp = response<tzu_read_audit_rsp>();
  std::vector<tzu_audit_record> recs(rsp.n_records);
  if (rsp.n_records)
    std::memcpy(recs.data(), window_.data() + kRspOff + sizeof(rsp),
                rsp.n_records * sizeof(tzu_audit_record));
  EXPECT_TRUE(ucon::AuditLog::verify(rsp.anchor, recs.data(), rsp.n_records));
  return recs;
}

void MonitorTest::reboot() { ASSERT_EQ(world_.boot(), ucon::Status::kOk); }

}  // namespace monitor_test
