// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// limits_test.cc - every runtime limit, reached exactly at its boundary:
// the engine fails closed (deny + TZU_DF_LIMIT) instead of losing state.
#include <gtest/gtest.h>

#include "test_util.h"

namespace ucon_test {
namespace {

using ucon::Status;

ucon::EngineConfig small_config() {
  ucon::EngineConfig cfg;
  cfg.max_attr_entries = 4;
  cfg.max_sessions = 3;
  cfg.audit_records = 2;
  cfg.max_blob_bytes = 4096;
  return cfg;
}

// Each key_permission counts into a per-process attribute.
std::vector<std::uint8_t> counting_policy(std::uint32_t per_attr_max) {
  BlobBuilder b;
  std::uint32_t a = b.attr("uses", TZU_ATTR_SCOPE_SUBJECT, ucon::kAttrInt,
                           ucon::kKeyTgid, 0, 0, per_attr_max);
  BlobRule& r = b.rule(1, TZU_HOOK_KEY_PERMISSION, ucon::kEffectPermit);
  r.pre_first = b.update(a, TZU_ATTR_OP_ADD, 1);
  r.pre_count = 1;
  return b.build();
}

TEST(Limits, AttributeTableCapacity) {
  TestEngine e(small_config());
  ASSERT_EQ(e.load(counting_policy(100)), Status::kOk);
  for (std::uint32_t tgid = 1; tgid <= 4; ++tgid) {
    tzu_decision d = e.decide(make_event(TZU_HOOK_KEY_PERMISSION, tgid));
    EXPECT_EQ(d.verdict, TZU_VERDICT_ALLOW) << tgid;
  }
  tzu_decision d = e.decide(make_event(TZU_HOOK_KEY_PERMISSION, 5));
  EXPECT_EQ(d.verdict, TZU_VERDICT_DENY);
  EXPECT_TRUE(d.flags & TZU_DF_LIMIT);
  // Existing entries keep working; freeing one makes room.
  EXPECT_EQ(e.decide(make_event(TZU_HOOK_KEY_PERMISSION, 2)).verdict,
            TZU_VERDICT_ALLOW);
  e.decide(make_event(TZU_HOOK_TASK_EXIT, 2));
  EXPECT_EQ(e.decide(make_event(TZU_HOOK_KEY_PERMISSION, 5)).verdict,
            TZU_VERDICT_ALLOW);
}

TEST(Limits, PerAttributeMaxEntries) {
  TestEngine e;
  ASSERT_EQ(e.load(counting_policy(2)), Status::kOk);
  EXPECT_EQ(e.decide(make_event(TZU_HOOK_KEY_PERMISSION, 1)).verdict, TZU_VERDICT_ALLOW);
  EXPECT_EQ(e.decide(make_event(TZU_HOOK_KEY_PERMISSION, 2)).verdict, TZU_VERDICT_ALLOW);
  tzu_decision d = e.decide(make_event(TZU_HOOK_KEY_PERMISSION, 3));
  EXPECT_EQ(d.verdict, TZU_VERDICT_DENY);
  EXPECT_TRUE(d.flags & TZU_DF_LIMIT);
}

TEST(Limits, SessionTableCapacity) {
  BlobBuilder b;
  b.rule(1, TZU_HOOK_KEY_PERMISSION, ucon::kEffectPermit).flags =
      ucon::kRuleSession;
  TestEngine e(small_config());
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  std::uint32_t first = 0;
  for (int i = 0; i < 3; ++i) {
    tzu_decision d = e.decide(make_event(TZU_HOOK_KEY_PERMISSION));
    ASSERT_TRUE(d.flags & TZU_DF_SESSION_OPENED);
    if (!first) first = d.session_id;
  }
  tzu_decision d = e.decide(make_event(TZU_HOOK_KEY_PERMISSION));
  EXPECT_EQ(d.verdict, TZU_VERDICT_DENY);
  EXPECT_TRUE(d.flags & TZU_DF_LIMIT);
  ucon::Revocations rev;
  ASSERT_EQ(e->end_usage(first, &rev), Status::kOk);
  d = e.decide(make_event(TZU_HOOK_KEY_PERMISSION));
  EXPECT_TRUE(d.flags & TZU_DF_SESSION_OPENED);
  EXPECT_NE(d.session_id, first) << "ids are not reused at once";
}

TEST(Limits, SetAttributeMembers) {
  BlobBuilder b;
  std::uint32_t s = b.attr("seen", TZU_ATTR_SCOPE_GLOBAL, ucon::kAttrSet, 0, 0,
                           0, 1);
  BlobRule& r = b.rule(1, TZU_HOOK_MODULE_REQUEST, ucon::kEffectPermit);
  r.pre_first = b.update(s, TZU_ATTR_OP_INSERT, field_id("subject.uid"),
                         ucon::kOperandField);
  r.pre_count = 1;
  b.rule(2, TZU_HOOK_DEVMEM_OPEN, ucon::kEffectDeny,
         b.node(ucon::kOpIn, ucon::kOperandField, field_id("subject.uid"),
                ucon::kOperandAttr, s, 0));
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  for (std::uint32_t uid = 0; uid < ucon::kMaxAttrSetMembers; ++uid) {
    tzu_event ev = make_event(TZU_HOOK_MODULE_REQUEST);
    ev.subject.uid = uid;
    EXPECT_EQ(e.decide(ev).verdict, TZU_VERDICT_ALLOW) << uid;
  }
  tzu_event ev = make_event(TZU_HOOK_MODULE_REQUEST);
  ev.subject.uid = 5;  // already a member: no growth, still fine
  EXPECT_EQ(e.decide(ev).verdict, TZU_VERDICT_ALLOW);
  ev.subject.uid = ucon::kMaxAttrSetMembers;
  tzu_decision d = e.decide(ev);
  EXPECT_EQ(d.verdict, TZU_VERDICT_DENY);
  EXPECT_TRUE(d.flags & TZU_DF_LIMIT);
  tzu_event probe = make_event(TZU_HOOK_DEVMEM_OPEN);
  probe.subject.uid = 3;
  EXPECT_EQ(e.decide(probe).verdict, TZU_VERDICT_DENY);
  probe.subject.uid = 99;
  EXPECT_EQ(e.decide(probe).verdict, TZU_VERDICT_ALLOW);
}

TEST(Limits, RevocationListTruncatesButCountsAll) {
  BlobBuilder b;
  std::uint32_t g = b.attr("state", TZU_ATTR_SCOPE_GLOBAL, ucon::kAttrInt, 0, 0,
                           0, 1);
  BlobRule& r = b.rule(1, TZU_HOOK_KEY_PERMISSION, ucon::kEffectPermit);
  r.flags = ucon::kRuleSession;
  r.ongoing = b.attr_cmp(ucon::kOpEq, g, 0);
  BlobRule& flip = b.rule(2, TZU_HOOK_DEVMEM_OPEN, ucon::kEffectDeny);
  flip.pre_first = b.update(g, TZU_ATTR_OP_SET, 1);
  flip.pre_count = 1;
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  const std::uint32_t n = TZU_MAX_REVOKE + 3;
  for (std::uint32_t i = 0; i < n; ++i)
    e.decide(make_event(TZU_HOOK_KEY_PERMISSION, 100 + i));
  tzu_decision d = e.decide(make_event(TZU_HOOK_DEVMEM_OPEN));
  EXPECT_EQ(d.verdict, TZU_VERDICT_DENY);
  EXPECT_EQ(d.n_revoked, TZU_MAX_REVOKE);
  EXPECT_TRUE(d.flags & TZU_DF_LIMIT);
  EXPECT_TRUE(d.obligations & TZU_OBL_REVOKE);
  tzu_stats st;
  e->stats(&st);
  EXPECT_EQ(st.revocations, n);
  EXPECT_EQ(e->live_sessions(), 0u);
}

TEST(Limits, BlobLargerThanBufferRejected) {
  TestEngine e(small_config());
  BlobBuilder b;
  for (std::uint32_t i = 1; i <= 100; ++i)
    b.rule(i, TZU_HOOK_DEVMEM_OPEN, ucon::kEffectDeny, b.field_eq("subject.uid", i));
  EXPECT_EQ(e.load(b.build()), Status::kBadSize);
}

TEST(Limits, ArenaTooSmall) {
  ucon::EngineConfig cfg;
  std::vector<std::uint64_t> mem(ucon::Engine::arena_bytes(cfg) / 8);
  ucon::Engine e;
  EXPECT_EQ(e.init(mem.data(), mem.size() * 8 - 8, cfg, test_policy_pub().data(),
                   kTestDeviceId.data()),
            Status::kLimit);
  EXPECT_EQ(e.init(mem.data(), mem.size() * 8, cfg, test_policy_pub().data(),
                   kTestDeviceId.data()),
            Status::kOk);
}

}  // namespace
}  // namespace ucon_test
