// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// dispatcher_authority_test.cc - who may change what the secure world
// enforces (issue 7, docs/threat-model.md), through the real dispatcher,
// authority, engine and a RAM state store: admin authorizations and their
// refusals, the persistent rollback floor across reboots, challenge,
// signed reports, session 0 and the client session quotas.
#include <cstddef>

#include "crypto.h"
#include "ed25519.h"
#include "monitor_fixture.h"

namespace monitor_test {
namespace {

using monitor::SmcResult;

class Authority : public MonitorTest {
 protected:
  tzu_audit_record last_record() {
    const std::uint64_t n = stats().audit_records;
    EXPECT_GT(n, 0u);
    const std::vector<tzu_audit_record> recs = audit(n ? n - 1 : 0);
    EXPECT_EQ(recs.size(), 1u);
    return recs.empty() ? tzu_audit_record{} : recs.back();
  }

  // The one helper of this suite: the call was refused with `status`, the
  // refusal was counted and is the newest audit record, and the admin
  // counter did not move.
  void expect_refused(const SmcResult& r, std::uint32_t status,
                      std::uint32_t cmd, std::uint64_t counter_before) {
    EXPECT_EQ(r.r[0], status);
    const tzu_audit_record rec = last_record();
    EXPECT_EQ(rec.hook, static_cast<std::uint32_t>(TZU_AUDIT_AUTH_REFUSED));
    EXPECT_EQ(rec.verdict, status);
    EXPECT_EQ(rec.rule_id, cmd);
    EXPECT_EQ(authority_.admin_counter(), counter_before);
  }

  tzu_update_attr_req attr_req(const char* name, std::uint64_t value) {
    tzu_update_attr_req u{};
    u.hdr = hdr(TZU_CMD_UPDATE_ATTR, sizeof(u));
    u.op = TZU_ATTR_OP_SET;
    u.value = value;
    std::strncpy(u.name, name, sizeof(u.name) - 1);
    return u;
  }
  tzu_audit_config_req config_req(std::uint32_t op, std::uint32_t value) {
    tzu_audit_config_req c{};
    c.hdr = hdr(TZU_CMD_AUDIT_CONFIG, sizeof(c));
    c.op = op;
    c.value = value;
    return c;
  }
  tzu_end_usage_req end_req(std::uint32_t usage) {
    tzu_end_usage_req e{};
    e.hdr = hdr(TZU_CMD_END_USAGE, sizeof(e));
    e.usage = usage;
    return e;
  }
  tzu_report report(const std::uint8_t nonce_byte) {
    tzu_report_req q{};
    q.hdr = hdr(TZU_CMD_GET_REPORT, sizeof(q));
    std::memset(q.nonce, nonce_byte, sizeof(q.nonce));
    const SmcResult r = call(TZU_CMD_GET_REPORT, q);
    EXPECT_EQ(r.r[0], TZU_OK);
    EXPECT_EQ(r.r[1], sizeof(tzu_report));
    return response<tzu_report>();
  }
  bool report_verifies(const tzu_report& rep) const {
    const auto* body = reinterpret_cast<const std::uint8_t*>(&rep) + sizeof(tzu_hdr);
    return ucon::ed25519_verify(world_.keys.device_pub, body,
                                offsetof(tzu_report, signature) - sizeof(tzu_hdr),
                                rep.signature);
  }
};

TEST_F(Authority, AdminCommandsWithoutAuthorizationAreRefused) {
  ASSERT_EQ(load(0, policy(2)).r[0], TZU_OK);
  expect_refused(call(TZU_CMD_SET_MODE, mode_req(TZU_MODE_PERMISSIVE)),
                 TZU_E_AUTH_REQUIRED, TZU_CMD_SET_MODE, 0);
  expect_refused(call(TZU_CMD_UPDATE_ATTR, attr_req("x", 1)),
                 TZU_E_AUTH_REQUIRED, TZU_CMD_UPDATE_ATTR, 0);
  expect_refused(call(TZU_CMD_END_USAGE, end_req(1)), TZU_E_AUTH_REQUIRED,
                 TZU_CMD_END_USAGE, 0);
  expect_refused(call(TZU_CMD_AUDIT_CONFIG,
                      config_req(TZU_AUDIT_OP_SET_OVERFLOW,
                                 TZU_AUDIT_OVERFLOW_DROP_OLDEST)),
                 TZU_E_AUTH_REQUIRED, TZU_CMD_AUDIT_CONFIG, 0);
  const tzu_stats st = stats();
  EXPECT_EQ(st.auth_failures, 4u);
  EXPECT_EQ(st.mode, TZU_MODE_ENFORCE);
  EXPECT_EQ(disp_.auth_failures(), 4u);
  EXPECT_EQ(decide(event(TZU_HOOK_FILE_MPROTECT, kDenyTgid)).r[1] & 0xFF,
            TZU_VERDICT_DENY);
}

TEST_F(Authority, BadSignatureOrWrongKeyIsRefused) {
  tzu_set_mode_req m = mode_req(TZU_MODE_PERMISSIVE);
  authorize(&m, TZU_CMD_SET_MODE);
  tzu_set_mode_req flipped = m;
  flipped.auth.signature[5] ^= 0x20;
  expect_refused(call(TZU_CMD_SET_MODE, flipped), TZU_E_AUTH, TZU_CMD_SET_MODE, 0);
  tzu_set_mode_req other = mode_req(TZU_MODE_PERMISSIVE);
  authorize(&other, TZU_CMD_SET_MODE, std::vector<std::uint8_t>(32, 0x77));
  expect_refused(call(TZU_CMD_SET_MODE, other), TZU_E_AUTH, TZU_CMD_SET_MODE, 0);
  // The policy key is not the admin key.
  tzu_set_mode_req policy_key = mode_req(TZU_MODE_PERMISSIVE);
  authorize(&policy_key, TZU_CMD_SET_MODE, ucon_test::kTestKey);
  expect_refused(call(TZU_CMD_SET_MODE, policy_key), TZU_E_AUTH,
                 TZU_CMD_SET_MODE, 0);
  // A valid signature for another command.
  tzu_set_mode_req cmd = mode_req(TZU_MODE_PERMISSIVE);
  authorize(&cmd, TZU_CMD_AUDIT_CONFIG);
  expect_refused(call(TZU_CMD_SET_MODE, cmd), TZU_E_AUTH, TZU_CMD_SET_MODE, 0);
  tzu_set_mode_req magic = m;
  magic.auth.magic ^= 1;
  expect_refused(call(TZU_CMD_SET_MODE, magic), TZU_E_AUTH, TZU_CMD_SET_MODE, 0);
  EXPECT_EQ(engine_.mode(), TZU_MODE_ENFORCE);
  // The untouched token still works (nothing above consumed the counter).
  EXPECT_EQ(call(TZU_CMD_SET_MODE, m).r[0], TZU_OK);
  EXPECT_EQ(engine_.mode(), TZU_MODE_PERMISSIVE);
  EXPECT_EQ(authority_.admin_counter(), 1u);
}

TEST_F(Authority, ArgumentsOtherThanTheSignedOnesAreRefused) {
  tzu_set_mode_req m = mode_req(TZU_MODE_PERMISSIVE);
  authorize(&m, TZU_CMD_SET_MODE);
  m.mode = TZU_MODE_ENFORCE;
  expect_refused(call(TZU_CMD_SET_MODE, m), TZU_E_AUTH, TZU_CMD_SET_MODE, 0);
  tzu_set_mode_req p = mode_req(TZU_MODE_ENFORCE);
  authorize(&p, TZU_CMD_SET_MODE);
  p.mode = TZU_MODE_PERMISSIVE;  // the attacker's edit
  expect_refused(call(TZU_CMD_SET_MODE, p), TZU_E_AUTH, TZU_CMD_SET_MODE, 0);
  tzu_update_attr_req u = attr_req("jit_allowed", 0);
  authorize(&u, TZU_CMD_UPDATE_ATTR);
  u.value = 1;
  expect_refused(call(TZU_CMD_UPDATE_ATTR, u), TZU_E_AUTH, TZU_CMD_UPDATE_ATTR, 0);
  EXPECT_EQ(engine_.mode(), TZU_MODE_ENFORCE);
}

TEST_F(Authority, AuthorizationForAnotherDeviceIsRefused) {
  tzu_set_mode_req m = mode_req(TZU_MODE_PERMISSIVE);
  const tzu_challenge_rsp c = challenge();
  std::uint8_t other[TZU_DEVICE_ID_LEN];
  std::memcpy(other, c.device_id, sizeof(other));
  other[0] ^= 0x80;
  authorize_with(&m, TZU_CMD_SET_MODE, other, c.nonce, c.next_counter);
  expect_refused(call(TZU_CMD_SET_MODE, m), TZU_E_WRONG_DEVICE,
                 TZU_CMD_SET_MODE, 0);
  EXPECT_EQ(engine_.mode(), TZU_MODE_ENFORCE);
}

TEST_F(Authority, ReplayedTokenIsRefused) {
  tzu_set_mode_req m = mode_req(TZU_MODE_PERMISSIVE);
  authorize(&m, TZU_CMD_SET_MODE);
  ASSERT_EQ(call(TZU_CMD_SET_MODE, m).r[0], TZU_OK);
  EXPECT_EQ(store_.st_.admin_counter, 1u) << "consumed durably";
  tzu_set_mode_req back = mode_req(TZU_MODE_ENFORCE);
  authorize(&back, TZU_CMD_SET_MODE);
  ASSERT_EQ(call(TZU_CMD_SET_MODE, back).r[0], TZU_OK);
  expect_refused(call(TZU_CMD_SET_MODE, m), TZU_E_REPLAY, TZU_CMD_SET_MODE, 2);
  EXPECT_EQ(engine_.mode(), TZU_MODE_ENFORCE);
  // A counter from the future is no better.
  const tzu_challenge_rsp c = challenge();
  tzu_set_mode_req ahead = mode_req(TZU_MODE_PERMISSIVE);
  authorize_with(&ahead, TZU_CMD_SET_MODE, c.device_id, c.nonce,
                 c.next_counter + 1);
  expect_refused(call(TZU_CMD_SET_MODE, ahead), TZU_E_REPLAY, TZU_CMD_SET_MODE, 2);
}

TEST_F(Authority, TokenFromAnEarlierBootIsRefused) {
  tzu_set_mode_req m = mode_req(TZU_MODE_PERMISSIVE);
  authorize(&m, TZU_CMD_SET_MODE);  // issued, never used
  const tzu_challenge_rsp before = challenge();
  reboot();
  const tzu_challenge_rsp after = challenge();
  EXPECT_EQ(after.boot_counter, before.boot_counter + 1);
  EXPECT_EQ(after.next_counter, before.next_counter);
  EXPECT_NE(std::memcmp(after.nonce, before.nonce, TZU_NONCE_LEN), 0);
  expect_refused(call(TZU_CMD_SET_MODE, m), TZU_E_REPLAY, TZU_CMD_SET_MODE, 0);
  EXPECT_EQ(engine_.mode(), TZU_MODE_ENFORCE);
}

TEST_F(Authority, StorageFailureRefusesAndChangesNothing) {
  tzu_set_mode_req m = mode_req(TZU_MODE_PERMISSIVE);
  authorize(&m, TZU_CMD_SET_MODE);
  store_.fail_saves_ = true;
  expect_refused(call(TZU_CMD_SET_MODE, m), TZU_E_STORAGE, TZU_CMD_SET_MODE, 0);
  EXPECT_EQ(engine_.mode(), TZU_MODE_ENFORCE);
  EXPECT_EQ(store_.st_.admin_counter, 0u);
  // Fail closed until the next boot, even once the medium works again.
  store_.fail_saves_ = false;
  expect_refused(call(TZU_CMD_SET_MODE, m), TZU_E_STORAGE, TZU_CMD_SET_MODE, 0);
  EXPECT_EQ(stats().storage_state, TZU_STORAGE_UNAVAILABLE);
  EXPECT_EQ(load(0, policy(2)).r[0], TZU_E_STORAGE);
}

TEST_F(Authority, TamperedStorageAtBootFailsClosed) {
  store_.state_ = TZU_STORAGE_TAMPERED;
  reboot();
  EXPECT_FALSE(authority_.storage_usable());
  EXPECT_EQ(load(0, policy(2)).r[0], TZU_E_STORAGE);
  EXPECT_EQ(stats().policy_version, 0u);
  // Even a token signed for this very boot (its nonce read from the secure
  // world's memory, since GET_CHALLENGE refuses below) is refused.
  tzu_set_mode_req m = mode_req(TZU_MODE_PERMISSIVE);
  authorize_with(&m, TZU_CMD_SET_MODE, authority_.device_id(), authority_.nonce(),
                 authority_.admin_counter());
  expect_refused(call(TZU_CMD_SET_MODE, m), TZU_E_STORAGE, TZU_CMD_SET_MODE, 0);
  EXPECT_EQ(stats().storage_state, TZU_STORAGE_TAMPERED);
  // No nonce either: a token made in a boot whose counter could not be
  // persisted might otherwise be valid in the next boot (same counter).
  tzu_session_req q{};
  q.hdr = hdr(TZU_CMD_GET_CHALLENGE, sizeof(q));
  EXPECT_EQ(call(TZU_CMD_GET_CHALLENGE, q).r[0], TZU_E_STORAGE);
}

TEST_F(Authority, LoadPolicyPersistsTheFloorBeforeTheSwap) {
  ASSERT_EQ(load(0, policy(2)).r[0], TZU_OK);
  const auto rsp = response<tzu_load_policy_rsp>();
  EXPECT_EQ(store_.st_.floor_set, 1u);
  EXPECT_EQ(store_.st_.floor_version, 2u);
  const std::vector<std::uint8_t> v2 = policy(2);
  std::uint8_t digest[32];
  ucon::sha256(v2.data(), v2.size(), digest);
  EXPECT_EQ(std::memcmp(store_.st_.floor_digest, digest, 32), 0);
  EXPECT_EQ(std::memcmp(rsp.policy_sha256, digest, 32), 0);
  const tzu_audit_record rec = last_record();
  EXPECT_EQ(rec.hook, static_cast<std::uint32_t>(TZU_AUDIT_POLICY_LOAD));
  EXPECT_EQ(rec.verdict, TZU_OK);
  EXPECT_EQ(rec.event_seq, 2u);

  store_.fail_saves_ = true;
  EXPECT_EQ(load(0, policy(3)).r[0], TZU_E_STORAGE);
  const tzu_stats st = stats();
  EXPECT_EQ(st.policy_version, 2u) << "the old policy stays active";
  EXPECT_EQ(st.epoch, 1u);
  EXPECT_EQ(st.rollback_floor, 2u);
  EXPECT_EQ(store_.st_.floor_version, 2u);
  const tzu_audit_record refused = last_record();
  EXPECT_EQ(refused.hook, static_cast<std::uint32_t>(TZU_AUDIT_POLICY_LOAD));
  EXPECT_EQ(refused.verdict, TZU_E_STORAGE);
  EXPECT_EQ(decide(event(TZU_HOOK_FILE_MPROTECT, kDenyTgid)).r[3], kDenyRule);
}

TEST_F(Authority, RebootKeepsRefusingOlderBlobs) {
  ASSERT_EQ(load(0, policy(2)).r[0], TZU_OK);
  ASSERT_EQ(load(0, policy(3)).r[0], TZU_OK);
  reboot();
  EXPECT_EQ(stats().policy_version, 0u) << "no policy survives a reboot";
  EXPECT_EQ(stats().rollback_floor, 3u) << "the floor does";
  EXPECT_EQ(load(0, policy(2)).r[0], TZU_E_ROLLBACK);
  ucon_test::BlobBuilder b;  // another blob with the floor's version
  b.version = 3;
  b.device_id = world_.device_id();
  b.rule(1, TZU_HOOK_FILE_MPROTECT, ucon::kEffectPermit);
  EXPECT_EQ(load(0, b.build()).r[0], TZU_E_ROLLBACK);
  EXPECT_EQ(load(0, policy(3)).r[0], TZU_OK) << "the accepted blob itself";
  reboot();
  EXPECT_EQ(load(0, policy(2)).r[0], TZU_E_ROLLBACK);
}

TEST_F(Authority, ChallengeTellsNonceCounterAndDevice) {
  const tzu_challenge_rsp c = challenge();
  EXPECT_EQ(c.hdr.size, sizeof(tzu_challenge_rsp));
  EXPECT_EQ(std::memcmp(c.device_id, world_.keys.device_id, TZU_DEVICE_ID_LEN), 0);
  EXPECT_EQ(std::memcmp(c.nonce, authority_.nonce(), TZU_NONCE_LEN), 0);
  EXPECT_EQ(c.boot_counter, 1u);
  EXPECT_EQ(c.next_counter, 0u);
  tzu_audit_config_req r = config_req(TZU_AUDIT_OP_RESET_COUNTERS, 0);
  authorize(&r, TZU_CMD_AUDIT_CONFIG);
  ASSERT_EQ(call(TZU_CMD_AUDIT_CONFIG, r).r[0], TZU_OK);
  EXPECT_EQ(challenge().next_counter, 1u);
  EXPECT_EQ(stats().admin_counter, 1u);
  tzu_session_req q{};
  q.hdr = hdr(TZU_CMD_GET_CHALLENGE, sizeof(q));
  q.session = 99;
  EXPECT_EQ(call(TZU_CMD_GET_CHALLENGE, q).r[0], TZU_E_BAD_SESSION);
}

TEST_F(Authority, ReportIsSignedOverNonceAndAuditHead) {
  ASSERT_EQ(load(0, policy(2)).r[0], TZU_OK);
  const auto lrsp = response<tzu_load_policy_rsp>();
  decide(event(TZU_HOOK_FILE_MPROTECT, kDenyTgid));  // audited
  const tzu_report rep = report(0x42);
  EXPECT_TRUE(report_verifies(rep));
  EXPECT_EQ(rep.magic, TZU_REPORT_MAGIC);
  EXPECT_EQ(rep.version, TZU_REPORT_VERSION);
  for (std::uint8_t b : rep.nonce) EXPECT_EQ(b, 0x42);
  EXPECT_EQ(std::memcmp(rep.device_id, world_.keys.device_id, TZU_DEVICE_ID_LEN), 0);
  EXPECT_EQ(std::memcmp(rep.policy_sha256, lrsp.policy_sha256, 32), 0);
  EXPECT_EQ(rep.policy_version, 2u);
  EXPECT_EQ(rep.rollback_floor, 2u);
  EXPECT_EQ(rep.boot_counter, 1u);
  EXPECT_EQ(rep.mode, TZU_MODE_ENFORCE);
  EXPECT_EQ(rep.storage_state, TZU_STORAGE_FRESH) << "first boot";
  const tzu_audit_record last = last_record();
  EXPECT_EQ(rep.audit_next_index, last.index + 1);
  EXPECT_EQ(std::memcmp(rep.audit_head, last.hash, 32), 0);
  EXPECT_EQ(rep.denied, 1u);
  // Every signed field counts: the nonce, the audit head, the mode.
  tzu_report t = rep;
  t.nonce[31] ^= 1;
  EXPECT_FALSE(report_verifies(t));
  t = rep;
  t.audit_head[0] ^= 1;
  EXPECT_FALSE(report_verifies(t));
  t = rep;
  t.mode = TZU_MODE_PERMISSIVE;
  EXPECT_FALSE(report_verifies(t));
  t = rep;
  t.hdr.status = 99;  // the header is outside the signature
  EXPECT_TRUE(report_verifies(t));
  // Another nonce, another signature.
  const tzu_report rep2 = report(0x43);
  EXPECT_TRUE(report_verifies(rep2));
  EXPECT_NE(std::memcmp(rep.signature, rep2.signature, 64), 0);
  reboot();
  const tzu_report rep3 = report(0x44);
  EXPECT_TRUE(report_verifies(rep3));
  EXPECT_EQ(rep3.boot_counter, 2u);
  EXPECT_EQ(rep3.storage_state, TZU_STORAGE_OK);
  EXPECT_EQ(rep3.policy_version, 0u);
  EXPECT_EQ(rep3.rollback_floor, 2u);
}

TEST_F(Authority, SessionZeroIsAcceptedBogusSessionIsNot) {
  EXPECT_EQ(load(0, policy(2)).r[0], TZU_OK);
  tzu_read_audit_req a{};
  a.hdr = hdr(TZU_CMD_READ_AUDIT, sizeof(a));
  a.max_records = 1;
  EXPECT_EQ(call(TZU_CMD_READ_AUDIT, a).r[0], TZU_OK);
  a.session = 0xdead;
  EXPECT_EQ(call(TZU_CMD_READ_AUDIT, a).r[0], TZU_E_BAD_SESSION);
  tzu_session_req q{};
  q.hdr = hdr(TZU_CMD_INTEGRITY_CHECK, sizeof(q));
  EXPECT_EQ(call(TZU_CMD_INTEGRITY_CHECK, q).r[0], TZU_OK);
  q.session = 0xdead;
  EXPECT_EQ(call(TZU_CMD_INTEGRITY_CHECK, q).r[0], TZU_E_BAD_SESSION);
  tzu_report_req rq{};
  rq.hdr = hdr(TZU_CMD_GET_REPORT, sizeof(rq));
  rq.session = 0xdead;
  EXPECT_EQ(call(TZU_CMD_GET_REPORT, rq).r[0], TZU_E_BAD_SESSION);
  EXPECT_EQ(load(0xdead, policy(3)).r[0], TZU_E_BAD_SESSION);
  tzu_set_mode_req m = mode_req(TZU_MODE_PERMISSIVE, 0xdead);
  authorize(&m, TZU_CMD_SET_MODE);
  EXPECT_EQ(call(TZU_CMD_SET_MODE, m).r[0], TZU_E_BAD_SESSION);
  EXPECT_EQ(authority_.admin_counter(), 0u) << "framing before authority";
  m.session = 0;
  EXPECT_EQ(call(TZU_CMD_SET_MODE, m).r[0], TZU_OK);
  // A closed session is bogus too.
  const std::uint32_t s = open_session(TZU_CLIENT_USER);
  tzu_session_req c{};
  c.hdr = hdr(TZU_CMD_CLOSE_SESSION, sizeof(c));
  c.session = s;
  ASSERT_EQ(call(TZU_CMD_CLOSE_SESSION, c).r[0], TZU_OK);
  a.session = s;
  EXPECT_EQ(call(TZU_CMD_READ_AUDIT, a).r[0], TZU_E_BAD_SESSION);
  c.session = 0;
  EXPECT_EQ(call(TZU_CMD_CLOSE_SESSION, c).r[0], TZU_E_BAD_SESSION);
}

// abi/tzucon_abi.h: GET_STATS [in] tzu_hdr or tzu_session_req.
TEST_F(Authority, GetStatsAcceptsASessionRequest) {
  tzu_session_req q{};
  q.hdr = hdr(TZU_CMD_GET_STATS, sizeof(q));
  const SmcResult r = call(TZU_CMD_GET_STATS, q);
  EXPECT_EQ(r.r[0], TZU_OK);
  EXPECT_EQ(r.r[1], sizeof(tzu_stats));
}

// User clients cannot take the entries reserved for kernel clients, so 15
// /dev/tee0 sessions no longer lock the kernel (and the owner) out.
TEST_F(Authority, UserClientsCannotTakeTheKernelReserve) {
  constexpr std::uint32_t kUser =
      monitor::ClientSessions::kMax - monitor::ClientSessions::kKernelReserve;
  tzu_open_session_req req{};
  req.hdr = hdr(TZU_CMD_OPEN_SESSION, sizeof(req));
  req.client_kind = TZU_CLIENT_USER;
  for (std::uint32_t i = 0; i < kUser; ++i)
    ASSERT_EQ(call(TZU_CMD_OPEN_SESSION, req).r[0], TZU_OK) << i;
  EXPECT_EQ(call(TZU_CMD_OPEN_SESSION, req).r[0], TZU_E_LIMIT);
  for (std::uint32_t i = 0; i < monitor::ClientSessions::kKernelReserve; ++i)
    EXPECT_NE(open_session(TZU_CLIENT_KERNEL), 0u);
  req.client_kind = TZU_CLIENT_KERNEL;
  EXPECT_EQ(call(TZU_CMD_OPEN_SESSION, req).r[0], TZU_E_LIMIT);
  const tzu_stats st = stats();
  EXPECT_EQ(st.client_sessions, monitor::ClientSessions::kMax);
  // Exhaustion is an error, not a lock-out: session 0 still works.
  EXPECT_EQ(challenge().boot_counter, 1u);
}

TEST_F(Authority, UpdateAttrReachesOnlyAdminAttributes) {
  ucon_test::BlobBuilder b;
  b.version = 2;
  b.device_id = world_.device_id();
  const std::uint32_t jit = b.attr("jit_allowed", TZU_ATTR_SCOPE_GLOBAL,
                                   ucon::kAttrInt, 0, 0, 0, 1);
  const std::uint32_t integ = b.attr("integrity_state", TZU_ATTR_SCOPE_GLOBAL,
                                     ucon::kAttrInt, 0, 0, 0, 1);
  b.set_writer(jit, ucon::kWriterAdmin);
  b.set_writer(integ, ucon::kWriterSecure);
  b.rule(1, TZU_HOOK_FILE_MPROTECT, ucon::kEffectDeny,
         b.attr_cmp(ucon::kOpEq, jit, 0));
  ASSERT_EQ(load(0, b.build()).r[0], TZU_OK);
  tzu_update_attr_req bad = attr_req("integrity_state", TZU_INTEGRITY_OK);
  authorize(&bad, TZU_CMD_UPDATE_ATTR);
  EXPECT_EQ(call(TZU_CMD_UPDATE_ATTR, bad).r[0], TZU_E_NOT_WRITABLE);
  tzu_audit_record rec = last_record();
  EXPECT_EQ(rec.hook, static_cast<std::uint32_t>(TZU_AUDIT_ATTR_WRITE));
  EXPECT_EQ(rec.verdict, TZU_E_NOT_WRITABLE);
  tzu_update_attr_req u = attr_req("jit_allowed", 1);
  authorize(&u, TZU_CMD_UPDATE_ATTR);
  ASSERT_EQ(call(TZU_CMD_UPDATE_ATTR, u).r[0], TZU_OK);
  EXPECT_EQ(response<tzu_update_attr_rsp>().value, 1u);
  rec = last_record();
  EXPECT_EQ(rec.hook, static_cast<std::uint32_t>(TZU_AUDIT_ATTR_WRITE));
  EXPECT_EQ(rec.verdict, TZU_OK);
  EXPECT_EQ(rec.event_seq, 1u);
  EXPECT_EQ(std::memcmp(rec.event_digest, u.auth.args_sha256, 32), 0);
  EXPECT_EQ(decide(event(TZU_HOOK_FILE_MPROTECT, 1)).r[1] & 0xFF,
            TZU_VERDICT_ALLOW);
}

TEST_F(Authority, AuditConfigIsAuthorizedAndAudited) {
  tzu_audit_config_req bad = config_req(7, 0);
  authorize(&bad, TZU_CMD_AUDIT_CONFIG);
  EXPECT_EQ(call(TZU_CMD_AUDIT_CONFIG, bad).r[0], TZU_E_BAD_FIELD);
  bad = config_req(TZU_AUDIT_OP_SET_OVERFLOW, 2);
  authorize(&bad, TZU_CMD_AUDIT_CONFIG);
  EXPECT_EQ(call(TZU_CMD_AUDIT_CONFIG, bad).r[0], TZU_E_BAD_FIELD);
  EXPECT_EQ(authority_.admin_counter(), 0u) << "checked before authority";
  tzu_audit_config_req c =
      config_req(TZU_AUDIT_OP_SET_OVERFLOW, TZU_AUDIT_OVERFLOW_FAIL_CLOSED);
  authorize(&c, TZU_CMD_AUDIT_CONFIG);
  ASSERT_EQ(call(TZU_CMD_AUDIT_CONFIG, c).r[0], TZU_OK);
  EXPECT_TRUE(stats().flags & TZU_SF_AUDIT_FAIL_CLOSED);
  tzu_audit_record rec = last_record();
  EXPECT_EQ(rec.hook, static_cast<std::uint32_t>(TZU_AUDIT_CONFIG));
  EXPECT_EQ(rec.event_seq, static_cast<std::uint64_t>(TZU_AUDIT_OVERFLOW_FAIL_CLOSED));
  decide(event(TZU_HOOK_FILE_MPROTECT, 1));
  tzu_audit_config_req r = config_req(TZU_AUDIT_OP_RESET_COUNTERS, 0);
  authorize(&r, TZU_CMD_AUDIT_CONFIG);
  ASSERT_EQ(call(TZU_CMD_AUDIT_CONFIG, r).r[0], TZU_OK);
  rec = last_record();
  EXPECT_EQ(rec.hook, static_cast<std::uint32_t>(TZU_AUDIT_RESET));
  EXPECT_EQ(rec.event_seq, 1u) << "decisions before the reset";
  EXPECT_EQ(stats().decisions, 0u);
}

// Regression (red-team review): a keyless reload of the active blob swapped
// it again, which reset the admin's fail-closed choice to the policy's and
// wrote the flash every time (wear).
TEST_F(Authority, ReloadOfTheActiveBlobChangesNothing) {
  ASSERT_EQ(load(0, policy(2)).r[0], TZU_OK);
  tzu_audit_config_req c =
      config_req(TZU_AUDIT_OP_SET_OVERFLOW, TZU_AUDIT_OVERFLOW_FAIL_CLOSED);
  authorize(&c, TZU_CMD_AUDIT_CONFIG);
  ASSERT_EQ(call(TZU_CMD_AUDIT_CONFIG, c).r[0], TZU_OK);
  const tzu_stats before = stats();
  const std::uint32_t saves = store_.saves_;
  const std::uint64_t records = engine_.audit().next_index();
  for (int i = 0; i < 5; ++i) ASSERT_EQ(load(0, policy(2)).r[0], TZU_OK);
  const tzu_stats after = stats();
  EXPECT_TRUE(after.flags & TZU_SF_AUDIT_FAIL_CLOSED) << "the admin's choice holds";
  EXPECT_EQ(after.epoch, before.epoch);
  EXPECT_EQ(store_.saves_, saves) << "no flash write";
  EXPECT_EQ(engine_.audit().next_index(), records) << "no record";
  // A newer blob is a real swap, and the admin's choice still holds.
  ASSERT_EQ(load(0, policy(3)).r[0], TZU_OK);
  EXPECT_TRUE(stats().flags & TZU_SF_AUDIT_FAIL_CLOSED);
  EXPECT_EQ(stats().epoch, before.epoch + 1);
}

// Regression (red-team review): keyless refusals were each a record, so 512
// of them flushed the drop-oldest ring or filled a fail-closed one.
TEST_F(Authority, RefusalsPastTheBudgetAreCountedNotRecorded) {
  const std::uint64_t start = engine_.audit().next_index();
  tzu_set_mode_req m = mode_req(TZU_MODE_PERMISSIVE);  // no authorization
  for (int i = 0; i < 200; ++i)
    ASSERT_EQ(call(TZU_CMD_SET_MODE, m).r[0], TZU_E_AUTH_REQUIRED);
  EXPECT_EQ(engine_.audit().next_index() - start, 64u) << "the budget";
  EXPECT_EQ(stats().auth_failures, 200u) << "every refusal counted";
  tzu_report_req q{};
  q.hdr = hdr(TZU_CMD_GET_REPORT, sizeof(q));
  ASSERT_EQ(call(TZU_CMD_GET_REPORT, q).r[0], TZU_OK);
  EXPECT_EQ(response<tzu_report>().audit_unrecorded, 136u) << "and reported, signed";
  // An authorized command is still recorded after the budget is spent.
  tzu_set_mode_req ok = mode_req(TZU_MODE_ENFORCE);
  authorize(&ok, TZU_CMD_SET_MODE);
  ASSERT_EQ(call(TZU_CMD_SET_MODE, ok).r[0], TZU_OK);
  EXPECT_EQ(last_record().hook, static_cast<std::uint32_t>(TZU_AUDIT_MODE));
}

TEST_F(Authority, ReadAuditAckDrainsAFailClosedRing) {
  ASSERT_EQ(load(0, policy(2)).r[0], TZU_OK);
  tzu_audit_config_req c =
      config_req(TZU_AUDIT_OP_SET_OVERFLOW, TZU_AUDIT_OVERFLOW_FAIL_CLOSED);
  authorize(&c, TZU_CMD_AUDIT_CONFIG);
  ASSERT_EQ(call(TZU_CMD_AUDIT_CONFIG, c).r[0], TZU_OK);
  const std::uint32_t cap = engine_.audit().capacity();
  while (engine_.audit().next_index() < cap)
    decide(event(TZU_HOOK_FILE_MPROTECT, kDenyTgid));
  SmcResult r = decide(event(TZU_HOOK_FILE_MPROTECT, kDenyTgid));
  EXPECT_TRUE((r.r[1] >> 8) & TZU_DF_AUDIT_FULL);
  EXPECT_EQ(stats().audit_full_denials, 1u);
  tzu_read_audit_req a{};
  a.hdr = hdr(TZU_CMD_READ_AUDIT, sizeof(a));
  a.max_records = 4;
  a.flags = TZU_AUDIT_READ_ACK;
  ASSERT_EQ(call(TZU_CMD_READ_AUDIT, a).r[0], TZU_OK);
  EXPECT_EQ(response<tzu_read_audit_rsp>().n_records, 4u);
  r = decide(event(TZU_HOOK_FILE_MPROTECT, kDenyTgid));
  EXPECT_FALSE((r.r[1] >> 8) & TZU_DF_AUDIT_FULL);
  EXPECT_EQ(stats().audit_dropped, 0u);
  a.flags = 0x80;
  EXPECT_EQ(call(TZU_CMD_READ_AUDIT, a).r[0], TZU_E_BAD_FIELD);
}

}  // namespace
}  // namespace monitor_test
