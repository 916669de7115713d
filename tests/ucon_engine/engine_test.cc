// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// engine_test.cc - decision semantics: combining algorithms, defaults,
// modes, attribute updates, sessions and ongoing revocation, audit; and the
// engine's side of "root cannot weaken enforcement" (issue 7): signed and
// device-bound blobs, the rollback floor, attribute writers, key lifetimes,
// process identity and fail-closed audit.
#include <gtest/gtest.h>

#include <cstring>

#include "crypto.h"
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
  b.set_writer(sp.integrity, ucon::kWriterSecure);
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
  ASSERT_EQ(e->set_secure_attr("integrity_state", 15, TZU_INTEGRITY_OK, &rev),
            Status::kOk);
  EXPECT_EQ(rev.total, 0u);
  ASSERT_EQ(e->set_secure_attr("integrity_state", 15, TZU_INTEGRITY_VIOLATED,
                               &rev),
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
  std::int64_t v = 0;
  ASSERT_TRUE(e->global_attr("ended", 5, &v));
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

// ---- Authority (issue 7): what may change what the engine enforces ----

// A one-rule policy: DEVMEM_OPEN is denied (rule `id`), at `version`.
BlobBuilder devmem_policy(std::uint32_t version, std::uint32_t id = 1) {
  BlobBuilder b;
  b.version = version;
  b.rule(id, TZU_HOOK_DEVMEM_OPEN, kDeny);
  return b;
}

TEST(EngineAuthority, BlobSignedWithAnotherKeyIsRefused) {
  TestEngine e;
  const std::vector<std::uint8_t> other_seed(32, 0x11);
  EXPECT_EQ(e.load(devmem_policy(1).build(other_seed)), Status::kAuth);
  EXPECT_EQ(e->policy(), nullptr);
  // One flipped signature bit.
  std::vector<std::uint8_t> forged = devmem_policy(1).build();
  forged.back() ^= 0x01;
  EXPECT_EQ(e.load(forged), Status::kAuth);
  EXPECT_EQ(e->policy(), nullptr);
}

TEST(EngineAuthority, BlobBoundToAnotherDeviceIsRefused) {
  TestEngine e;
  BlobBuilder b = devmem_policy(1);
  b.device_id[0] ^= 0xff;
  EXPECT_EQ(e.load(b.build()), Status::kWrongDevice);
  EXPECT_EQ(e->policy(), nullptr);
  tzu_stats st;
  e->stats(&st);
  EXPECT_EQ(st.policy_rejects, 1u);
  EXPECT_EQ(e.load(devmem_policy(1).build()), Status::kOk);
}

TEST(EngineAuthority, AnyDevicePolicyLoadsOnEveryDevice) {
  BlobBuilder b = devmem_policy(1);
  b.any_device();
  const std::vector<std::uint8_t> blob = b.build();
  std::vector<std::uint8_t> other_dev = kTestDeviceId;
  other_dev[5] ^= 0x5a;
  TestEngine here;
  TestEngine there(ucon::EngineConfig(), other_dev);
  EXPECT_EQ(here.load(blob), Status::kOk);
  EXPECT_EQ(there.load(blob), Status::kOk);
  expect_decision(there, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_DENY, 1);
  // A blob bound to this device is refused over there.
  EXPECT_EQ(there.load(devmem_policy(2).build()), Status::kWrongDevice);
}

TEST(EngineAuthority, RollbackFloor) {
  TestEngine e;
  const std::vector<std::uint8_t> v5 = devmem_policy(5, 1).build();
  ASSERT_EQ(e.load(v5), Status::kOk);
  EXPECT_TRUE(e->floor().set);
  EXPECT_EQ(e->floor().version, 5u);
  EXPECT_EQ(e.load(devmem_policy(4, 2).build()), Status::kRollback)
      << "lower version";
  EXPECT_EQ(e.load(devmem_policy(5, 3).build()), Status::kRollback)
      << "same version, another blob";
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_DENY, 1);
  EXPECT_EQ(e->epoch(), 1u);
  EXPECT_EQ(e.load(v5), Status::kOk) << "the same blob again";
  EXPECT_EQ(e->epoch(), 2u);
  EXPECT_EQ(e.load(devmem_policy(6, 4).build()), Status::kOk);
  EXPECT_EQ(e->floor().version, 6u);
  EXPECT_EQ(e.load(v5), Status::kRollback) << "once newer was accepted";
  tzu_stats st;
  e->stats(&st);
  EXPECT_EQ(st.rollback_floor, 6u);
}

// The monitor restores the floor from persistent storage at boot.
TEST(EngineAuthority, RestoredFloorRefusesOlderAndOtherBlobs) {
  const std::vector<std::uint8_t> v5 = devmem_policy(5, 1).build();
  ucon::RollbackFloor f;
  f.set = true;
  f.version = 5;
  ucon::sha256(v5.data(), v5.size(), f.digest);
  TestEngine e;
  e->set_floor(f);
  EXPECT_EQ(e.load(devmem_policy(4).build()), Status::kRollback);
  EXPECT_EQ(e.load(devmem_policy(5, 9).build()), Status::kRollback);
  EXPECT_EQ(e.load(v5), Status::kOk);
  EXPECT_TRUE(ucon::rollback_allows(f, 6, f.digest));
  ucon::RollbackFloor unset;
  EXPECT_TRUE(ucon::rollback_allows(unset, 0, f.digest));
}

TEST(EngineAuthority, StageFailureLeavesActivePolicyUntouched) {
  TestEngine e;
  ASSERT_EQ(e.load(devmem_policy(3, 1).build()), Status::kOk);
  const ucon::Policy* active = e->policy();
  ucon::LoadResult lr;
  const std::vector<std::uint8_t> old = devmem_policy(2, 2).build();
  EXPECT_EQ(e->stage_policy(old.data(), old.size(), false, &lr),
            Status::kRollback);
  std::vector<std::uint8_t> bad = devmem_policy(4, 2).build();
  bad[sizeof(ucon::BlobHeader) + 1] ^= 1;
  EXPECT_EQ(e->stage_policy(bad.data(), bad.size(), false, &lr), Status::kAuth);
  e->commit_policy(&lr);  // nothing staged: no effect
  EXPECT_EQ(e->policy(), active);
  EXPECT_EQ(e->epoch(), 1u);
  EXPECT_EQ(e->floor().version, 3u);
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_DENY, 1);

  // A successful stage changes nothing until the commit.
  const std::vector<std::uint8_t> v4 = devmem_policy(4, 4).build();
  ASSERT_EQ(e->stage_policy(v4.data(), v4.size(), false, &lr), Status::kOk);
  EXPECT_EQ(lr.policy_version, 4u);
  EXPECT_EQ(e->policy(), active);
  EXPECT_EQ(e->floor().version, 3u);
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_DENY, 1);
  e->commit_policy(&lr);
  EXPECT_EQ(e->floor().version, 4u);
  EXPECT_EQ(lr.epoch, 2u);
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_DENY, 4);
}

TEST(EngineAuthority, BootPolicyDoesNotMoveTheFloor) {
  TestEngine e;
  ucon::RollbackFloor f;
  f.set = true;
  f.version = 7;
  e->set_floor(f);
  // The image's boot policy is older than the floor: it loads anyway.
  const std::vector<std::uint8_t> boot = devmem_policy(1, 1).build();
  ucon::LoadResult lr;
  ASSERT_EQ(e->stage_policy(boot.data(), boot.size(), true, &lr), Status::kOk);
  e->commit_policy(&lr);
  EXPECT_TRUE(e->boot_policy_active());
  EXPECT_EQ(e->floor().version, 7u);
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_DENY, 1,
                  TZU_DF_BOOT_POLICY);
  tzu_stats st;
  e->stats(&st);
  EXPECT_TRUE(st.flags & TZU_SF_BOOT_POLICY);
  // User space may not load that boot policy (it is below the floor) ...
  EXPECT_EQ(e.load(boot), Status::kRollback);
  // ... but a newer one replaces it and becomes the floor.
  ASSERT_EQ(e.load(devmem_policy(8, 2).build()), Status::kOk);
  EXPECT_FALSE(e->boot_policy_active());
  EXPECT_EQ(e->floor().version, 8u);
  tzu_decision d = e.decide(make_event(TZU_HOOK_DEVMEM_OPEN));
  EXPECT_FALSE(d.flags & TZU_DF_BOOT_POLICY);

  // On a fresh device the boot policy leaves the floor unset.
  TestEngine fresh;
  const std::vector<std::uint8_t> boot9 = devmem_policy(9, 1).build();
  ASSERT_EQ(fresh->stage_policy(boot9.data(), boot9.size(), true, &lr),
            Status::kOk);
  fresh->commit_policy(&lr);
  EXPECT_FALSE(fresh->floor().set);
  EXPECT_EQ(fresh.load(devmem_policy(2, 2).build()), Status::kOk);
}

// One attribute per writer, all global ints, plus a secure set and an
// admin subject attribute; a rule post-updates the engine attribute.
std::vector<std::uint8_t> writer_policy() {
  BlobBuilder b;
  const std::uint32_t eng = b.attr("uses", TZU_ATTR_SCOPE_GLOBAL, ucon::kAttrInt,
                                   0, 0, 0, 1);
  const std::uint32_t sec = b.attr("integrity_state", TZU_ATTR_SCOPE_GLOBAL,
                                   ucon::kAttrInt, 0, 0, 0, 1);
  const std::uint32_t adm = b.attr("jit_allowed", TZU_ATTR_SCOPE_GLOBAL,
                                   ucon::kAttrInt, 0, 0, 0, 1);
  const std::uint32_t sset = b.attr("secure_set", TZU_ATTR_SCOPE_GLOBAL,
                                    ucon::kAttrSet, 0, 0, 0, 1);
  const std::uint32_t asub = b.attr("trusted", TZU_ATTR_SCOPE_SUBJECT,
                                    ucon::kAttrInt, ucon::kKeyTgid);
  b.set_writer(sec, ucon::kWriterSecure);
  b.set_writer(sset, ucon::kWriterSecure);
  b.set_writer(adm, ucon::kWriterAdmin);
  b.set_writer(asub, ucon::kWriterAdmin);
  BlobRule& r = b.rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny,
                       b.attr_cmp(ucon::kOpEq, adm, 0));
  r.post_first = b.update(eng, TZU_ATTR_OP_ADD, 1);
  r.post_count = 1;
  return b.build();
}

TEST(EngineAuthority, UpdateAttrWritesOnlyAdminAttributes) {
  TestEngine e;
  ASSERT_EQ(e.load(writer_policy()), Status::kOk);
  ucon::Revocations rev;
  std::int64_t v = -1;
  EXPECT_EQ(e->update_attr("uses", 4, TZU_ATTR_OP_SET, 0, 0, &v, &rev),
            Status::kNotWritable) << "engine-written";
  EXPECT_EQ(e->update_attr("integrity_state", 15, TZU_ATTR_OP_SET, 0,
                           TZU_INTEGRITY_OK, &v, &rev),
            Status::kNotWritable) << "secure-written";
  EXPECT_EQ(e->update_attr("secure_set", 10, TZU_ATTR_OP_CLEAR, 0, 0, &v, &rev),
            Status::kNotWritable);
  EXPECT_EQ(v, -1);
  EXPECT_EQ(e->update_attr("nope", 4, TZU_ATTR_OP_SET, 0, 1, &v, &rev),
            Status::kNotFound);
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_DENY, 1);
  ASSERT_EQ(e->update_attr("jit_allowed", 11, TZU_ATTR_OP_SET, 0, 1, &v, &rev),
            Status::kOk);
  EXPECT_EQ(v, 1);
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_ALLOW, 0,
                  TZU_DF_DEFAULT);
  EXPECT_EQ(e->update_attr("trusted", 7, TZU_ATTR_OP_ADD, 100, 2, &v, &rev),
            Status::kOk);
  EXPECT_EQ(v, 2);
  std::int64_t uses = 0, integrity = 9;
  ASSERT_TRUE(e->global_attr("uses", 4, &uses));
  EXPECT_EQ(uses, 1) << "only the rule's post-update counted";
  ASSERT_TRUE(e->global_attr("integrity_state", 15, &integrity));
  EXPECT_EQ(integrity, 0);
}

TEST(EngineAuthority, SetSecureAttrWritesOnlySecureIntGlobals) {
  TestEngine e;
  ucon::Revocations rev;
  // Before any policy a measurement is remembered for one that declares it.
  EXPECT_EQ(e->set_secure_attr("integrity_state", 15, 1, &rev), Status::kOk);
  ASSERT_EQ(e.load(writer_policy()), Status::kOk);
  EXPECT_EQ(e->set_secure_attr("uses", 4, 5, &rev), Status::kNotWritable);
  EXPECT_EQ(e->set_secure_attr("jit_allowed", 11, 1, &rev),
            Status::kNotWritable);
  EXPECT_EQ(e->set_secure_attr("trusted", 7, 1, &rev), Status::kNotWritable);
  EXPECT_EQ(e->set_secure_attr("secure_set", 10, 1, &rev),
            Status::kNotWritable) << "a set";
  EXPECT_EQ(e->set_secure_attr("nope", 4, 1, &rev), Status::kOk)
      << "not declared: remembered, not refused";
  ASSERT_EQ(e->set_secure_attr("integrity_state", 15, TZU_INTEGRITY_VIOLATED,
                               &rev),
            Status::kOk);
  tzu_stats st;
  e->stats(&st);
  EXPECT_EQ(st.integrity_state, static_cast<std::uint32_t>(TZU_INTEGRITY_VIOLATED));
  std::int64_t v = 0;
  ASSERT_TRUE(e->global_attr("jit_allowed", 11, &v));
  EXPECT_EQ(v, 0);
}

// Regression (red-team review): a weakened boot set integrity_state = 2 in
// the boot policy; loading a policy without the attribute, then one with it,
// reset it to its initial 0 and let integrity-gated loads through.
TEST(EngineAuthority, MeasurementSurvivesSwapsThroughPoliciesWithoutIt) {
  TestEngine e;
  ucon::Revocations rev;
  ASSERT_EQ(e.load(writer_policy()), Status::kOk);
  ASSERT_EQ(e->set_secure_attr("integrity_state", 15, TZU_INTEGRITY_VIOLATED, &rev),
            Status::kOk);
  ASSERT_EQ(e.load(devmem_policy(2, 2).build()), Status::kOk);  // lacks it
  tzu_stats st;
  e->stats(&st);
  EXPECT_EQ(st.integrity_state, static_cast<std::uint32_t>(TZU_INTEGRITY_VIOLATED))
      << "reported while no policy declares it";
  BlobBuilder b;  // declares it again
  b.version = 3;
  const std::uint32_t sec = b.attr("integrity_state", TZU_ATTR_SCOPE_GLOBAL,
                                   ucon::kAttrInt, 0, 0, 0, 1);
  b.set_writer(sec, ucon::kWriterSecure);
  b.rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny, b.attr_cmp(ucon::kOpEq, sec, 2));
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  std::int64_t v = 0;
  ASSERT_TRUE(e->global_attr("integrity_state", 15, &v));
  EXPECT_EQ(v, TZU_INTEGRITY_VIOLATED);
  tzu_decision d;
  ASSERT_EQ(e->decide(ucon_test::make_event(TZU_HOOK_DEVMEM_OPEN, 7), &d), Status::kOk);
  EXPECT_EQ(d.verdict, TZU_VERDICT_DENY) << "the integrity-gated rule applies";
  EXPECT_EQ(d.rule_id, 1u);
}

// A key's owner (set at KEY_ALLOC) and usage sessions on it (KEY_PERMISSION)
// live as long as the key: the creating task's exit does not end them,
// KEY_FREE does; a reused serial then starts clean.
std::vector<std::uint8_t> key_policy() {
  BlobBuilder b;
  const std::uint32_t owner = b.attr("key_owner", TZU_ATTR_SCOPE_OBJECT,
                                     ucon::kAttrInt, ucon::kKeyField,
                                     field_id("object.id"));
  const std::uint32_t ended = b.attr("ended", TZU_ATTR_SCOPE_GLOBAL,
                                     ucon::kAttrInt, 0, 0, 0, 1);
  BlobRule& alloc = b.rule(1, TZU_HOOK_KEY_ALLOC, kPermit);
  alloc.post_first = b.update(owner, TZU_ATTR_OP_SET, field_id("subject.exe_ino"),
                              ucon::kOperandField);
  alloc.post_count = 1;
  // Deny another executable's use of an owned key.
  const std::uint32_t foreign =
      b.all({b.attr_cmp(ucon::kOpNe, owner, 0),
             b.node(ucon::kOpNe, ucon::kOperandAttr,
                    static_cast<std::uint16_t>(owner), ucon::kOperandField,
                    field_id("subject.exe_ino"), 0)});
  b.rule(2, TZU_HOOK_KEY_PERMISSION, kDeny, foreign);
  BlobRule& use = b.rule(3, TZU_HOOK_KEY_PERMISSION, kPermit);
  use.flags = ucon::kRuleSession;
  use.post_first = b.update(ended, TZU_ATTR_OP_ADD, 1);
  use.post_count = 1;
  return b.build();
}

tzu_event key_event(std::uint32_t hook, std::uint32_t tgid, std::uint32_t serial,
                    std::uint64_t exe_ino) {
  tzu_event ev = make_event(hook, tgid);
  ev.object.id = serial;
  ev.subject.exe_ino = exe_ino;
  return ev;
}

TEST(EngineAuthority, KeyFreeEndsKeySessionsTaskExitDoesNot) {
  TestEngine e;
  ASSERT_EQ(e.load(key_policy()), Status::kOk);
  EXPECT_TRUE(e->interest_mask() & (1u << TZU_HOOK_KEY_FREE));
  expect_decision(e, key_event(TZU_HOOK_KEY_ALLOC, 100, 42, 777),
                  TZU_VERDICT_ALLOW, 1);
  tzu_decision d = e.decide(key_event(TZU_HOOK_KEY_PERMISSION, 100, 42, 777));
  ASSERT_EQ(d.rule_id, 3u);
  ASSERT_TRUE(d.flags & TZU_DF_SESSION_OPENED);
  e.decide(key_event(TZU_HOOK_KEY_PERMISSION, 200, 43, 900));  // other key
  ASSERT_EQ(e->live_sessions(), 2u);

  // The creating task exits: the key and its session live on.
  tzu_decision exit = e.decide(make_event(TZU_HOOK_TASK_EXIT, 100));
  EXPECT_EQ(exit.hdr.status, TZU_OK);
  EXPECT_EQ(exit.verdict, TZU_VERDICT_ALLOW);
  EXPECT_EQ(e->live_sessions(), 2u);
  expect_decision(e, key_event(TZU_HOOK_KEY_PERMISSION, 300, 42, 778),
                  TZU_VERDICT_DENY, 2);

  // The key is freed: its session ends (post-update runs), the other stays.
  tzu_event free_ev = key_event(TZU_HOOK_KEY_FREE, 1, 42, 0);
  tzu_decision fd = e.decide(free_ev);
  EXPECT_EQ(fd.hdr.status, TZU_OK);
  EXPECT_EQ(fd.verdict, TZU_VERDICT_ALLOW);
  EXPECT_EQ(e->live_sessions(), 1u);
  std::int64_t ended = 0;
  ASSERT_TRUE(e->global_attr("ended", 5, &ended));
  EXPECT_EQ(ended, 1);
  // Its owner attribute went with it: a new key with the same serial made
  // by another executable is not "foreign" to the old owner.
  expect_decision(e, key_event(TZU_HOOK_KEY_PERMISSION, 300, 42, 778),
                  TZU_VERDICT_ALLOW, 3);
}

TEST(EngineAuthority, ReusedPidWithAnotherStartTimeStartsClean) {
  BlobBuilder b;
  const std::uint32_t uses = b.attr("key_uses", TZU_ATTR_SCOPE_SUBJECT,
                                    ucon::kAttrInt, ucon::kKeyTgid);
  b.rule(1, TZU_HOOK_KEY_PERMISSION, kDeny, b.attr_cmp(ucon::kOpGe, uses, 2));
  BlobRule& count = b.rule(2, TZU_HOOK_KEY_PERMISSION, kPermit);
  count.pre_first = b.update(uses, TZU_ATTR_OP_ADD, 1);
  count.pre_count = 1;
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  tzu_event ev = make_event(TZU_HOOK_KEY_PERMISSION, 100);
  ev.subject.start_time = 1000;
  expect_decision(e, ev, TZU_VERDICT_ALLOW, 2);
  expect_decision(e, ev, TZU_VERDICT_ALLOW, 2);
  expect_decision(e, ev, TZU_VERDICT_DENY, 1);
  // The same pid, another process (its TASK_EXIT was never seen).
  tzu_event reused = ev;
  reused.subject.start_time = 2000;
  expect_decision(e, reused, TZU_VERDICT_ALLOW, 2);
  // An exit of the new process does not clear the old one's counter.
  e.decide([&] {
    tzu_event x = make_event(TZU_HOOK_TASK_EXIT, 100);
    x.subject.start_time = 2000;
    return x;
  }());
  expect_decision(e, ev, TZU_VERDICT_DENY, 1);
}

// Fail-closed audit: a full ring of undrained records denies audited
// decisions before any state changes; draining (ack) lets them through.
std::vector<std::uint8_t> audited_counter_policy(std::uint8_t rule_flags) {
  BlobBuilder b;
  b.flags = ucon::kPolicyAuditFailClosed;
  const std::uint32_t uses = b.attr("uses", TZU_ATTR_SCOPE_GLOBAL,
                                    ucon::kAttrInt, 0, 0, 0, 1);
  BlobRule& r = b.rule(1, TZU_HOOK_DEVMEM_OPEN, kPermit);
  r.flags = rule_flags;
  r.pre_first = b.update(uses, TZU_ATTR_OP_ADD, 1);
  r.pre_count = 1;
  BlobRule& s = b.rule(2, TZU_HOOK_KEY_PERMISSION, kPermit);
  s.flags = rule_flags | ucon::kRuleSession;
  return b.build();
}

ucon::EngineConfig small_audit(std::uint32_t records) {
  ucon::EngineConfig cfg;
  cfg.audit_records = records;
  return cfg;
}

TEST(EngineAuthority, FullFailClosedRingDeniesAuditedRuleWithoutStateChange) {
  TestEngine e(small_audit(4));
  ASSERT_EQ(e.load(audited_counter_policy(ucon::kRuleAudit)), Status::kOk);
  tzu_stats st;
  e->stats(&st);
  EXPECT_TRUE(st.flags & TZU_SF_AUDIT_FAIL_CLOSED);
  for (int i = 0; i < 4; ++i)
    expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_ALLOW, 1);
  ASSERT_EQ(e->audit().next_index(), 4u);
  std::int64_t uses = 0;
  ASSERT_TRUE(e->global_attr("uses", 4, &uses));
  ASSERT_EQ(uses, 4);

  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_DENY, 1,
                  TZU_DF_AUDIT_FULL);
  tzu_decision sd = e.decide(make_event(TZU_HOOK_KEY_PERMISSION));
  EXPECT_EQ(sd.verdict, TZU_VERDICT_DENY);
  EXPECT_TRUE(sd.flags & TZU_DF_AUDIT_FULL);
  EXPECT_FALSE(sd.flags & TZU_DF_SESSION_OPENED);
  EXPECT_EQ(e->live_sessions(), 0u) << "no session opened";
  ASSERT_TRUE(e->global_attr("uses", 4, &uses));
  EXPECT_EQ(uses, 4) << "no pre-update ran";
  EXPECT_EQ(e->audit().next_index(), 4u);
  e->stats(&st);
  EXPECT_EQ(st.audit_full_denials, 2u);
  // Secure-world records are refused too.
  ucon::AuditLog::SecureRecord r;
  r.kind = TZU_AUDIT_MODE;
  EXPECT_FALSE(e->audit_event(r));

  e->ack_audit(1);  // a reader drained record 0
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_ALLOW, 1);
  ASSERT_TRUE(e->global_attr("uses", 4, &uses));
  EXPECT_EQ(uses, 5);
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_DENY, 1,
                  TZU_DF_AUDIT_FULL);
}

// Permissive would-denies are audited too (engine.h step 8): with the ring
// full they are denied, and (step 4) before any update runs.
TEST(EngineAuthority, FullFailClosedRingDeniesPermissiveWouldDenyWithoutStateChange) {
  BlobBuilder b;
  b.flags = ucon::kPolicyAuditFailClosed;
  const std::uint32_t uses = b.attr("uses", TZU_ATTR_SCOPE_GLOBAL,
                                    ucon::kAttrInt, 0, 0, 0, 1);
  BlobRule& r = b.rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny);
  r.flags = ucon::kRulePermissive;
  r.pre_first = b.update(uses, TZU_ATTR_OP_ADD, 1);
  r.pre_count = 1;
  TestEngine e(small_audit(2));
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  for (int i = 0; i < 2; ++i)
    expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_ALLOW, 1,
                    TZU_DF_WOULD_DENY);
  std::int64_t v = 0;
  ASSERT_TRUE(e->global_attr("uses", 4, &v));
  ASSERT_EQ(v, 2);
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_DENY, 1,
                  TZU_DF_AUDIT_FULL);
  ASSERT_TRUE(e->global_attr("uses", 4, &v));
  EXPECT_EQ(v, 2) << "denied for the audit ring, yet its pre-update ran";
}

TEST(EngineAuthority, DropOldestRingNeverDeniesAndCountsUndrainedDrops) {
  BlobBuilder b;
  b.rule(1, TZU_HOOK_DEVMEM_OPEN, kPermit).flags = ucon::kRuleAudit;
  TestEngine e(small_audit(2));
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  for (int i = 0; i < 2; ++i)
    expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_ALLOW, 1);
  e->ack_audit(2);
  for (int i = 0; i < 2; ++i)
    expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_ALLOW, 1);
  tzu_stats st;
  e->stats(&st);
  EXPECT_EQ(st.audit_dropped, 0u) << "drained records fell off";
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_ALLOW, 1);
  e->stats(&st);
  EXPECT_EQ(st.audit_dropped, 1u);
  EXPECT_EQ(st.audit_full_denials, 0u);
  EXPECT_FALSE(st.flags & TZU_SF_AUDIT_FAIL_CLOSED);
  // The caller may switch to fail-closed (AUDIT_CONFIG).
  e->set_audit_fail_closed(true);
  expect_decision(e, make_event(TZU_HOOK_DEVMEM_OPEN), TZU_VERDICT_DENY, 1,
                  TZU_DF_AUDIT_FULL);
}

// Engine::init() starts over: nothing of a previous configuration remains
// (the fuzzers and the monitor's fault recovery rely on it).
TEST(EngineAuthority, InitResetsAuditFailClosed) {
  TestEngine e;
  e->set_audit_fail_closed(true);
  ucon::EngineConfig cfg;
  std::vector<std::uint64_t> mem(ucon::Engine::arena_bytes(cfg) / 8 + 1);
  ASSERT_EQ(e->init(mem.data(), mem.size() * 8, cfg, test_policy_pub().data(),
                    kTestDeviceId.data()),
            Status::kOk);
  tzu_stats st;
  e->stats(&st);
  EXPECT_FALSE(st.flags & TZU_SF_AUDIT_FAIL_CLOSED);
  EXPECT_FALSE(e->audit().fail_closed());
}

TEST(EngineAuthority, ResetCountersKeepsPolicyCounts) {
  TestEngine e;
  ASSERT_EQ(e.load(devmem_policy(1).build()), Status::kOk);
  EXPECT_EQ(e.load(devmem_policy(1, 2).build()), Status::kRollback);
  e.decide(make_event(TZU_HOOK_DEVMEM_OPEN));
  e->reset_counters();
  tzu_stats st;
  e->stats(&st);
  EXPECT_EQ(st.decisions, 0u);
  EXPECT_EQ(st.denied, 0u);
  EXPECT_EQ(st.policy_loads, 2u);
  EXPECT_EQ(st.policy_rejects, 1u);
  EXPECT_EQ(st.policy_version, 1u);
}

}  // namespace
}  // namespace ucon_test
