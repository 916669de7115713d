// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// dispatcher_test.cc - the SMC ABI end to end on the host: valid calls, and
// every class of malformed request answered with its error code and without
// side effects.
#include "dispatcher.h"

#include "monitor_fixture.h"

namespace monitor_test {
namespace {

using monitor::SmcResult;

constexpr std::uint32_t kNotSupported = TZU_E_NOT_SUPPORTED;

TEST_F(MonitorTest, InitRejectsUnusableConfig) {
  monitor::Dispatcher d;
  monitor::DispatcherConfig c;
  EXPECT_EQ(d.init(c), ucon::Status::kBadField);
  EXPECT_TRUE(d.failed());
}

TEST_F(MonitorTest, Queries) {
  SmcResult r = smc(TZU_SMC_CALLS_UID);
  EXPECT_EQ(r.r[0], TZU_UID_0);
  EXPECT_EQ(r.r[1], TZU_UID_1);
  EXPECT_EQ(r.r[2], TZU_UID_2);
  EXPECT_EQ(r.r[3], TZU_UID_3);
  r = smc(TZU_SMC_CALLS_REVISION);
  EXPECT_EQ(r.r[0], TZU_REVISION_MAJOR);
  EXPECT_EQ(r.r[1], TZU_REVISION_MINOR);
  EXPECT_EQ(smc(TZU_SMC_CALLS_COUNT).r[0], TZU_CMD_COUNT - 1);
}

TEST_F(MonitorTest, UnknownFunctionIdsAreNotSupported) {
  const std::uint32_t fids[] = {
      0xB2000063u,                          // fast, our OEN, no such function
      0xF2000003u,                          // SMC64 DECIDE
      0xB2010003u,                          // bits 23:16 not zero
      TZU_SMC_YIELD(TZU_CMD_DECIDE),        // DECIDE is fast only
      TZU_SMC_YIELD(0), TZU_SMC_YIELD(TZU_CMD_COUNT), 0x3200FFFFu,
      0xBF00FF02u,                          // reserved query
      0x84000000u,                          // PSCI (standard service)
      0x31000001u,                          // other OEN, yielding
      0x00000000u};
  for (std::uint32_t fid : fids) {
    const SmcResult r = smc(fid, 1, 2, 3, 4);
    EXPECT_EQ(r.r[0], kNotSupported) << std::hex << fid;
    EXPECT_EQ(r.r[1], 0u);
  }
  EXPECT_EQ(disp_.monitor_errors(), sizeof(fids) / sizeof(fids[0]));
}

TEST_F(MonitorTest, DecideWithoutPolicyAllows) {
  const SmcResult r = decide(event(TZU_HOOK_FILE_MPROTECT, 100));
  EXPECT_EQ(r.r[0], TZU_OK);
  EXPECT_EQ(r.r[1] & 0xFF, TZU_VERDICT_ALLOW);
  EXPECT_TRUE((r.r[1] >> 8) & TZU_DF_NO_POLICY);
  const tzu_decision d = slot_decision();
  EXPECT_EQ(d.hdr.magic, TZU_MAGIC);
  EXPECT_EQ(d.hdr.size, sizeof(tzu_decision));
  EXPECT_EQ(d.seq, event(TZU_HOOK_FILE_MPROTECT, 100).seq);
}

TEST_F(MonitorTest, DecideUsesOnlyTheCallersSlot) {
  decide(event(TZU_HOOK_FILE_MPROTECT, 100));  // fills slot 0
  std::memset(window_.data() + TZU_SLOT_SIZE, 0xEE, TZU_SLOT_SIZE);
  const std::vector<std::uint8_t> slot1(window_.begin() + TZU_SLOT_SIZE,
                                        window_.begin() + 2 * TZU_SLOT_SIZE);
  // CPU0 naming slot 1, CPU1 naming slot 0, and indices out of range.
  EXPECT_EQ(smc(TZU_SMC_DECIDE, 1, 0, 0, 0, 0).r[0], TZU_E_BAD_FIELD);
  EXPECT_EQ(smc(TZU_SMC_DECIDE, 0, 0, 0, 0, 1).r[0], TZU_E_BAD_FIELD);
  EXPECT_EQ(smc(TZU_SMC_DECIDE, 2, 0, 0, 0, 2).r[0], TZU_E_BAD_FIELD);
  EXPECT_EQ(smc(TZU_SMC_DECIDE, 0xFFFFFFFFu).r[0], TZU_E_BAD_FIELD);
  EXPECT_TRUE(std::equal(slot1.begin(), slot1.end(),
                         window_.begin() + TZU_SLOT_SIZE));
  // CPU1 with its own slot works.
  EXPECT_EQ(decide(event(TZU_HOOK_FILE_MPROTECT, 100, 1), 1).r[0], TZU_OK);
}

TEST_F(MonitorTest, DecideRejectsMalformedEvents) {
  struct Case {
    const char* what;
    void (*mutate)(tzu_event*);
    std::uint32_t want;
  };
  const Case cases[] = {
      {"magic", [](tzu_event* e) { e->hdr.magic ^= 1; }, TZU_E_BAD_MAGIC},
      {"version", [](tzu_event* e) { e->hdr.version = 1; }, TZU_E_BAD_VERSION},
      {"command", [](tzu_event* e) { e->hdr.command = TZU_CMD_SET_MODE; },
       TZU_E_BAD_COMMAND},
      {"size", [](tzu_event* e) { e->hdr.size = 319; }, TZU_E_BAD_SIZE},
      {"status", [](tzu_event* e) { e->hdr.status = 5; }, TZU_E_BAD_FIELD},
      {"cpu", [](tzu_event* e) { e->cpu = 1; }, TZU_E_BAD_FIELD},
      {"hook", [](tzu_event* e) { e->hook = TZU_HOOK_COUNT; }, TZU_E_BAD_FIELD},
      {"flags", [](tzu_event* e) { e->flags = 0x80; }, TZU_E_BAD_FIELD},
      {"comm without NUL",
       [](tzu_event* e) { std::memset(e->subject.comm, 'a', TZU_COMM_LEN); },
       TZU_E_BAD_FIELD},
      {"name without NUL",
       [](tzu_event* e) { std::memset(e->object.name, 'a', TZU_NAME_LEN); },
       TZU_E_BAD_FIELD},
  };
  for (const Case& c : cases) {
    tzu_event ev = event(TZU_HOOK_FILE_MPROTECT, 100);
    c.mutate(&ev);
    const SmcResult r = decide(ev);
    EXPECT_EQ(r.r[0], c.want) << c.what;
    EXPECT_EQ(r.r[1] & 0xFF, TZU_VERDICT_DENY) << c.what;
    const tzu_decision d = slot_decision();
    EXPECT_EQ(d.hdr.status, c.want) << c.what;
    EXPECT_EQ(d.verdict, TZU_VERDICT_DENY) << c.what;
  }
  // A malformed event is an error, never a decision.
  EXPECT_EQ(stats().decisions, 0u);
}

TEST_F(MonitorTest, YieldingOffsetsAndLengths) {
  tzu_set_mode_req m = mode_req(TZU_MODE_ENFORCE, open_session());
  authorize(&m, TZU_CMD_SET_MODE);
  std::memcpy(window_.data() + kReqOff, &m, sizeof(m));
  std::memcpy(window_.data(), &m, sizeof(m));
  const std::uint32_t y = TZU_SMC_YIELD(TZU_CMD_SET_MODE);
  const std::uint32_t end = PLAT_SHM_SIZE;
  struct Case {
    std::uint32_t req_off, req_len, rsp_off, rsp_cap, want;
  };
  const Case cases[] = {
      {0, sizeof(m), kRspOff, 64, TZU_E_BAD_OFFSET},           // slot area
      {kReqOff - 8, sizeof(m), kRspOff, 64, TZU_E_BAD_OFFSET},  // straddles
      {end - 8, sizeof(m), kRspOff, 64, TZU_E_BAD_OFFSET},     // past the end
      {end, 1, kRspOff, 64, TZU_E_BAD_OFFSET},
      {0xFFFFFFF0u, 0x20, kRspOff, 64, TZU_E_BAD_OFFSET},      // wraps
      {kReqOff, 0xFFFFFFF0u, kRspOff, 64, TZU_E_BAD_OFFSET},
      {kReqOff, sizeof(m), kReqOff + 8, 64, TZU_E_BAD_OFFSET},  // overlap
      {kReqOff, sizeof(m), kReqOff, 64, TZU_E_BAD_OFFSET},
      {kReqOff, sizeof(m), 512, 64, TZU_E_BAD_OFFSET},          // rsp in slots
      {kReqOff, sizeof(m), end - 8, 64, TZU_E_BAD_OFFSET},
      {kReqOff, sizeof(m), kRspOff, 15, TZU_E_BAD_SIZE},       // no room
      {kReqOff, 8, kRspOff, 64, TZU_E_BAD_SIZE},               // < header
      {kReqOff, 0, kRspOff, 64, TZU_E_BAD_SIZE},
      {kReqOff, sizeof(m) + 8, kRspOff, 64, TZU_E_BAD_SIZE},   // != hdr.size
  };
  for (const Case& c : cases) {
    const SmcResult r = smc(y, c.req_off, c.req_len, c.rsp_off, c.rsp_cap);
    EXPECT_EQ(r.r[0], c.want) << c.req_off << "+" << c.req_len << " -> "
                              << c.rsp_off << "+" << c.rsp_cap;
  }
  // Bigger than the secure staging buffer.
  EXPECT_EQ(smc(y, kReqOff, 0x70000, kRspOff, 64).r[0], TZU_E_BAD_SIZE);
  EXPECT_EQ(smc(y, kReqOff, sizeof(m), kRspOff, 64).r[0], TZU_OK);
}

TEST_F(MonitorTest, OffsetErrorsWriteNothing) {
  std::vector<std::uint8_t> before = window_;
  smc(TZU_SMC_YIELD(TZU_CMD_GET_STATS), 0, 16, 0, 256);
  smc(TZU_SMC_YIELD(TZU_CMD_GET_STATS), kReqOff, 16, PLAT_SHM_SIZE - 8, 256);
  EXPECT_EQ(before, window_);
}

TEST_F(MonitorTest, HeaderErrorsGetAnErrorHeader) {
  tzu_set_mode_req m = mode_req(TZU_MODE_PERMISSIVE, open_session());
  struct Case {
    void (*mutate)(tzu_set_mode_req*);
    std::uint32_t want;
  };
  const Case cases[] = {
      {[](tzu_set_mode_req* q) { q->hdr.magic = 0x54555a43; }, TZU_E_BAD_MAGIC},
      {[](tzu_set_mode_req* q) { q->hdr.version = 0; }, TZU_E_BAD_VERSION},
      {[](tzu_set_mode_req* q) { q->hdr.command = TZU_CMD_OPEN_SESSION; },
       TZU_E_BAD_COMMAND},
      {[](tzu_set_mode_req* q) { q->hdr.status = 1; }, TZU_E_BAD_FIELD},
      {[](tzu_set_mode_req* q) { q->session += 77; }, TZU_E_BAD_SESSION},
      {[](tzu_set_mode_req* q) { q->mode = 2; }, TZU_E_BAD_FIELD},
  };
  for (const Case& c : cases) {
    tzu_set_mode_req q = m;
    c.mutate(&q);
    authorize(&q, TZU_CMD_SET_MODE);  // framing errors come first anyway
    const SmcResult r = call(TZU_CMD_SET_MODE, q);
    EXPECT_EQ(r.r[0], c.want);
    EXPECT_EQ(r.r[1], sizeof(tzu_hdr));
    const tzu_hdr h = response<tzu_hdr>();
    EXPECT_EQ(h.magic, TZU_MAGIC);
    EXPECT_EQ(h.status, c.want);
    EXPECT_EQ(h.command, TZU_CMD_SET_MODE);
  }
  EXPECT_EQ(engine_.mode(), TZU_MODE_ENFORCE);
}

TEST_F(MonitorTest, WrongSizeForTheCommand) {
  // A well-formed header whose size does not match the command's message.
  std::uint8_t buf[40] = {};
  const tzu_hdr h = hdr(TZU_CMD_SET_MODE, sizeof(buf));
  std::memcpy(buf, &h, sizeof(h));
  EXPECT_EQ(call(TZU_CMD_SET_MODE, buf).r[0], TZU_E_BAD_SIZE);
  const tzu_hdr s = hdr(TZU_CMD_CLOSE_SESSION, sizeof(tzu_hdr));
  EXPECT_EQ(call(TZU_CMD_CLOSE_SESSION, s).r[0], TZU_E_BAD_SIZE);
}

TEST_F(MonitorTest, SmallResponseBufferHasNoSideEffect) {
  tzu_open_session_req req{};
  req.hdr = hdr(TZU_CMD_OPEN_SESSION, sizeof(req));
  req.client_kind = TZU_CLIENT_USER;
  EXPECT_EQ(call(TZU_CMD_OPEN_SESSION, req, sizeof(req), 24).r[0],
            TZU_E_BAD_SIZE);
  EXPECT_EQ(disp_.clients().live(), 0u);
  const SmcResult r = call(TZU_CMD_OPEN_SESSION, req, sizeof(req), 40);
  EXPECT_EQ(r.r[0], TZU_OK);
  EXPECT_EQ(r.r[1], sizeof(tzu_open_session_rsp));
  const auto rsp = response<tzu_open_session_rsp>();
  EXPECT_EQ(rsp.hdr.size, sizeof(rsp));
  EXPECT_EQ(rsp.slot_size, TZU_SLOT_SIZE);
  EXPECT_EQ(rsp.nr_slots, PLAT_NR_CPUS);
  EXPECT_EQ(rsp.abi_version, TZU_ABI_VERSION);
}

TEST_F(MonitorTest, Sessions) {
  tzu_open_session_req req{};
  req.hdr = hdr(TZU_CMD_OPEN_SESSION, sizeof(req));
  req.client_kind = 3;
  EXPECT_EQ(call(TZU_CMD_OPEN_SESSION, req).r[0], TZU_E_BAD_FIELD);
  for (std::uint32_t i = 0; i < monitor::ClientSessions::kMax; ++i)
    open_session();
  req.client_kind = TZU_CLIENT_USER;
  EXPECT_EQ(call(TZU_CMD_OPEN_SESSION, req).r[0], TZU_E_LIMIT);
  tzu_session_req c{};
  c.hdr = hdr(TZU_CMD_CLOSE_SESSION, sizeof(c));
  c.session = 1;
  EXPECT_EQ(call(TZU_CMD_CLOSE_SESSION, c).r[0], TZU_OK);
  EXPECT_EQ(call(TZU_CMD_CLOSE_SESSION, c).r[0], TZU_E_BAD_SESSION);
  EXPECT_EQ(call(TZU_CMD_OPEN_SESSION, req).r[0], TZU_OK);
}

TEST_F(MonitorTest, LoadPolicyAndDecide) {
  const std::uint32_t s = open_session();
  SmcResult r = load(s, policy(2));
  ASSERT_EQ(r.r[0], TZU_OK);
  const auto rsp = response<tzu_load_policy_rsp>();
  EXPECT_EQ(r.r[1], sizeof(rsp));
  EXPECT_EQ(rsp.policy_version, 2u);
  EXPECT_EQ(rsp.n_rules, 1u);
  EXPECT_EQ(rsp.epoch, 1u);
  EXPECT_TRUE(rsp.interest_mask & (1u << TZU_HOOK_FILE_MPROTECT));
  r = decide(event(TZU_HOOK_FILE_MPROTECT, kDenyTgid));
  EXPECT_EQ(r.r[0], TZU_OK);
  EXPECT_EQ(r.r[1] & 0xFF, TZU_VERDICT_DENY);
  EXPECT_EQ(r.r[2], slot_decision().obligations);
  EXPECT_TRUE(r.r[2] & TZU_OBL_AUDIT);
  EXPECT_EQ(r.r[3], kDenyRule);
  r = decide(event(TZU_HOOK_FILE_MPROTECT, 100));
  EXPECT_EQ(r.r[1] & 0xFF, TZU_VERDICT_ALLOW);
  EXPECT_TRUE((r.r[1] >> 8) & TZU_DF_DEFAULT);
}

// The cache epoch the kernel reads with one load (docs/kernel.md, "Decision
// cache"): published in the window after every call that moved it, and in
// the decisions, equal to the engine's.
TEST_F(MonitorTest, PublishesTheCacheEpoch) {
  auto published = [this](std::uint32_t hook = TZU_HOOK_COUNT) {
    tzu_shared_state st;
    std::memcpy(&st, window_.data() + TZU_SHM_STATE_OFFSET, sizeof(st));
    EXPECT_EQ(st.magic, TZU_STATE_MAGIC);
    EXPECT_EQ(st.epoch, engine_.epoch());
    for (std::uint32_t h = 0; h < TZU_HOOK_COUNT; ++h)
      EXPECT_EQ(st.hook_epoch[h], engine_.cache_epoch(h)) << "hook " << h;
    return hook < TZU_HOOK_COUNT ? st.hook_epoch[hook] : st.cache_epoch;
  };
  const std::uint32_t s = open_session();
  const std::uint32_t e0 = published();
  EXPECT_EQ(e0, engine_.cache_epoch());
  EXPECT_NE(e0, 0u);
  ASSERT_EQ(load(s, policy(2)).r[0], TZU_OK);
  const std::uint32_t e1 = published();
  EXPECT_NE(e1, e0) << "a policy load moves it";
  const std::uint32_t h1 = published(TZU_HOOK_FILE_MPROTECT);
  EXPECT_NE(h1, 0u);
  decide(event(TZU_HOOK_FILE_MPROTECT, 100));
  EXPECT_EQ(slot_decision().cache_epoch, h1) << "the hook's epoch";
  EXPECT_EQ(published(), e1) << "a decision that changes nothing leaves it";
  EXPECT_EQ(published(TZU_HOOK_FILE_MPROTECT), h1);
  tzu_set_mode_req m = mode_req(TZU_MODE_PERMISSIVE, s);
  authorize(&m, TZU_CMD_SET_MODE);
  ASSERT_EQ(call(TZU_CMD_SET_MODE, m).r[0], TZU_OK);
  EXPECT_NE(published(), e1) << "a mode change moves it";
  EXPECT_NE(published(TZU_HOOK_FILE_MPROTECT), h1) << "for every hook";
  EXPECT_EQ(published(), engine_.cache_epoch());
  // The normal world may overwrite it: nothing here reads it back, the
  // next change publishes again.
  std::memset(window_.data() + TZU_SHM_STATE_OFFSET, 0, sizeof(tzu_shared_state));
  decide(event(TZU_HOOK_FILE_MPROTECT, 100));
  EXPECT_EQ(published(), engine_.cache_epoch())
      << "a call that moves nothing rewrites every entry (from the secure copy)";
  std::memset(window_.data() + TZU_SHM_STATE_OFFSET, 0xff, sizeof(tzu_shared_state));
  m = mode_req(TZU_MODE_ENFORCE, s);
  authorize(&m, TZU_CMD_SET_MODE);
  ASSERT_EQ(call(TZU_CMD_SET_MODE, m).r[0], TZU_OK);
  EXPECT_EQ(published(), engine_.cache_epoch());
}

TEST_F(MonitorTest, RejectedBlobsLeaveThePolicy) {
  const std::uint32_t s = open_session();
  ASSERT_EQ(load(s, policy(2)).r[0], TZU_OK);
  std::vector<std::uint8_t> bad = policy(3);
  bad.back() ^= 1;  // signature changed
  EXPECT_EQ(load(s, bad).r[0], TZU_E_AUTH);
  bad = policy(3);
  bad[20] ^= 1;  // body changed after signing
  EXPECT_EQ(load(s, bad).r[0], TZU_E_AUTH);
  std::vector<std::uint8_t> other_key(32, 0x11);
  EXPECT_EQ(load(s, test_policy(3, other_key, world_.device_id())).r[0],
            TZU_E_AUTH);
  EXPECT_EQ(load(s, policy(1)).r[0], TZU_E_ROLLBACK);
  bad = policy(3);
  bad.resize(bad.size() - 8);  // truncated
  EXPECT_NE(load(s, bad).r[0], TZU_OK);
  bad.resize(40);  // shorter than a blob header
  EXPECT_NE(load(s, bad).r[0], TZU_OK);
  const tzu_stats st = stats();
  EXPECT_EQ(st.policy_version, 2u);
  EXPECT_EQ(st.epoch, 1u);
  EXPECT_EQ(st.policy_rejects, 6u);
  EXPECT_EQ(decide(event(TZU_HOOK_FILE_MPROTECT, kDenyTgid)).r[3], kDenyRule);
  // The same blob again is not a rollback.
  EXPECT_EQ(load(s, policy(2)).r[0], TZU_OK);
}

TEST_F(MonitorTest, LoadPolicyFraming) {
  const std::uint32_t s = open_session();
  const std::vector<std::uint8_t> blob = policy(2);
  EXPECT_EQ(load(s + 1, blob).r[0], TZU_E_BAD_SESSION);
  EXPECT_EQ(load(s, {}).r[0], TZU_E_BAD_SIZE);  // empty blob
  // blob_size disagreeing with the message size.
  tzu_load_policy_req req{};
  req.hdr = hdr(TZU_CMD_LOAD_POLICY, sizeof(req) + 64);
  req.session = s;
  req.blob_size = 128;
  std::memcpy(window_.data() + kReqOff, &req, sizeof(req));
  EXPECT_EQ(smc(TZU_SMC_YIELD(TZU_CMD_LOAD_POLICY), kReqOff, sizeof(req) + 64,
                kRspOff, kRspCap).r[0],
            TZU_E_BAD_SIZE);
  req.blob_size = 0xFFFFFFFFu;
  std::memcpy(window_.data() + kReqOff, &req, sizeof(req));
  EXPECT_EQ(smc(TZU_SMC_YIELD(TZU_CMD_LOAD_POLICY), kReqOff, sizeof(req) + 64,
                kRspOff, kRspCap).r[0],
            TZU_E_BAD_SIZE);
  EXPECT_EQ(stats().policy_version, 0u);
}

// The request is parsed from the secure copy only: changing the window after
// the call cannot change what was decided (the copy is taken once, first).
TEST_F(MonitorTest, EventIsCopiedBeforeParsing) {
  const std::uint32_t s = open_session();
  ASSERT_EQ(load(s, policy(2)).r[0], TZU_OK);
  const SmcResult r = decide(event(TZU_HOOK_FILE_MPROTECT, kDenyTgid));
  const tzu_decision d = slot_decision();
  EXPECT_EQ(d.verdict, TZU_VERDICT_DENY);
  EXPECT_EQ(r.r[1] & 0xFF, d.verdict);
  EXPECT_EQ(r.r[3], d.rule_id);
}

TEST_F(MonitorTest, ModeAndAudit) {
  const std::uint32_t s = open_session();
  ASSERT_EQ(load(s, policy(2)).r[0], TZU_OK);
  tzu_set_mode_req m = mode_req(TZU_MODE_PERMISSIVE, s);
  authorize(&m, TZU_CMD_SET_MODE);
  ASSERT_EQ(call(TZU_CMD_SET_MODE, m).r[0], TZU_OK);
  SmcResult r = decide(event(TZU_HOOK_FILE_MPROTECT, kDenyTgid));
  EXPECT_EQ(r.r[1] & 0xFF, TZU_VERDICT_ALLOW);
  EXPECT_TRUE((r.r[1] >> 8) & TZU_DF_WOULD_DENY);
  for (int i = 0; i < 3; ++i) decide(event(TZU_HOOK_FILE_MPROTECT, kDenyTgid));
  tzu_read_audit_req a{};
  a.hdr = hdr(TZU_CMD_READ_AUDIT, sizeof(a));
  a.session = s;
  a.max_records = 100;
  // Room for two records only: the response is cut to fit.
  const std::uint32_t cap =
      sizeof(tzu_read_audit_rsp) + 2 * sizeof(tzu_audit_record) + 50;
  r = call(TZU_CMD_READ_AUDIT, a, sizeof(a), cap);
  ASSERT_EQ(r.r[0], TZU_OK);
  auto rsp = response<tzu_read_audit_rsp>();
  EXPECT_EQ(rsp.n_records, 2u);
  EXPECT_EQ(r.r[1], sizeof(rsp) + 2 * sizeof(tzu_audit_record));
  // POLICY_LOAD and MODE records, then the four decisions.
  EXPECT_EQ(rsp.next_index, 6u);
  EXPECT_EQ(rsp.first_index, 0u);
  std::vector<tzu_audit_record> recs(2);
  std::memcpy(recs.data(), window_.data() + kRspOff + sizeof(rsp),
              2 * sizeof(tzu_audit_record));
  EXPECT_TRUE(ucon::AuditLog::verify(rsp.anchor, recs.data(), 2));
  EXPECT_EQ(call(TZU_CMD_READ_AUDIT, a, sizeof(a), 79).r[0], TZU_E_BAD_SIZE);
  a.session = s + 5;
  EXPECT_EQ(call(TZU_CMD_READ_AUDIT, a).r[0], TZU_E_BAD_SESSION);
}

TEST_F(MonitorTest, UpdateAttrValidatesTheName) {
  const std::uint32_t s = open_session();
  tzu_update_attr_req u{};
  u.hdr = hdr(TZU_CMD_UPDATE_ATTR, sizeof(u));
  u.session = s;
  u.op = TZU_ATTR_OP_SET;
  std::memset(u.name, 'x', sizeof(u.name));  // no NUL
  EXPECT_EQ(call(TZU_CMD_UPDATE_ATTR, u).r[0], TZU_E_BAD_FIELD);
  std::memset(u.name, 0, sizeof(u.name));  // empty
  EXPECT_EQ(call(TZU_CMD_UPDATE_ATTR, u).r[0], TZU_E_BAD_FIELD);
  std::strcpy(u.name, "no_such_attr");
  EXPECT_EQ(call(TZU_CMD_UPDATE_ATTR, u).r[0], TZU_E_AUTH_REQUIRED);
  authorize(&u, TZU_CMD_UPDATE_ATTR);
  EXPECT_EQ(call(TZU_CMD_UPDATE_ATTR, u).r[0], TZU_E_NO_POLICY);
  u.session = s + 9;
  EXPECT_EQ(call(TZU_CMD_UPDATE_ATTR, u).r[0], TZU_E_BAD_SESSION);
}

// Without a kernel manifest nothing is measured: the check answers, and
// says so (UNKNOWN, no region, no manifest flag). The measuring cases are in
// dispatcher_integrity_test.cc.
TEST_F(MonitorTest, IntegrityCheckWithoutManifestDoesNotPretend) {
  tzu_session_req q{};
  q.hdr = hdr(TZU_CMD_INTEGRITY_CHECK, sizeof(q));
  q.session = open_session();
  SmcResult r = call(TZU_CMD_INTEGRITY_CHECK, q);
  ASSERT_EQ(r.r[0], TZU_OK);
  const auto rsp = response<tzu_integrity_status>();
  EXPECT_EQ(r.r[1], sizeof(rsp));
  EXPECT_EQ(rsp.hdr.size, sizeof(rsp));
  EXPECT_EQ(rsp.n_regions, 0u);
  EXPECT_EQ(rsp.state, TZU_INTEGRITY_UNKNOWN);
  EXPECT_EQ(rsp.flags & TZU_IS_MANIFEST, 0u);
  EXPECT_EQ(rsp.mismatches, 0u);
  q.session = 9999;
  EXPECT_EQ(call(TZU_CMD_INTEGRITY_CHECK, q).r[0], TZU_E_BAD_SESSION);
  // The old request (40 bytes) is a size error now.
  std::uint8_t old[40] = {};
  tzu_hdr h = hdr(TZU_CMD_INTEGRITY_CHECK, sizeof(old));
  std::memcpy(old, &h, sizeof(h));
  EXPECT_EQ(call(TZU_CMD_INTEGRITY_CHECK, old).r[0], TZU_E_BAD_SIZE);
}

TEST_F(MonitorTest, EndUsage) {
  tzu_end_usage_req e{};
  e.hdr = hdr(TZU_CMD_END_USAGE, sizeof(e));
  e.session = 77;  // never opened
  e.usage = 1;
  EXPECT_EQ(call(TZU_CMD_END_USAGE, e).r[0], TZU_E_BAD_SESSION);
  e.session = 0;
  e.usage = 0;
  EXPECT_EQ(call(TZU_CMD_END_USAGE, e).r[0], TZU_E_BAD_FIELD);
  e.usage = 12345;  // no such usage session
  EXPECT_EQ(call(TZU_CMD_END_USAGE, e).r[0], TZU_E_AUTH_REQUIRED);
  authorize(&e, TZU_CMD_END_USAGE);
  EXPECT_EQ(call(TZU_CMD_END_USAGE, e).r[0], TZU_E_NOT_FOUND);
}

TEST_F(MonitorTest, StatsCountMonitorRejections) {
  smc(0xB2000063u);
  smc(TZU_SMC_YIELD(TZU_CMD_GET_STATS), 0, 16, kRspOff, 256);
  decide(event(TZU_HOOK_FILE_MPROTECT, 100), 0);
  const tzu_stats st = stats();
  EXPECT_EQ(st.errors, 2u);
  EXPECT_EQ(st.decisions, 1u);
  EXPECT_EQ(st.hdr.size, sizeof(tzu_stats));
}

TEST_F(MonitorTest, FailedStateAnswersQueriesOnly) {
  const std::uint32_t s = open_session();
  disp_.set_failed();
  EXPECT_EQ(smc(TZU_SMC_CALLS_UID).r[0], TZU_UID_0);
  SmcResult r = decide(event(TZU_HOOK_FILE_MPROTECT, 100));
  EXPECT_EQ(r.r[0], TZU_E_INTERNAL);
  EXPECT_EQ(r.r[1] & 0xFF, TZU_VERDICT_DENY);
  tzu_session_req c{};
  c.hdr = hdr(TZU_CMD_CLOSE_SESSION, sizeof(c));
  c.session = s;
  EXPECT_EQ(call(TZU_CMD_CLOSE_SESSION, c).r[0], TZU_E_INTERNAL);
}

}  // namespace
}  // namespace monitor_test
