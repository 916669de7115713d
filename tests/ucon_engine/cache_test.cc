// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cache_test.cc - what the kernel's decision cache relies on (issue 9): which
// decisions are marked cacheable, the per-hook field sets (and that events
// equal on them get equal verdicts), the cache epoch moving on with every
// kind of state change and only then, and the TASK_STATE marking of
// decisions and admin writes that leave per-process state.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "attributes.h"
#include "fields.h"
#include "policy.h"
#include "test_util.h"

namespace ucon_test {
namespace {

using ucon::Status;

constexpr std::uint8_t kPermit = ucon::kEffectPermit;
constexpr std::uint8_t kDeny = ucon::kEffectDeny;

constexpr std::uint32_t bit(std::uint32_t f) { return 1u << f; }

std::uint16_t u16(std::uint32_t v) { return static_cast<std::uint16_t>(v); }

TEST(CacheFields, TableIdsAreTheAbiIds) {
  std::size_t n = 0;
  const ucon::FieldInfo* t = ucon::field_table(&n);
  ASSERT_EQ(n, TZU_FIELD_COUNT);
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(t[i].id, i) << t[i].name;
  EXPECT_EQ(field_id("object.prot"), TZU_FIELD_PROT);
  EXPECT_EQ(field_id("subject.start_time"), TZU_FIELD_START_TIME);
  EXPECT_EQ(field_id("object.name"), TZU_FIELD_NAME);
}

// mprotect: prot, old_prot and a per-executable attribute; devmem: a
// per-process attribute (with `present`); key_permission: an object
// attribute keyed by object.id and a global; alg_bind: a string.
struct FieldPolicy {
  std::vector<std::uint8_t> blob;
  std::uint32_t jit, uses, owner, quota;
};

FieldPolicy field_policy() {
  BlobBuilder b;
  FieldPolicy p;
  p.jit = b.attr("jit", TZU_ATTR_SCOPE_SUBJECT, ucon::kAttrInt, ucon::kKeyExe);
  p.uses = b.attr("uses", TZU_ATTR_SCOPE_SUBJECT, ucon::kAttrInt, ucon::kKeyTgid);
  p.owner = b.attr("owner", TZU_ATTR_SCOPE_OBJECT, ucon::kAttrInt, ucon::kKeyField,
                   field_id("object.id"));
  p.quota = b.attr("quota", TZU_ATTR_SCOPE_GLOBAL, ucon::kAttrInt, 0, 0, 5, 1);
  b.set_writer(p.quota, ucon::kWriterAdmin);
  b.set_writer(p.jit, ucon::kWriterAdmin);
  b.rule(1, TZU_HOOK_FILE_MPROTECT, kDeny,
         b.all({b.field_cmp(ucon::kOpBitsAny, "object.prot", TZU_PROT_EXEC),
                b.field_cmp(ucon::kOpBitsAny, "object.old_prot", TZU_PROT_WRITE),
                b.negate(b.attr_cmp(ucon::kOpEq, p.jit, 1))}));
  b.rule(2, TZU_HOOK_DEVMEM_OPEN, kDeny,
         b.node(ucon::kOpPresent, ucon::kOperandAttr, u16(p.uses),
                ucon::kOperandNone, 0, 0));
  b.rule(3, TZU_HOOK_DEVMEM_OPEN, kDeny, b.field_eq("subject.uid", 7));
  BlobRule& k = b.rule(4, TZU_HOOK_KEY_PERMISSION, kDeny,
                       b.attr_cmp(ucon::kOpGe, p.owner, 3));
  k.condition = b.attr_cmp(ucon::kOpLt, p.quota, 1);
  b.rule(5, TZU_HOOK_ALG_BIND, kDeny, b.field_str_eq("object.name", "md5"));
  // A rule that opens a session: the devmem rule above reads its entries.
  BlobRule& s = b.rule(6, TZU_HOOK_MMAP_FILE, kPermit);
  s.flags = ucon::kRuleSession;
  s.pre_first = b.update(p.uses, TZU_ATTR_OP_ADD, 1);
  s.pre_count = 1;
  p.blob = b.build();
  return p;
}

TEST(CacheFields, PerHookSetsNameEveryFieldRulesRead) {
  TestEngine e;
  FieldPolicy p = field_policy();
  ASSERT_EQ(e.load(p.blob), Status::kOk);
  const ucon::Policy& pol = *e->policy();
  const std::uint32_t hook = bit(TZU_FIELD_HOOK);
  EXPECT_EQ(pol.hook_fields(TZU_HOOK_FILE_MPROTECT),
            hook | bit(TZU_FIELD_PROT) | bit(TZU_FIELD_OLD_PROT) |
                bit(TZU_FIELD_EXE_DEV) | bit(TZU_FIELD_EXE_INO) |
                bit(TZU_FIELD_EXE_GEN));
  EXPECT_EQ(pol.hook_fields(TZU_HOOK_DEVMEM_OPEN),
            hook | bit(TZU_FIELD_TGID) | bit(TZU_FIELD_START_TIME) |
                bit(TZU_FIELD_UID));
  EXPECT_EQ(pol.hook_fields(TZU_HOOK_KEY_PERMISSION), hook | bit(TZU_FIELD_ID))
      << "a global attribute is keyed by no field";
  EXPECT_EQ(pol.hook_fields(TZU_HOOK_ALG_BIND), hook | bit(TZU_FIELD_NAME));
  EXPECT_EQ(pol.hook_fields(TZU_HOOK_MMAP_FILE), hook);
  EXPECT_EQ(pol.hook_fields(TZU_HOOK_PTRACE_ACCESS), hook) << "no rules";
}

TEST(CacheMark, PlainDecisionsAreCacheableWithTheirFields) {
  TestEngine e;
  FieldPolicy p = field_policy();
  ASSERT_EQ(e.load(p.blob), Status::kOk);
  tzu_event ev = make_event(TZU_HOOK_FILE_MPROTECT);
  ev.object.prot = TZU_PROT_EXEC;
  ev.object.old_prot = TZU_PROT_WRITE;
  tzu_decision d = e.decide(ev);
  EXPECT_EQ(d.verdict, TZU_VERDICT_DENY);
  EXPECT_TRUE(d.flags & TZU_DF_CACHEABLE);
  EXPECT_EQ(d.cache_fields, e->policy()->hook_fields(TZU_HOOK_FILE_MPROTECT));
  EXPECT_EQ(d.cache_epoch, e->cache_epoch(TZU_HOOK_FILE_MPROTECT));
  ev.object.old_prot = 0;  // no rule: the default, cacheable too
  d = e.decide(ev);
  EXPECT_EQ(d.verdict, TZU_VERDICT_ALLOW);
  EXPECT_TRUE(d.flags & TZU_DF_DEFAULT);
  EXPECT_TRUE(d.flags & TZU_DF_CACHEABLE);
}

// One policy per reason a decision must reach the secure world every time.
TEST(CacheMark, NothingWithStateObligationsOrLimitsIsCacheable) {
  struct Case {
    const char* name;
    std::uint32_t hook;
    void (*shape)(BlobBuilder* b);
  };
  const Case cases[] = {
      {"audited rule", TZU_HOOK_DEVMEM_OPEN,
       [](BlobBuilder* b) { b->rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny).flags = ucon::kRuleAudit; }},
      {"audited default", TZU_HOOK_DEVMEM_OPEN,
       [](BlobBuilder* b) {
         b->flags |= ucon::kPolicyAuditDefault;
         b->rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny, b->field_eq("subject.uid", 7));
       }},
      {"notify obligation", TZU_HOOK_DEVMEM_OPEN,
       [](BlobBuilder* b) { b->rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny).obligations = TZU_OBL_NOTIFY; }},
      {"kill obligation", TZU_HOOK_DEVMEM_OPEN,
       [](BlobBuilder* b) { b->rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny).obligations = TZU_OBL_KILL; }},
      {"pre-update, even of a global", TZU_HOOK_DEVMEM_OPEN,
       [](BlobBuilder* b) {
         const std::uint32_t a = b->attr("n", TZU_ATTR_SCOPE_GLOBAL, ucon::kAttrInt, 0, 0, 0, 1);
         const std::uint32_t u = b->update(a, TZU_ATTR_OP_SET, 0);
         BlobRule& r = b->rule(1, TZU_HOOK_DEVMEM_OPEN, kPermit);
         r.pre_first = u;
         r.pre_count = 1;
       }},
      {"post-update", TZU_HOOK_DEVMEM_OPEN,
       [](BlobBuilder* b) {
         const std::uint32_t a = b->attr("n", TZU_ATTR_SCOPE_GLOBAL, ucon::kAttrInt, 0, 0, 0, 1);
         const std::uint32_t u = b->update(a, TZU_ATTR_OP_ADD, 1);
         BlobRule& r = b->rule(1, TZU_HOOK_DEVMEM_OPEN, kPermit);
         r.post_first = u;
         r.post_count = 1;
       }},
      {"session", TZU_HOOK_DEVMEM_OPEN,
       [](BlobBuilder* b) { b->rule(1, TZU_HOOK_DEVMEM_OPEN, kPermit).flags = ucon::kRuleSession; }},
      {"permissive would-deny", TZU_HOOK_DEVMEM_OPEN,
       [](BlobBuilder* b) { b->rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny).flags = ucon::kRulePermissive; }},
      {"rule reads seq", TZU_HOOK_DEVMEM_OPEN,
       [](BlobBuilder* b) { b->rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny, b->field_eq("seq", 0)); }},
      {"rule reads cpu", TZU_HOOK_DEVMEM_OPEN,
       [](BlobBuilder* b) { b->rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny, b->field_eq("cpu", 1)); }},
      {"hook outside the mask", TZU_HOOK_PTRACE_ACCESS,
       [](BlobBuilder* b) { b->rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny); }},
  };
  for (const Case& c : cases) {
    BlobBuilder b;
    c.shape(&b);
    TestEngine e;
    ASSERT_EQ(e.load(b.build()), Status::kOk) << c.name;
    tzu_decision d = e.decide(make_event(c.hook));
    EXPECT_EQ(d.hdr.status, TZU_OK) << c.name;
    EXPECT_FALSE(d.flags & TZU_DF_CACHEABLE) << c.name << " flags " << d.flags;
    EXPECT_EQ(d.cache_fields, 0u) << c.name;
  }
}

TEST(CacheMark, LifecycleErrorsNoPolicyAndFullAuditAreNotCacheable) {
  TestEngine none;
  EXPECT_FALSE(none.decide(make_event(TZU_HOOK_DEVMEM_OPEN)).flags & TZU_DF_CACHEABLE);
  FieldPolicy p = field_policy();
  TestEngine e;
  ASSERT_EQ(e.load(p.blob), Status::kOk);
  tzu_event bad = make_event(TZU_HOOK_DEVMEM_OPEN);
  bad.flags = 0x80000000u;
  EXPECT_FALSE(e.decide(bad).flags & TZU_DF_CACHEABLE);
  EXPECT_FALSE(e.decide(make_event(TZU_HOOK_TASK_EXIT)).flags & TZU_DF_CACHEABLE);
  EXPECT_FALSE(e.decide(make_event(TZU_HOOK_KEY_FREE)).flags & TZU_DF_CACHEABLE);
  // Fail-closed audit with a full ring: a non-audited decision stays
  // cacheable, an audited one is denied and not cached.
  ucon::EngineConfig cfg;
  cfg.audit_records = 1;
  TestEngine f(cfg);
  BlobBuilder b;
  b.flags |= ucon::kPolicyAuditFailClosed;
  b.rule(1, TZU_HOOK_DEVMEM_OPEN, kDeny).flags = ucon::kRuleAudit;
  b.rule(2, TZU_HOOK_PTRACE_ACCESS, kDeny);
  ASSERT_EQ(f.load(b.build()), Status::kOk);
  f.decide(make_event(TZU_HOOK_DEVMEM_OPEN));  // fills the ring
  tzu_decision full = f.decide(make_event(TZU_HOOK_DEVMEM_OPEN));
  EXPECT_TRUE(full.flags & TZU_DF_AUDIT_FULL);
  EXPECT_FALSE(full.flags & TZU_DF_CACHEABLE);
  EXPECT_TRUE(f.decide(make_event(TZU_HOOK_PTRACE_ACCESS)).flags & TZU_DF_CACHEABLE);
}

// The field set is enough: any two events equal on a decision's
// cache_fields, decided in the same cache epoch, get the same answer.
// Random events over small value ranges, so that many agree on the set.
TEST(CacheFields, EventsEqualOnTheSetGetEqualVerdicts) {
  TestEngine e;
  FieldPolicy p = field_policy();
  ASSERT_EQ(e.load(p.blob), Status::kOk);
  ucon::Revocations rev;
  std::int64_t v;
  ASSERT_EQ(e->update_attr("jit", 3, TZU_ATTR_OP_SET,
                           ucon::exe_key(make_event(TZU_HOOK_FILE_MPROTECT).subject),
                           1, &v, &rev),
            Status::kOk);
  std::mt19937 rng(9);
  auto r = [&rng](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };
  const std::uint32_t hooks[] = {TZU_HOOK_FILE_MPROTECT, TZU_HOOK_DEVMEM_OPEN,
                                 TZU_HOOK_KEY_PERMISSION, TZU_HOOK_ALG_BIND};
  struct Seen {
    tzu_event ev;
    tzu_decision d;
  };
  std::vector<Seen> seen;
  const std::uint32_t epoch = e->cache_epoch();
  for (int i = 0; i < 3000; ++i) {
    tzu_event ev = make_event(hooks[r(4)], 100 + r(3));
    ev.subject.uid = 6 + r(3);
    ev.subject.start_time = r(2);
    ev.subject.exe_ino = r(2) ? make_event(TZU_HOOK_NONE).subject.exe_ino : 77;
    ev.object.prot = r(8);
    ev.object.old_prot = r(8);
    ev.object.id = r(3);
    ev.object.addr = r(1u << 30);
    std::strcpy(ev.object.name, r(2) ? "md5" : "sha256");
    tzu_decision d = e.decide(ev);
    ASSERT_EQ(e->cache_epoch(), epoch) << "no decision here changes state";
    if (!(d.flags & TZU_DF_CACHEABLE)) continue;
    for (const Seen& s : seen) {
      if (s.ev.hook != ev.hook) continue;
      bool same = true;
      for (std::uint32_t f = 0; f < TZU_FIELD_COUNT && same; ++f) {
        if (!(d.cache_fields & bit(f))) continue;
        const ucon::FieldInfo& fi = *ucon::field_by_id(f);
        same = std::memcmp(reinterpret_cast<const std::uint8_t*>(&s.ev) + fi.offset,
                           reinterpret_cast<const std::uint8_t*>(&ev) + fi.offset,
                           fi.size) == 0;
      }
      if (!same) continue;
      ASSERT_EQ(s.d.verdict, d.verdict) << "event " << i;
      ASSERT_EQ(s.d.rule_id, d.rule_id) << "event " << i;
    }
    if (seen.size() < 400) seen.push_back(Seen{ev, d});
  }
  EXPECT_GE(seen.size(), 400u);
}

// Every kind of change the engine can make moves the cache epoch: one
// case per path, so a path that stops bumping fails here by name.
TEST(CacheEpoch, EveryKindOfChangeMovesIt) {
  BlobBuilder b;
  const std::uint32_t uses = b.attr("uses", TZU_ATTR_SCOPE_SUBJECT, ucon::kAttrInt,
                                    ucon::kKeyTgid, 0, 0, 64);
  const std::uint32_t owner = b.attr("owner", TZU_ATTR_SCOPE_OBJECT, ucon::kAttrInt,
                                     ucon::kKeyField, field_id("object.id"), 0, 64);
  const std::uint32_t ended = b.attr("ended", TZU_ATTR_SCOPE_GLOBAL, ucon::kAttrInt,
                                     0, 0, 0, 1);
  const std::uint32_t adm = b.attr("adm", TZU_ATTR_SCOPE_GLOBAL, ucon::kAttrInt, 0, 0,
                                   0, 1);
  const std::uint32_t integ = b.attr("integrity_state", TZU_ATTR_SCOPE_GLOBAL,
                                     ucon::kAttrInt, 0, 0, 0, 1);
  b.set_writer(adm, ucon::kWriterAdmin);
  b.set_writer(integ, ucon::kWriterSecure);
  // mmap_file: a session counting uses, ended += 1 at its end, revoked
  // once integrity_state != 0.
  BlobRule& s = b.rule(1, TZU_HOOK_MMAP_FILE, kPermit);
  s.flags = ucon::kRuleSession;
  s.pre_first = b.update(uses, TZU_ATTR_OP_ADD, 1);
  s.pre_count = 1;
  s.post_first = b.update(ended, TZU_ATTR_OP_ADD, 1);
  s.post_count = 1;
  s.ongoing = b.attr_cmp(ucon::kOpEq, integ, 0);
  // key_alloc records an owner per serial (dropped on key_free).
  BlobRule& k = b.rule(2, TZU_HOOK_KEY_ALLOC, kPermit);
  k.pre_first = b.update(owner, TZU_ATTR_OP_SET, 5);
  k.pre_count = 1;
  b.rule(3, TZU_HOOK_DEVMEM_OPEN, kDeny, b.attr_cmp(ucon::kOpEq, adm, 1));
  // A rule that sees every value of `ended` (a bit test: not a threshold,
  // so its counts are not use-leased and each one is a change a rule sees).
  b.rule(4, TZU_HOOK_BPF_PROG_LOAD, kDeny, b.attr_cmp(ucon::kOpBitsAny, ended, 0x100));
  const std::vector<std::uint8_t> blob = b.build();
  b.version = 2;
  const std::vector<std::uint8_t> blob2 = b.build();

  TestEngine e;
  ucon::Revocations rev;
  std::int64_t v;
  auto moves = [&e](const char* what, auto&& change) {
    const std::uint32_t before = e->cache_epoch();
    change();
    EXPECT_NE(e->cache_epoch(), before) << what << " left the cache epoch";
    EXPECT_NE(e->cache_epoch(), 0u);
  };
  moves("policy load", [&] { ASSERT_EQ(e.load(blob), Status::kOk); });
  moves("mode change", [&] { ASSERT_EQ(e->set_mode(TZU_MODE_PERMISSIVE), Status::kOk); });
  moves("mode back", [&] { ASSERT_EQ(e->set_mode(TZU_MODE_ENFORCE), Status::kOk); });
  moves("audit overflow", [&] { e->set_audit_fail_closed(true); });
  moves("admin write", [&] {
    ASSERT_EQ(e->update_attr("adm", 3, TZU_ATTR_OP_SET, 0, 1, &v, &rev), Status::kOk);
  });
  moves("pre-update (new entry)", [&] {
    EXPECT_TRUE(e.decide(make_event(TZU_HOOK_KEY_ALLOC)).rule_id == 2);
  });
  tzu_event open = make_event(TZU_HOOK_MMAP_FILE, 300);
  tzu_decision d{};
  moves("pre-update with a session", [&] { d = e.decide(open); });
  ASSERT_TRUE(d.flags & TZU_DF_SESSION_OPENED);
  moves("post-update at usage end", [&] {
    tzu_event end = open;
    end.hook = TZU_HOOK_USAGE_END;
    end.object.id = d.session_id;
    EXPECT_EQ(e.decide(end).hdr.status, TZU_OK);
  });
  tzu_decision d2 = e.decide(make_event(TZU_HOOK_MMAP_FILE, 301));
  ASSERT_TRUE(d2.flags & TZU_DF_SESSION_OPENED);
  moves("secure measurement (revokes, post-updates)", [&] {
    ASSERT_EQ(e->set_secure_attr("integrity_state", 15, 2, &rev), Status::kOk);
  });
  EXPECT_GE(rev.total, 1u);
  moves("task exit erases the process's entries",
        [&] { e.decide(make_event(TZU_HOOK_TASK_EXIT, 300)); });
  moves("key free erases the key's entries", [&] {
    tzu_event kf = make_event(TZU_HOOK_KEY_FREE);
    kf.object.id = make_event(TZU_HOOK_KEY_ALLOC).object.id;
    e.decide(kf);
  });
  moves("policy swap", [&] { ASSERT_EQ(e.load(blob2), Status::kOk); });
  moves("admin end of usage (post-updates)", [&] {
    ASSERT_EQ(e->set_secure_attr("integrity_state", 15, 0, &rev), Status::kOk);
    tzu_decision o = e.decide(make_event(TZU_HOOK_MMAP_FILE, 302));
    ASSERT_TRUE(o.flags & TZU_DF_SESSION_OPENED);
    const std::uint32_t mid = e->cache_epoch();
    ASSERT_EQ(e->end_usage(o.session_id, &rev), Status::kOk);
    EXPECT_NE(e->cache_epoch(), mid);
  });
}

// Per hook: an attribute write moves only the epochs of the hooks whose
// rules read the attribute, so a counted key use (a pre-update every
// key_permission makes) leaves the cached answers of mprotect standing;
// global changes move every hook, and no hook's epoch ever goes back, not
// even across a policy swap that changes which hooks read what.
TEST(CacheEpoch, AWriteMovesOnlyTheHooksThatReadTheAttribute) {
  BlobBuilder b;
  const std::uint32_t uses = b.attr("uses", TZU_ATTR_SCOPE_SUBJECT, ucon::kAttrInt,
                                    ucon::kKeyTgid, 0, 0, 64);
  const std::uint32_t adm = b.attr("adm", TZU_ATTR_SCOPE_GLOBAL, ucon::kAttrInt, 0, 0,
                                   0, 1);
  b.set_writer(adm, ucon::kWriterAdmin);
  b.rule(1, TZU_HOOK_KEY_PERMISSION, kDeny, b.attr_cmp(ucon::kOpGe, uses, 3));
  BlobRule& c = b.rule(2, TZU_HOOK_KEY_PERMISSION, kPermit);
  c.pre_first = b.update(uses, TZU_ATTR_OP_ADD, 1);
  c.pre_count = 1;
  b.rule(3, TZU_HOOK_DEVMEM_OPEN, kDeny, b.attr_cmp(ucon::kOpEq, adm, 1));
  b.rule(4, TZU_HOOK_FILE_MPROTECT, kDeny, b.field_cmp(ucon::kOpEq, "object.prot", 7));
  const std::vector<std::uint8_t> blob = b.build();
  // Version 2: mprotect's rule reads `uses` as well.
  BlobBuilder b2;
  const std::uint32_t uses2 = b2.attr("uses", TZU_ATTR_SCOPE_SUBJECT, ucon::kAttrInt,
                                      ucon::kKeyTgid, 0, 0, 64);
  BlobRule& c2 = b2.rule(2, TZU_HOOK_KEY_PERMISSION, kPermit);
  c2.pre_first = b2.update(uses2, TZU_ATTR_OP_ADD, 1);
  c2.pre_count = 1;
  b2.rule(4, TZU_HOOK_FILE_MPROTECT, kDeny, b2.attr_cmp(ucon::kOpGe, uses2, 1));
  b2.version = 2;
  const std::vector<std::uint8_t> blob2 = b2.build();

  TestEngine e;
  ASSERT_EQ(e.load(blob), Status::kOk);
  constexpr std::uint32_t kKey = TZU_HOOK_KEY_PERMISSION;
  constexpr std::uint32_t kDev = TZU_HOOK_DEVMEM_OPEN;
  constexpr std::uint32_t kMp = TZU_HOOK_FILE_MPROTECT;
  auto epochs = [&e] {
    std::vector<std::uint32_t> v;
    for (std::uint32_t h = 0; h < TZU_HOOK_COUNT; ++h) {
      v.push_back(e->cache_epoch(h));
      EXPECT_NE(v.back(), 0u) << "hook " << h;
      EXPECT_LE(v.back(), e->cache_epoch()) << "hook " << h;
    }
    return v;
  };
  // Which hooks moved from `before` to now; none went back.
  auto moved = [&](const std::vector<std::uint32_t>& before) {
    const std::vector<std::uint32_t> now = epochs();
    std::uint32_t m = 0;
    for (std::uint32_t h = 0; h < TZU_HOOK_COUNT; ++h) {
      EXPECT_GE(now[h], before[h]) << "hook " << h << " went back";
      if (now[h] != before[h]) m |= 1u << h;
    }
    return m;
  };
  EXPECT_EQ(e->cache_epoch(TZU_HOOK_COUNT), 0u) << "no such hook";

  std::vector<std::uint32_t> v = epochs();
  tzu_event mp = make_event(kMp, 100);
  const tzu_decision cached = e.decide(mp);
  ASSERT_TRUE(cached.flags & TZU_DF_CACHEABLE);
  EXPECT_EQ(cached.cache_epoch, v[kMp]);
  EXPECT_EQ(e.decide(make_event(kKey, 100)).rule_id, 2u);
  EXPECT_EQ(moved(v), 1u << kKey) << "a counted key use";
  tzu_decision again = e.decide(mp);
  EXPECT_TRUE(again.flags & TZU_DF_CACHEABLE);
  EXPECT_EQ(again.cache_epoch, cached.cache_epoch) << "mprotect's entry stands";

  v = epochs();
  ucon::Revocations rev;
  std::int64_t old;
  ASSERT_EQ(e->update_attr("adm", 3, TZU_ATTR_OP_SET, 0, 1, &old, &rev), Status::kOk);
  EXPECT_EQ(moved(v), 1u << kDev) << "an admin write";
  EXPECT_EQ(e.decide(make_event(kDev, 100)).verdict, TZU_VERDICT_DENY);

  v = epochs();
  e.decide(make_event(TZU_HOOK_TASK_EXIT, 100));  // erases tgid 100's `uses`
  EXPECT_EQ(moved(v), 1u << kKey) << "a process exit";

  v = epochs();
  ASSERT_EQ(e->set_mode(TZU_MODE_PERMISSIVE), Status::kOk);
  EXPECT_EQ(moved(v), (1u << TZU_HOOK_COUNT) - 1) << "a mode change";

  EXPECT_EQ(e.decide(make_event(kKey, 101)).rule_id, 2u);
  v = epochs();
  ASSERT_EQ(e.load(blob2), Status::kOk);
  EXPECT_EQ(moved(v), (1u << TZU_HOOK_COUNT) - 1) << "a policy swap";
  v = epochs();
  EXPECT_EQ(e.decide(make_event(kKey, 102)).rule_id, 2u);  // a new entry
  EXPECT_EQ(moved(v), 1u << kMp) << "readers follow the policy: only mprotect reads uses now";
  v = epochs();
  EXPECT_EQ(e.decide(make_event(kKey, 102)).rule_id, 2u);
  EXPECT_EQ(moved(v), 0u) << "uses 1 -> 2: `uses >= 1` holds at both, no rule can tell";
}

TEST(CacheEpoch, DecisionsAndQueriesThatChangeNothingLeaveIt) {
  TestEngine e;
  FieldPolicy p = field_policy();
  ASSERT_EQ(e.load(p.blob), Status::kOk);
  ucon::Revocations rev;
  std::int64_t v;
  ASSERT_EQ(e->update_attr("quota", 5, TZU_ATTR_OP_SET, 0, 9, &v, &rev), Status::kOk);
  const std::uint32_t epoch = e->cache_epoch();
  for (std::uint32_t h : {TZU_HOOK_FILE_MPROTECT, TZU_HOOK_DEVMEM_OPEN,
                          TZU_HOOK_KEY_PERMISSION, TZU_HOOK_PTRACE_ACCESS})
    e.decide(make_event(h));
  e.decide(make_event(TZU_HOOK_TASK_EXIT, 999));  // holds nothing
  tzu_stats st;
  e->stats(&st);
  EXPECT_EQ(e->cache_epoch(), epoch);
  // A write that stores the value already there changes no decision.
  ASSERT_EQ(e->update_attr("quota", 5, TZU_ATTR_OP_SET, 0, 9, &v, &rev), Status::kOk);
  EXPECT_EQ(e->cache_epoch(), epoch);
  ASSERT_EQ(e->update_attr("quota", 5, TZU_ATTR_OP_SET, 0, 0, &v, &rev), Status::kOk);
  EXPECT_NE(e->cache_epoch(), epoch);
}

// The verdict a cache would have kept turns when the state does: a cached
// allow is stale right after the write, and the epoch says so.
TEST(CacheEpoch, AllowTurnsIntoDenyWithTheNewEpoch) {
  TestEngine e;
  FieldPolicy p = field_policy();
  ASSERT_EQ(e.load(p.blob), Status::kOk);
  tzu_event ev = make_event(TZU_HOOK_KEY_PERMISSION);
  ev.object.id = 4;
  tzu_decision a = e.decide(ev);
  ASSERT_EQ(a.verdict, TZU_VERDICT_ALLOW);
  ASSERT_TRUE(a.flags & TZU_DF_CACHEABLE);
  ucon::Revocations rev;
  std::int64_t v;
  ASSERT_EQ(e->update_attr("quota", 5, TZU_ATTR_OP_SET, 0, 0, &v, &rev), Status::kOk);
  EXPECT_NE(e->cache_epoch(TZU_HOOK_KEY_PERMISSION), a.cache_epoch);
  // rule 4 needs owner >= 3 too: still allowed; the owner is engine-written
  // only, so the test drives the quota alone (rule 4's condition).
  tzu_decision b2 = e.decide(ev);
  EXPECT_EQ(b2.cache_epoch, e->cache_epoch(TZU_HOOK_KEY_PERMISSION));
  EXPECT_TRUE(b2.flags & TZU_DF_CACHEABLE);
  // devmem_open: uid 7 denied; mmap_file's session gives tgid 100 a `uses`
  // entry, so its devmem_open turns from allow to deny.
  tzu_event dm = make_event(TZU_HOOK_DEVMEM_OPEN, 100);
  tzu_decision before = e.decide(dm);
  ASSERT_EQ(before.verdict, TZU_VERDICT_ALLOW);
  ASSERT_TRUE(before.flags & TZU_DF_CACHEABLE);
  e.decide(make_event(TZU_HOOK_MMAP_FILE, 100));
  tzu_decision after = e.decide(dm);
  EXPECT_EQ(after.verdict, TZU_VERDICT_DENY);
  EXPECT_NE(after.cache_epoch, before.cache_epoch);
}

TEST(TaskState, DecisionsThatLeaveProcessStateSaySo) {
  BlobBuilder b;
  const std::uint32_t uses = b.attr("uses", TZU_ATTR_SCOPE_SUBJECT, ucon::kAttrInt,
                                    ucon::kKeyTgid, 0, 0, 64);
  const std::uint32_t glob = b.attr("g", TZU_ATTR_SCOPE_GLOBAL, ucon::kAttrInt, 0, 0,
                                    0, 1);
  const std::uint32_t trusted = b.attr("trusted", TZU_ATTR_SCOPE_SUBJECT,
                                       ucon::kAttrInt, ucon::kKeyTgid);
  b.set_writer(trusted, ucon::kWriterAdmin);
  b.rule(1, TZU_HOOK_MMAP_FILE, kPermit).flags = ucon::kRuleSession;
  b.rule(2, TZU_HOOK_KEY_ALLOC, kPermit).flags = ucon::kRuleSession;
  BlobRule& c = b.rule(3, TZU_HOOK_KEY_PERMISSION, kDeny);
  c.pre_first = b.update(uses, TZU_ATTR_OP_ADD, 1);
  c.pre_count = 1;
  BlobRule& g = b.rule(4, TZU_HOOK_DEVMEM_OPEN, kPermit);
  g.pre_first = b.update(glob, TZU_ATTR_OP_ADD, 1);
  g.pre_count = 1;
  // A key session whose end writes the creating process's attribute.
  BlobRule& ks = b.rule(5, TZU_HOOK_ALG_BIND, kPermit);
  ks.post_first = b.update(uses, TZU_ATTR_OP_ADD, 1);
  ks.post_count = 1;
  b.rule(6, TZU_HOOK_PTRACE_ACCESS, kDeny);
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  auto task_state = [&e](std::uint32_t hook) {
    return (e.decide(make_event(hook)).flags & TZU_DF_TASK_STATE) != 0;
  };
  EXPECT_TRUE(task_state(TZU_HOOK_MMAP_FILE)) << "process session";
  EXPECT_FALSE(task_state(TZU_HOOK_KEY_ALLOC)) << "key session: ends with the key";
  EXPECT_TRUE(task_state(TZU_HOOK_KEY_PERMISSION)) << "per-process pre-update, deny too";
  EXPECT_FALSE(task_state(TZU_HOOK_DEVMEM_OPEN)) << "global update";
  EXPECT_TRUE(task_state(TZU_HOOK_ALG_BIND)) << "per-process post-update";
  EXPECT_FALSE(task_state(TZU_HOOK_PTRACE_ACCESS));
  EXPECT_FALSE(task_state(TZU_HOOK_TASK_EXIT));
  // An admin write of a per-process attribute names the process.
  ucon::Revocations rev;
  std::int64_t v;
  std::uint32_t tgid = 1;
  const std::uint64_t key = ucon::process_key(make_event(TZU_HOOK_NONE, 4321).subject);
  ASSERT_EQ(e->update_attr("trusted", 7, TZU_ATTR_OP_SET, key, 1, &v, &rev, &tgid),
            Status::kOk);
  EXPECT_EQ(tgid, 4321u);
}

}  // namespace
}  // namespace ucon_test
