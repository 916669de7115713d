// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// dispatcher_integrity_test.cc - the kernel-integrity commands through the
// real Dispatcher and a real KernelIntegrity over a fake normal world (a
// host buffer as RAM, a hand-built swapper_pg_dir, a signed manifest):
// session rules, status framing, detections in the audit chain and the
// signed report, the revocation queue behind HEARTBEAT, the monitor's own
// degradation (secure timer tampered).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "crypto.h"
#include "ed25519.h"
#include "monitor_fixture.h"

namespace monitor_test {
namespace {

using monitor::SmcResult;

constexpr std::uint32_t kPageOffset = 0xC0000000u;
constexpr std::uint32_t kL1Pa = 0x4000u;  // swapper_pg_dir
constexpr std::uint32_t kTextVa = 0xC0100000u;
constexpr std::uint32_t kTextLen = 64u << 10;

class IntegrityDispatch : public MonitorTest {
 protected:
  IntegrityDispatch() {
    std::uint8_t* ram = world_.ns_bytes();
    // Linear sections VA kPageOffset + n MiB -> PA n MiB over the buffer.
    for (std::uint32_t mb = 0; mb < (world_.cfg.ns_ram_size >> 20); ++mb) {
      const std::uint32_t desc = (mb << 20) | 0x2u | (1u << 10);
      std::memcpy(ram + kL1Pa + ((kPageOffset >> 20) + mb) * 4, &desc, 4);
    }
    std::uint32_t x = 0x12345678u;
    for (std::uint32_t off = 0; off < kTextLen; off += 4) {
      x = x * 1664525u + 1013904223u;
      std::memcpy(ram + pa(kTextVa) + off, &x, 4);
    }
  }

  static std::uint32_t pa(std::uint32_t va) { return va - kPageOffset; }

  std::vector<std::uint8_t> manifest() {
    tzu_kmanifest_hdr h{};
    h.magic = TZU_KMANIFEST_MAGIC;
    h.version = TZU_KMANIFEST_VERSION;
    h.n_regions = 1;
    h.size = sizeof(h) + sizeof(tzu_kmanifest_region) + TZU_ED25519_SIG_LEN;
    h.page_offset = kPageOffset;
    h.phys_base = 0;
    h.swapper_pg_dir = kPageOffset + kL1Pa;
    std::strcpy(h.release, "6.6.0-tzucon-test");
    tzu_kmanifest_region r{};
    r.kind = TZU_IREG_TEXT;
    r.flags = TZU_KMR_DIGEST;
    r.va = kTextVa;
    r.len = kTextLen;
    ucon::sha256(world_.ns_bytes() + pa(kTextVa), kTextLen, r.sha256);
    std::vector<std::uint8_t> m(h.size, 0);
    std::memcpy(m.data(), &h, sizeof(h));
    std::memcpy(m.data() + sizeof(h), &r, sizeof(r));
    const std::uint32_t body = h.size - TZU_ED25519_SIG_LEN;
    std::uint8_t pub[32];
    ucon::ed25519_public_key(ucon_test::kTestKey.data(), pub);
    ucon::ed25519_sign(ucon_test::kTestKey.data(), pub, m.data(), body,
                       m.data() + body);
    return m;
  }

  // What main.cc does at boot, before the normal world runs.
  ucon::Status load_manifest(const std::vector<std::uint8_t>& m) {
    return world_.ki->load_manifest(m.data(), static_cast<std::uint32_t>(m.size()),
                                    world_.keys.policy_pub,
                                    HostSecureWorld::now_us);
  }

  SmcResult session_call(std::uint32_t cmd, std::uint32_t session,
                         std::uint32_t rsp_cap = kRspCap) {
    tzu_session_req q{};
    q.hdr = hdr(cmd, sizeof(q));
    q.session = session;
    return call(cmd, q, sizeof(q), rsp_cap);
  }

  tzu_heartbeat_req heartbeat_req(std::uint32_t session, std::uint64_t seq,
                                  std::uint64_t sent) {
    tzu_heartbeat_req h{};
    h.hdr = hdr(TZU_CMD_HEARTBEAT, sizeof(h));
    h.session = session;
    h.flags = TZU_HB_RUNNING;
    h.seq = seq;
    h.decisions_sent = sent;
    return h;
  }

  tzu_integrity_module_req module_req(std::uint32_t session) {
    tzu_integrity_module_req m{};
    m.hdr = hdr(TZU_CMD_INTEGRITY_MODULE, sizeof(m));
    m.session = session;
    m.op = TZU_KMOD_ADD;
    m.va = kPageOffset + 0x200000u;
    m.len = 0x2000;
    std::strcpy(m.name, "tzmod");
    return m;
  }

  std::vector<tzu_audit_record> records_of(std::uint32_t kind) {
    std::vector<tzu_audit_record> out;
    for (const tzu_audit_record& r : audit())
      if (r.hook == kind) out.push_back(r);
    return out;
  }

  tzu_integrity_status status_now(std::vector<tzu_integrity_region>* regions) {
    const SmcResult r = session_call(TZU_CMD_INTEGRITY_STATUS, 0);
    EXPECT_EQ(r.r[0], TZU_OK);
    const auto st = response<tzu_integrity_status>();
    EXPECT_EQ(r.r[1], st.hdr.size);
    EXPECT_EQ(st.hdr.size, sizeof(st) + st.n_regions * sizeof(tzu_integrity_region));
    if (regions) {
      regions->resize(st.n_regions);
      if (st.n_regions)
        std::memcpy(regions->data(), window_.data() + kRspOff + sizeof(st),
                    st.n_regions * sizeof(tzu_integrity_region));
    }
    return st;
  }
};

TEST_F(IntegrityDispatch, KernelEventsNeedAKernelClientSession) {
  ASSERT_EQ(load_manifest(manifest()), ucon::Status::kOk);
  const std::uint32_t user = open_session(TZU_CLIENT_USER);
  const std::uint32_t kernel = open_session(TZU_CLIENT_KERNEL);
  for (std::uint32_t s : {0u, user, kernel + 100}) {
    EXPECT_EQ(session_call(TZU_CMD_INTEGRITY_REGISTER, s).r[0], TZU_E_BAD_SESSION) << s;
    EXPECT_EQ(call(TZU_CMD_INTEGRITY_MODULE, module_req(s)).r[0], TZU_E_BAD_SESSION) << s;
    EXPECT_EQ(call(TZU_CMD_HEARTBEAT, heartbeat_req(s, 1, 0)).r[0],
              TZU_E_BAD_SESSION) << s;
  }
  // Refused, audited (within the refusal budget), nothing changed.
  const auto reg = records_of(TZU_AUDIT_KREGISTER);
  ASSERT_EQ(reg.size(), 3u);
  for (const auto& r : reg) EXPECT_EQ(r.verdict, TZU_E_BAD_SESSION);
  EXPECT_EQ(records_of(TZU_AUDIT_KMODULE).size(), 3u);
  EXPECT_EQ(records_of(TZU_AUDIT_HEARTBEAT).size(), 3u);
  const auto st = status_now(nullptr);
  EXPECT_EQ(st.flags & TZU_IS_REGISTERED, 0u);
  EXPECT_EQ(st.heartbeats, 0u);
  // A closed kernel session no longer counts.
  tzu_session_req c{};
  c.hdr = hdr(TZU_CMD_CLOSE_SESSION, sizeof(c));
  c.session = kernel;
  ASSERT_EQ(call(TZU_CMD_CLOSE_SESSION, c).r[0], TZU_OK);
  EXPECT_EQ(session_call(TZU_CMD_INTEGRITY_REGISTER, kernel).r[0], TZU_E_BAD_SESSION);
  // Queries take any session, 0 included.
  EXPECT_EQ(session_call(TZU_CMD_INTEGRITY_STATUS, 0).r[0], TZU_OK);
  EXPECT_EQ(session_call(TZU_CMD_INTEGRITY_STATUS, user).r[0], TZU_OK);
  EXPECT_EQ(session_call(TZU_CMD_INTEGRITY_STATUS, 4242).r[0], TZU_E_BAD_SESSION);
}

TEST_F(IntegrityDispatch, RegisterOnceStatusFramedWithRegions) {
  ASSERT_EQ(load_manifest(manifest()), ucon::Status::kOk);
  const std::uint32_t k = open_session();
  SmcResult r = session_call(TZU_CMD_INTEGRITY_REGISTER, k);
  ASSERT_EQ(r.r[0], TZU_OK);
  auto st = response<tzu_integrity_status>();
  EXPECT_EQ(st.hdr.status, TZU_OK);
  EXPECT_EQ(st.hdr.command, TZU_CMD_INTEGRITY_REGISTER);
  EXPECT_EQ(st.state, TZU_INTEGRITY_OK);
  EXPECT_EQ(st.flags & (TZU_IS_MANIFEST | TZU_IS_REGISTERED),
            TZU_IS_MANIFEST | TZU_IS_REGISTERED);
  ASSERT_EQ(st.n_regions, 1u);
  EXPECT_EQ(r.r[1], sizeof(st) + sizeof(tzu_integrity_region));
  EXPECT_EQ(st.hdr.size, r.r[1]);
  tzu_integrity_region reg;
  std::memcpy(&reg, window_.data() + kRspOff + sizeof(st), sizeof(reg));
  EXPECT_EQ(reg.kind, TZU_IREG_TEXT);
  EXPECT_EQ(reg.va, kTextVa);
  EXPECT_EQ(reg.len, kTextLen);
  EXPECT_EQ(reg.flags & (TZU_IRF_BASELINED | TZU_IRF_EXPECTED),
            TZU_IRF_BASELINED | TZU_IRF_EXPECTED);
  EXPECT_EQ(stats().integrity_state, TZU_INTEGRITY_OK);
  // Once per boot.
  EXPECT_EQ(session_call(TZU_CMD_INTEGRITY_REGISTER, k).r[0], TZU_E_BUSY);
  const auto recs = records_of(TZU_AUDIT_KREGISTER);
  ASSERT_GE(recs.size(), 2u);
  EXPECT_EQ(recs.front().verdict, TZU_OK);
  EXPECT_EQ(recs.front().event_seq, (std::uint64_t{TZU_IREG_TEXT} << 32) | kTextVa);
  EXPECT_EQ(recs.back().verdict, TZU_E_BUSY);
  // A response capacity for the fixed part only: no region, still framed.
  r = session_call(TZU_CMD_INTEGRITY_STATUS, 0, sizeof(tzu_integrity_status));
  ASSERT_EQ(r.r[0], TZU_OK);
  st = response<tzu_integrity_status>();
  EXPECT_EQ(st.n_regions, 0u);
  EXPECT_EQ(r.r[1], sizeof(st));
  EXPECT_EQ(session_call(TZU_CMD_INTEGRITY_STATUS, 0, sizeof(st) - 8).r[0],
            TZU_E_BAD_SIZE);
  // Exact request sizes.
  tzu_session_req q{};
  q.hdr = hdr(TZU_CMD_INTEGRITY_STATUS, sizeof(q) + 8);
  EXPECT_EQ(call(TZU_CMD_INTEGRITY_STATUS, q, sizeof(q) + 8).r[0], TZU_E_BAD_SIZE);
}

// No manifest: UNKNOWN until a kernel registers that nothing vouches for,
// then DEGRADED (TZU_IS_NO_MANIFEST), in the engine and the audit chain.
TEST_F(IntegrityDispatch, NoManifestRegisterDegrades) {
  std::vector<std::uint8_t> none(TZU_KMANIFEST_MAX, 0);
  EXPECT_EQ(load_manifest(none), ucon::Status::kNotFound);
  EXPECT_EQ(status_now(nullptr).state, TZU_INTEGRITY_UNKNOWN);
  EXPECT_EQ(session_call(TZU_CMD_INTEGRITY_REGISTER, open_session()).r[0],
            TZU_E_NOT_FOUND);
  const auto st = status_now(nullptr);
  EXPECT_EQ(st.state, TZU_INTEGRITY_DEGRADED);
  EXPECT_TRUE(st.flags & TZU_IS_NO_MANIFEST);
  EXPECT_EQ(stats().integrity_state, TZU_INTEGRITY_DEGRADED);
  const auto rec = records_of(TZU_AUDIT_HEARTBEAT);
  ASSERT_EQ(rec.size(), 1u);
  EXPECT_EQ(rec[0].event_seq, TZU_IS_NO_MANIFEST);
}

TEST_F(IntegrityDispatch, BadManifestIsViolatedThroughTheSink) {
  auto m = manifest();
  m[sizeof(tzu_kmanifest_hdr) + 20] ^= 1;  // a region byte: signature fails
  EXPECT_NE(load_manifest(m), ucon::Status::kOk);
  const auto st = status_now(nullptr);
  EXPECT_EQ(st.state, TZU_INTEGRITY_VIOLATED);
  EXPECT_TRUE(st.flags & TZU_IS_MANIFEST_BAD);
  EXPECT_EQ(stats().integrity_state, TZU_INTEGRITY_VIOLATED);
  const auto rec = records_of(TZU_AUDIT_INTEGRITY);
  ASSERT_EQ(rec.size(), 1u);
  EXPECT_EQ(rec[0].event_seq, TZU_INTEGRITY_VIOLATED);
}

TEST_F(IntegrityDispatch, CheckFindsTamperingAuditedAndInTheSignedReport) {
  ASSERT_EQ(load_manifest(manifest()), ucon::Status::kOk);
  const std::uint32_t k = open_session();
  ASSERT_EQ(session_call(TZU_CMD_INTEGRITY_REGISTER, k).r[0], TZU_OK);
  SmcResult r = session_call(TZU_CMD_INTEGRITY_CHECK, 0);
  ASSERT_EQ(r.r[0], TZU_OK);
  auto st = response<tzu_integrity_status>();
  EXPECT_EQ(st.state, TZU_INTEGRITY_OK);
  EXPECT_EQ(st.mismatches, 0u);
  const std::uint64_t passes = st.passes;
  EXPECT_GE(passes, 1u);
  // The normal world patches one byte of its text.
  constexpr std::uint32_t kOff = 0x1235;
  world_.ns_bytes()[pa(kTextVa) + kOff] ^= 0x40;
  HostSecureWorld::now_us += 10000;
  r = session_call(TZU_CMD_INTEGRITY_CHECK, 0);
  ASSERT_EQ(r.r[0], TZU_OK);
  st = response<tzu_integrity_status>();
  EXPECT_EQ(st.state, TZU_INTEGRITY_VIOLATED);
  EXPECT_EQ(st.mismatches, 1u);
  EXPECT_EQ(st.passes, passes + 1);
  EXPECT_EQ(stats().integrity_state, TZU_INTEGRITY_VIOLATED);
  const integrity::Mismatch& m = world_.ki->last_mismatch();
  EXPECT_EQ(m.kind, TZU_IREG_TEXT);
  // The contract says "first differing byte"; the library may report the
  // word it compares (both are inside that word).
  EXPECT_EQ(m.offset & ~3u, kOff & ~3u);
  EXPECT_LE(m.offset, kOff);
  // MISMATCH (digest as found) then BASELINE (digest expected), same seq.
  const auto all = audit();
  std::size_t i = 0;
  while (i < all.size() && all[i].hook != TZU_AUDIT_MISMATCH) ++i;
  ASSERT_LT(i + 1, all.size());
  const std::uint64_t seq = (std::uint64_t{TZU_IREG_TEXT} << 56) |
                            (std::uint64_t{m.region} << 32) | m.offset;
  EXPECT_EQ(all[i].event_seq, seq);
  EXPECT_EQ(all[i].rule_id, TZU_CMD_INTEGRITY_CHECK);
  EXPECT_EQ(0, std::memcmp(all[i].event_digest, m.observed, 32));
  EXPECT_EQ(all[i + 1].hook, TZU_AUDIT_BASELINE);
  EXPECT_EQ(all[i + 1].event_seq, seq);
  EXPECT_EQ(0, std::memcmp(all[i + 1].event_digest, m.expected, 32));
  EXPECT_NE(0, std::memcmp(m.expected, m.observed, 32));
  bool state_record = false;
  for (const auto& a : all)
    state_record |= a.hook == TZU_AUDIT_INTEGRITY && a.event_seq == TZU_INTEGRITY_VIOLATED;
  EXPECT_TRUE(state_record);

  // Report v2: the detection, signed by the device key.
  tzu_report_req rq{};
  rq.hdr = hdr(TZU_CMD_GET_REPORT, sizeof(rq));
  for (std::uint32_t b = 0; b < TZU_NONCE_LEN; ++b) rq.nonce[b] = static_cast<std::uint8_t>(b);
  ASSERT_EQ(call(TZU_CMD_GET_REPORT, rq).r[0], TZU_OK);
  auto rep = response<tzu_report>();
  EXPECT_EQ(rep.version, 2u);
  EXPECT_EQ(rep.hdr.size, sizeof(tzu_report));
  EXPECT_EQ(rep.integrity_state, TZU_INTEGRITY_VIOLATED);
  EXPECT_EQ(rep.integrity_passes, passes + 1);
  EXPECT_EQ(rep.integrity_mismatches, 1u);
  EXPECT_EQ(rep.integrity_flags, st.flags);
  EXPECT_EQ(rep.last_region_kind, TZU_IREG_TEXT);
  EXPECT_EQ(rep.last_region_va, kTextVa);
  EXPECT_EQ(rep.last_offset, m.offset);
  EXPECT_EQ(0, std::memcmp(rep.last_expected, m.expected, 32));
  EXPECT_EQ(0, std::memcmp(rep.last_observed, m.observed, 32));
  EXPECT_EQ(0, std::memcmp(rep.manifest_sha256, st.manifest_sha256, 32));
  std::uint8_t zero[32] = {};
  EXPECT_NE(0, std::memcmp(rep.manifest_sha256, zero, 32));
  const auto* body = reinterpret_cast<const std::uint8_t*>(&rep) + sizeof(tzu_hdr);
  const std::size_t body_len = offsetof(tzu_report, signature) - sizeof(tzu_hdr);
  EXPECT_TRUE(ucon::ed25519_verify(world_.keys.device_pub, body, body_len,
                                   rep.signature));
  rep.last_offset ^= 1;  // the new fields are covered
  EXPECT_FALSE(ucon::ed25519_verify(world_.keys.device_pub, body, body_len,
                                    rep.signature));
  rep.last_offset ^= 1;
  rep.manifest_sha256[31] ^= 1;
  EXPECT_FALSE(ucon::ed25519_verify(world_.keys.device_pub, body, body_len,
                                    rep.signature));
}

TEST_F(IntegrityDispatch, HeartbeatCarriesDecisionsAndDrainsRevocations) {
  ASSERT_EQ(load_manifest(manifest()), ucon::Status::kOk);
  const std::uint32_t k = open_session();
  ASSERT_EQ(session_call(TZU_CMD_INTEGRITY_REGISTER, k).r[0], TZU_OK);
  ASSERT_EQ(load(0, policy(2)).r[0], TZU_OK);
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(decide(event(TZU_HOOK_FILE_MPROTECT, 100)).r[0], TZU_OK);
  tzu_event bad = event(TZU_HOOK_FILE_MPROTECT, 100);
  bad.hdr.magic = 0;  // rejected before the engine: not a served decision
  EXPECT_EQ(decide(bad).r[0], TZU_E_BAD_MAGIC);
  EXPECT_EQ(disp_.decisions_served(), 3u);
  // Revocations the secure world made on its own (a timer tick's state
  // change), queued for the kernel: 8 per reply, the rest pending.
  ucon::Revocations rev;
  rev.reason = TZU_REVOKE_ONGOING;
  for (std::uint32_t batch = 0; batch < 3; ++batch) {
    rev.n = batch < 2 ? 8 : 4;
    rev.total = rev.n;
    for (std::uint32_t j = 0; j < rev.n; ++j) {
      rev.ids[j] = 100 + batch * 8 + j;
      rev.tgids[j] = 1000 + batch * 8 + j;
    }
    disp_.integrity_sink()->queue(rev);
  }
  const std::uint32_t want_n[] = {8, 8, 4, 0};
  const std::uint32_t want_pending[] = {12, 4, 0, 0};
  std::uint32_t next_id = 100;
  for (std::uint32_t hb = 0; hb < 4; ++hb) {
    HostSecureWorld::now_us += 50000;
    SmcResult r = call(TZU_CMD_HEARTBEAT, heartbeat_req(k, hb + 1, 3));
    ASSERT_EQ(r.r[0], TZU_OK) << hb;
    ASSERT_EQ(r.r[1], sizeof(tzu_heartbeat_rsp));
    const auto rsp = response<tzu_heartbeat_rsp>();
    EXPECT_EQ(rsp.n_revoked, want_n[hb]) << hb;
    EXPECT_EQ(rsp.pending, want_pending[hb]) << hb;
    EXPECT_EQ(rsp.state, TZU_INTEGRITY_OK);
    EXPECT_EQ(rsp.heartbeat_ms, 50u);
    if (rsp.n_revoked) {
      EXPECT_EQ(rsp.revoke_reason, TZU_REVOKE_ONGOING);
    }
    for (std::uint32_t j = 0; j < rsp.n_revoked; ++j, ++next_id) {
      EXPECT_EQ(rsp.revoked[j], next_id);
      EXPECT_EQ(rsp.revoked_tgid[j], next_id + 900);
    }
  }
  const auto st = status_now(nullptr);
  EXPECT_EQ(st.secure_decisions, 3u);
  EXPECT_EQ(st.kernel_decisions, 3u);
  EXPECT_EQ(st.heartbeats, 4u);
  // Bounded: past the queue, revocations are only counted.
  rev.n = 8;
  rev.total = 10;  // two the engine did not even name
  for (std::uint32_t i = 0; i < 9; ++i) disp_.integrity_sink()->queue(rev);
  EXPECT_EQ(disp_.integrity_sink()->queued(), monitor::IntegritySink::kQueue);
  EXPECT_EQ(disp_.integrity_sink()->overflow(), 9u * 2 + (72 - 64));
}

TEST_F(IntegrityDispatch, TamperedSecureTimerDegradesAndIsReported) {
  ASSERT_EQ(load_manifest(manifest()), ucon::Status::kOk);
  ASSERT_EQ(session_call(TZU_CMD_INTEGRITY_REGISTER, open_session()).r[0], TZU_OK);
  disp_.integrity_degrade(TZU_IS_TIMER_TAMPERED);
  disp_.integrity_note(TZU_IS_SMC_FALLBACK);
  auto st = status_now(nullptr);
  EXPECT_EQ(st.state, TZU_INTEGRITY_DEGRADED);
  EXPECT_EQ(st.flags & (TZU_IS_TIMER_TAMPERED | TZU_IS_SMC_FALLBACK),
            TZU_IS_TIMER_TAMPERED | TZU_IS_SMC_FALLBACK);
  EXPECT_EQ(stats().integrity_state, TZU_INTEGRITY_DEGRADED);
  bool rec = false;
  for (const auto& a : records_of(TZU_AUDIT_INTEGRITY))
    rec |= a.event_seq == TZU_INTEGRITY_DEGRADED;
  EXPECT_TRUE(rec);
  // Sticky, and worse still wins: a detection makes it VIOLATED.
  disp_.integrity_tick(HostSecureWorld::now_us);
  EXPECT_EQ(status_now(nullptr).state, TZU_INTEGRITY_DEGRADED);
  world_.ns_bytes()[pa(kTextVa) + 8] ^= 1;
  ASSERT_EQ(session_call(TZU_CMD_INTEGRITY_CHECK, 0).r[0], TZU_OK);
  st = response<tzu_integrity_status>();
  EXPECT_EQ(st.state, TZU_INTEGRITY_VIOLATED);
}

TEST_F(IntegrityDispatch, TicksMeasureInChunksAndNothingAfterFailure) {
  ASSERT_EQ(load_manifest(manifest()), ucon::Status::kOk);
  ASSERT_EQ(session_call(TZU_CMD_INTEGRITY_REGISTER, open_session()).r[0], TZU_OK);
  const auto before = status_now(nullptr);
  // 64 KiB at 16 KiB per tick (integrity_config): a pass in four ticks.
  for (int i = 0; i < 8; ++i) {
    HostSecureWorld::now_us += 10000;
    disp_.integrity_tick(HostSecureWorld::now_us);
  }
  const auto after = status_now(nullptr);
  EXPECT_EQ(after.ticks, before.ticks + 8);
  EXPECT_GE(after.passes, before.passes + 2);
  EXPECT_EQ(after.bytes_compared - before.bytes_compared, 8u * (16u << 10));
  disp_.set_failed();
  disp_.integrity_tick(HostSecureWorld::now_us + 10000);
  tzu_integrity_status st{};
  world_.ki->status(&st, nullptr, 0, 0);
  EXPECT_EQ(st.ticks, after.ticks);  // a FAILED secure world measures nothing
}

}  // namespace
}  // namespace monitor_test
