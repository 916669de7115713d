// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// engine_test.cc - decision semantics: combining algorithms, defaults,
// modes, attribute updates, sessions and ongoing revocation, audit.
#include <gtest/gtest.h>

#include <cstring>

#include "test_util.h"

namespace ucon_test {
namespace {

using ucon::Status;

constexpr std::uint8_t kPermit = ucon::kEffectPermit;
constexpr std::uint8_t kDeny = ucon::kEffectDeny;

// The one helper of this suite: decide and check verdict + deciding rule.
void expect_decision(TestEngine& e, const tzu_event& ev, std::uint32_t verdict,
                     std::uint32_t rule_id, std::uint32_t flags_set = 0) {
  tzu_decision d = e.decide(ev);
  EXPECT_EQ(d.hdr.status, TZU_OK);
  EXPECT_EQ(d.verdict, verdict) << "rule " << d.rule_id;
  EXPECT_EQ(d.rule_id, rule_id);
  EXPECT_EQ(d.flags & flags_set, flags_set) << "flags " << d.flags;
}

tzu_event mprotect_event(std::uint32_t prot, std::uint32_t old_prot,
                         std::uint32_t uid = 1000) {
  tzu_event ev = make_event(TZU_HOOK_FILE_MPROTECT);
  ev.object.prot = prot;
  ev.object.old_prot = old_prot;
  ev.subject.uid = uid;
  return ev;
}

TEST(Engine, NoPolicyAllowsAndSaysSo) {
  TestEngine e;
  tzu_decision d = e.decide(make_event(TZU_HOOK_FILE_MPROTECT));
  EXPECT_EQ(d.verdict, TZU_VERDICT_ALLOW);
  EXPECT_TRUE(d.flags & TZU_DF_NO_POLICY);
}

TEST(Engine, DenyOverridesPicksDenyEvenAfterPermit) {
  BlobBuilder b;
  b.rule(1, TZU_HOOK_FILE_MPROTECT, kPermit, b.field_eq("subject.uid", 0));
  b.rule(2, TZU_HOOK_FILE_MPROTECT, kDeny,
         b.field_cmp(ucon::kOpBitsAll, "object.prot", TZU_PROT_EXEC));
  b.rule(3, TZU_HOOK_FILE_MPROTECT, kPermit, b.field_eq("object.prot", 1));
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  expect_decision(e, mprotect_event(TZU_PROT_EXEC, 3, 0), TZU_VERDICT_DENY, 2);
  expect_decision(e, mprotect_event(1, 3, 0), TZU_VERDICT_ALLOW, 1);
  expect_decision(e, mprotect_event(1, 3, 5), TZU_VERDICT_ALLOW, 3);
  expect_decision(e, mprotect_event(2, 3, 5), TZU_VERDICT_ALLOW, 0,
                  TZU_DF_DEFAULT);
}

TEST(Engine, FirstApplicableTakesFirstMatch) {
  BlobBuilder b;
  b.flags = ucon::kPolicyFirstApplicable | ucon::kPolicyDefaultDeny;
  b.rule(1, TZU_HOOK_FILE_MPROTECT, kPermit, b.field_eq("subject.uid", 0));
  b.rule(2, TZU_HOOK_FILE_MPROTECT, kDeny,
         b.field_cmp(ucon::kOpBitsAll, "object.prot", TZU_PROT_EXEC));
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  expect_decision(e, mprotect_event(TZU_PROT_EXEC, 3, 0), TZU_VERDICT_ALLOW, 1);
  expect_decision(e, mprotect_event(TZU_PROT_EXEC, 3, 7), TZU_VERDICT_DENY, 2);
  expect_decision(e, mprotect_event(1, 3, 7), TZU_VERDICT_DENY, 0,
                  TZU_DF_DEFAULT);
}

TEST(Engine, HookOutsideInterestMaskIsFiltered) {
  BlobBuilder b;
  b.rule(1, TZU_HOOK_KEY_ALLOC, kDeny);
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  EXPECT_EQ(e->interest_mask(), 1u << TZU_HOOK_KEY_ALLOC);
  tzu_decision d = e.decide(make_event(TZU_HOOK_FILE_MPROTECT));
  EXPECT_EQ(d.verdict, TZU_VERDICT_ALLOW);
  EXPECT_TRUE(d.flags & TZU_DF_FILTERED);
  expect_decision(e, make_event(TZU_HOOK_KEY_ALLOC), TZU_VERDICT_DENY, 1);
}

TEST(Engine, StringSetAndPrefixPredicates) {
  BlobBuilder b;
  b.flags = ucon::kPolicyDefaultDeny;
  b.rule(1, TZU_HOOK_ALG_BIND, kPermit,
         b.all({b.field_str_eq("object.type", "hash"),
                b.field_in_str("object.name", {"sha256", "hmac(sha256)"})}));
  std::string pre = "jit-";
  std::uint32_t off = b.pool_bytes(pre.data(), pre.size());
  b.rule(2, TZU_HOOK_ALG_BIND, kPermit,
         b.node(ucon::kOpPrefix, ucon::kOperandField, field_id("subject.comm"),
                ucon::kOperandBytes, off, 4));
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  tzu_event ev = make_event(TZU_HOOK_ALG_BIND);
  std::strcpy(ev.object.type, "hash");
  std::strcpy(ev.object.name, "sha256");
  expect_decision(e, ev, TZU_VERDICT_ALLOW, 1);
  std::strcpy(ev.object.name, "md5");
  expect_decision(e, ev, TZU_VERDICT_DENY, 0, TZU_DF_DEFAULT);
  std::strcpy(ev.subject.comm, "jit-node");
  expect_decision(e, ev, TZU_VERDICT_ALLOW, 2);
  std::strcpy(ev.subject.comm, "jit");  // shorter than the prefix
  expect_decision(e, ev, TZU_VERDICT_DENY, 0);
}

TEST(Engine, RangeNotOrAndFieldToFieldComparison) {
  BlobBuilder b;
  std::int64_t range[2] = {100, 200};
  std::uint32_t roff = b.pool_bytes(range, sizeof(range));
  std::uint32_t in_range = b.node(ucon::kOpRange, ucon::kOperandField,
                                  field_id("subject.uid"), ucon::kOperandRange,
                                  roff, 0);
  std::uint32_t uid_ne_euid =
      b.node(ucon::kOpNe, ucon::kOperandField, field_id("subject.uid"),
             ucon::kOperandField, field_id("subject.euid"), 0);
  b.rule(1, TZU_HOOK_TASK_FIX_SETUID, kDeny,
         b.any({b.negate(in_range), uid_ne_euid}));
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  tzu_event ev = make_event(TZU_HOOK_TASK_FIX_SETUID);
  ev.subject.uid = ev.subject.euid = 150;
  expect_decision(e, ev, TZU_VERDICT_ALLOW, 0);
  ev.subject.uid = ev.subject.euid = 201;
  expect_decision(e, ev, TZU_VERDICT_DENY, 1);
  ev.subject.uid = 100;
  ev.subject.euid = 0;
  expect_decision(e, ev, TZU_VERDICT_DENY, 1);
}

TEST(Engine, PolicyPermissiveAllowsButFlagsAndAudits) {
  BlobBuilder b;
  b.flags = ucon::kPolicyPermissive;
  BlobRule& r = b.rule(7, TZU_HOOK_DEVMEM_OPEN, kDeny);
  r.obligations = TZU_OBL_KILL;
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  tzu_decision d = e.decide(make_event(TZU_HOOK_DEVMEM_OPEN));
  EXPECT_EQ(d.verdict, TZU_VERDICT_ALLOW);
  EXPECT_EQ(d.rule_id, 7u);
  EXPECT_EQ(d.flags & (TZU_DF_PERMISSIVE | TZU_DF_WOULD_DENY),
            TZU_DF_PERMISSIVE | TZU_DF_WOULD_DENY);
  EXPECT_FALSE(d.obligations & TZU_OBL_KILL) << "kill is enforcement";
  EXPECT_TRUE(d.obligations & TZU_OBL_AUDIT);
  EXPECT_EQ(e->audit().next_index(), 1u);
  tzu_stats st;
  e->stats(&st);
  EXPECT_EQ(st.permissive_denials, 1u);
  EXPECT_EQ(st.denied, 0u);
}

TEST(Engine, PerRulePermissiveOnlyAffectsThatRule) {
  BlobBuilder b;
  b.rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny).flags = ucon::kRulePermissive;
  b.rule(2, TZU_HOOK_BPF_PROG_LOAD, kDeny);
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_ALLOW, 1,
                  TZU_DF_WOULD_DENY);
  expect_decision(e, make_event(TZU_HOOK_BPF_PROG_LOAD), TZU_VERDICT_DENY, 2);
}

TEST(Engine, GlobalModeSwitch) {
  BlobBuilder b;
  b.rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny);
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  ASSERT_EQ(e->set_mode(TZU_MODE_PERMISSIVE), Status::kOk);
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_ALLOW, 1,
                  TZU_DF_PERMISSIVE | TZU_DF_WOULD_DENY);
  ASSERT_EQ(e->set_mode(TZU_MODE_ENFORCE), Status::kOk);
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_DENY, 1);
  EXPECT_EQ(e->set_mode(7), Status::kBadField);
  EXPECT_EQ(e->mode(), static_cast<std::uint32_t>(TZU_MODE_ENFORCE));
}

// Key-use quota: pre-update counts each use; deny once the count exceeds 2.
TEST(Engine, PreUpdateQuotaPerSubject) {
  BlobBuilder b;
  std::uint32_t uses = b.attr("key_uses", TZU_ATTR_SCOPE_SUBJECT,
                              ucon::kAttrInt, ucon::kKeyTgid);
  b.rule(1, TZU_HOOK_KEY_PERMISSION, kDeny,
         b.attr_cmp(ucon::kOpGe, uses, 2));
  BlobRule& count = b.rule(2, TZU_HOOK_KEY_PERMISSION, kPermit);
  count.pre_first = b.update(uses, TZU_ATTR_OP_ADD, 1);
  count.pre_count = 1;
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  tzu_event ev = make_event(TZU_HOOK_KEY_PERMISSION, 100);
  expect_decision(e, ev, TZU_VERDICT_ALLOW, 2);
  expect_decision(e, ev, TZU_VERDICT_ALLOW, 2);
  expect_decision(e, ev, TZU_VERDICT_DENY, 1);
  expect_decision(e, make_event(TZU_HOOK_KEY_PERMISSION, 101),
                  TZU_VERDICT_ALLOW, 2);
  // Process exit forgets the per-process counter.
  e.decide(make_event(TZU_HOOK_TASK_EXIT, 100));
  expect_decision(e, ev, TZU_VERDICT_ALLOW, 2);
}

// Key owner: key_alloc records the owning executable; key_permission from
// another executable is denied.
TEST(Engine, ObjectAttributeFromFieldUpdate) {
  BlobBuilder b;
  std::uint32_t owner = b.attr("key_owner", TZU_ATTR_SCOPE_OBJECT,
                               ucon::kAttrInt, ucon::kKeyField,
                               field_id("object.id"));
  BlobRule& alloc = b.rule(1, TZU_HOOK_KEY_ALLOC, kPermit);
  alloc.post_first = b.update(owner, TZU_ATTR_OP_SET, field_id("subject.exe_ino"),
                              ucon::kOperandField);
  alloc.post_count = 1;
  std::uint32_t other = b.node(ucon::kOpNe, ucon::kOperandAttr,
                               static_cast<std::uint16_t>(owner),
                               ucon::kOperandField, field_id("subject.exe_ino"), 0);
  b.rule(2, TZU_HOOK_KEY_PERMISSION, kDeny, other);
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  tzu_event ev = make_event(TZU_HOOK_KEY_ALLOC);
  ev.object.id = 42;
  ev.subject.exe_ino = 777;
  expect_decision(e, ev, TZU_VERDICT_ALLOW, 1);
  ev.hook = TZU_HOOK_KEY_PERMISSION;
  expect_decision(e, ev, TZU_VERDICT_ALLOW, 0, TZU_DF_DEFAULT);
  ev.subject.exe_ino = 778;
  expect_decision(e, ev, TZU_VERDICT_DENY, 2);
}

struct SessionPolicy {
  std::vector<std::uint8_t> blob;
  std::uint32_t integrity = 0, in_use = 0;
};

// A key session lives while integrity_state != 2; its post-update counts
// finished usages.
SessionPolicy session_policy(std::uint32_t version = 1) {
  BlobBuilder b;
  b.version = version;
  SessionPolicy sp;
  sp.integrity = b.attr("integrity_state", TZU_ATTR_SCOPE_GLOBAL,
                        ucon::kAttrInt, 0, 0, 0, 1);
  sp.in_use = b.attr("ended", TZU_ATTR_SCOPE_GLOBAL, ucon::kAttrInt, 0, 0, 0, 1);
  BlobRule& r = b.rule(5, TZU_HOOK_KEY_PERMISSION, kPermit);
  r.flags = ucon::kRuleSession | ucon::kRuleAudit;
  r.ongoing = b.attr_cmp(ucon::kOpNe, sp.integrity, TZU_INTEGRITY_VIOLATED);
  r.post_first = b.update(sp.in_use, TZU_ATTR_OP_ADD, 1);
  r.post_count = 1;
  sp.blob = b.build();
  return sp;
}

TEST(Engine, OngoingSessionRevokedOnAttributeChange) {
  TestEngine e;
  ASSERT_EQ(e.load(session_policy().blob), Status::kOk);
  tzu_decision d1 = e.decide(make_event(TZU_HOOK_KEY_PERMISSION, 100));
  tzu_decision d2 = e.decide(make_event(TZU_HOOK_KEY_PERMISSION, 200));
  ASSERT_TRUE(d1.flags & TZU_DF_SESSION_OPENED);
  ASSERT_TRUE(d2.flags & TZU_DF_SESSION_OPENED);
  EXPECT_NE(d1.session_id, d2.session_id);
  EXPECT_EQ(e->live_sessions(), 2u);

  ucon::Revocations rev;
  std::int64_t v;
  ASSERT_EQ(e->update_attr("integrity_state", 15, TZU_ATTR_OP_SET, 0,
                           TZU_INTEGRITY_OK, &v, &rev),
            Status::kOk);
  EXPECT_EQ(rev.total, 0u);
  ASSERT_EQ(e->update_attr("integrity_state", 15, TZU_ATTR_OP_SET, 0,
                           TZU_INTEGRITY_VIOLATED, &v, &rev),
            Status::kOk);
  ASSERT_EQ(rev.total, 2u);
  EXPECT_EQ(rev.reason, static_cast<std::uint32_t>(TZU_REVOKE_ONGOING));
  EXPECT_EQ(rev.ids[0] + rev.ids[1], d1.session_id + d2.session_id);
  EXPECT_EQ(e->live_sessions(), 0u);
  tzu_stats st;
  e->stats(&st);
  EXPECT_EQ(st.integrity_state, static_cast<std::uint32_t>(TZU_INTEGRITY_VIOLATED));
  EXPECT_EQ(st.revocations, 2u);
}

TEST(Engine, EndUsageRunsPostUpdateOnceAndOnlyForOwner) {
  TestEngine e;
  ASSERT_EQ(e.load(session_policy().blob), Status::kOk);
  tzu_decision d = e.decide(make_event(TZU_HOOK_KEY_PERMISSION, 100));
  tzu_event end = make_event(TZU_HOOK_USAGE_END, 999);
  end.object.id = d.session_id;
  tzu_decision bad = e.decide(end);
  EXPECT_EQ(bad.hdr.status, TZU_E_BAD_SESSION) << "other process's session";
  EXPECT_EQ(e->live_sessions(), 1u);
  end.subject.tgid = 100;
  tzu_decision ok = e.decide(end);
  EXPECT_EQ(ok.hdr.status, TZU_OK);
  EXPECT_EQ(e->live_sessions(), 0u);
  ucon::Revocations rev;
  EXPECT_EQ(e->end_usage(d.session_id, &rev), Status::kNotFound);
  std::int64_t v;
  ASSERT_EQ(e->update_attr("ended", 5, TZU_ATTR_OP_ADD, 0, 0, &v, &rev),
            Status::kOk);
  EXPECT_EQ(v, 1);
}

TEST(Engine, PolicySwapKeepsAttributesAndSessionsByName) {
  TestEngine e;
  ASSERT_EQ(e.load(session_policy(1).blob), Status::kOk);
  tzu_decision d = e.decide(make_event(TZU_HOOK_KEY_PERMISSION, 100));
  ASSERT_TRUE(d.flags & TZU_DF_SESSION_OPENED);
  ucon::LoadResult lr;
  std::vector<std::uint8_t> v2 = session_policy(2).blob;
  ASSERT_EQ(e->load_policy(v2.data(), v2.size(), &lr), Status::kOk);
  EXPECT_EQ(lr.revoked.total, 0u);
  EXPECT_EQ(e->live_sessions(), 1u);
  // A policy without the session rule revokes it.
  BlobBuilder b;
  b.version = 3;
  b.rule(9, TZU_HOOK_DEVMEM_OPEN, kDeny);
  std::vector<std::uint8_t> v3 = b.build();
  ASSERT_EQ(e->load_policy(v3.data(), v3.size(), &lr), Status::kOk);
  ASSERT_EQ(lr.revoked.total, 1u);
  EXPECT_EQ(lr.revoked.ids[0], d.session_id);
  EXPECT_EQ(lr.revoked.reason, static_cast<std::uint32_t>(TZU_REVOKE_POLICY));
  EXPECT_EQ(lr.epoch, 3u);
}

TEST(Engine, RejectedBlobsLeaveActivePolicy) {
  BlobBuilder b;
  b.version = 5;
  b.rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny);
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  BlobBuilder older;
  older.version = 4;
  older.rule(1, TZU_HOOK_DEVMEM_OPEN, kPermit);
  EXPECT_EQ(e.load(older.build()), Status::kRollback);
  std::vector<std::uint8_t> forged = older.build(std::vector<std::uint8_t>(32, 1));
  EXPECT_EQ(e.load(forged), Status::kAuth);
  std::vector<std::uint8_t> flipped = b.build();
  flipped[100] ^= 1;
  EXPECT_EQ(e.load(flipped), Status::kAuth);
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_DENY, 1);
  EXPECT_EQ(e->epoch(), 1u);
  tzu_stats st;
  e->stats(&st);
  EXPECT_EQ(st.policy_rejects, 3u);
  EXPECT_EQ(st.policy_version, 5u);
}

TEST(Engine, MalformedEventsGetErrorCodesAndDeny) {
  TestEngine e;
  struct Case {
    const char* what;
    void (*mutate)(tzu_event*);
    Status want;
  } cases[] = {
      {"magic", [](tzu_event* ev) { ev->hdr.magic = 0; }, Status::kBadMagic},
      {"version", [](tzu_event* ev) { ev->hdr.version = 9; }, Status::kBadVersion},
      {"command", [](tzu_event* ev) { ev->hdr.command = TZU_CMD_GET_STATS; },
       Status::kBadCommand},
      {"size", [](tzu_event* ev) { ev->hdr.size = 12; }, Status::kBadSize},
      {"hook 0", [](tzu_event* ev) { ev->hook = 0; }, Status::kBadField},
      {"hook range", [](tzu_event* ev) { ev->hook = TZU_HOOK_COUNT; },
       Status::kBadField},
      {"flags", [](tzu_event* ev) { ev->flags = 0x80; }, Status::kBadField},
      {"comm nul", [](tzu_event* ev) { std::memset(ev->subject.comm, 'a', 16); },
       Status::kBadField},
      {"name nul", [](tzu_event* ev) { std::memset(ev->object.name, 'a', 64); },
       Status::kBadField},
  };
  for (const Case& c : cases) {
    tzu_event ev = make_event(TZU_HOOK_FILE_MPROTECT);
    c.mutate(&ev);
    tzu_decision d;
    EXPECT_EQ(e->decide(ev, &d), c.want) << c.what;
    EXPECT_EQ(d.hdr.status, ucon::to_wire(c.want)) << c.what;
    EXPECT_EQ(d.verdict, TZU_VERDICT_DENY) << c.what;
  }
  tzu_stats st;
  e->stats(&st);
  EXPECT_EQ(st.errors, sizeof(cases) / sizeof(cases[0]));
}

TEST(Engine, AuditedRulesFormAVerifiableChain) {
  BlobBuilder b;
  b.rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny).flags = ucon::kRuleAudit;
  b.rule(2, TZU_HOOK_BPF_PROG_LOAD, kDeny);  // not audited
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  for (int i = 0; i < 3; ++i) {
    tzu_event ev = make_event(TZU_HOOK_DEVMEM_OPEN);
    ev.seq = 10 + static_cast<std::uint64_t>(i);
    tzu_decision d = e.decide(ev);
    EXPECT_TRUE(d.obligations & TZU_OBL_AUDIT);
  }
  tzu_decision d = e.decide(make_event(TZU_HOOK_BPF_PROG_LOAD));
  EXPECT_FALSE(d.obligations & TZU_OBL_AUDIT);
  tzu_audit_record recs[8];
  ucon::AuditReadInfo info;
  ASSERT_EQ(e->audit().read(0, recs, 8, &info), 3u);
  EXPECT_EQ(recs[2].event_seq, 12u);
  EXPECT_EQ(recs[0].rule_id, 1u);
  EXPECT_TRUE(ucon::AuditLog::verify(info.anchor, recs, 3));
}

}  // namespace
}  // namespace ucon_test
