// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// lifecycle_test.cc - TASK_EXIT and KEY_FREE among many subjects: exactly
// the ending process's (key's) sessions and entries go, others stay intact,
// slots and hash chains survive churn, revocations are reported as before.
// A model kept here, independently of the engine, says what must be live.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

#include "test_util.h"

namespace ucon_test {
namespace {

using ucon::Status;

constexpr std::uint8_t kPermit = ucon::kEffectPermit;
constexpr std::uint8_t kDeny = ucon::kEffectDeny;
constexpr std::uint32_t kUseRule = 1, kKeyRule = 2, kHasUses = 3, kHasKeyUse = 4;

// file_mprotect opens a process session (uses += 1, ended += 1 at its end);
// key_permission opens a key session (kuse[serial] += 1). devmem_open is
// denied while the process has a `uses` entry, key_alloc while the serial
// has a `kuse` entry: decisions that show which entries exist.
std::vector<std::uint8_t> lifecycle_policy(bool revoke_on_first_end) {
  BlobBuilder b;
  const std::uint32_t uses = b.attr("uses", TZU_ATTR_SCOPE_SUBJECT, ucon::kAttrInt,
                                    ucon::kKeyTgid, 0, 0, 1024);
  const std::uint32_t ended =
      b.attr("ended", TZU_ATTR_SCOPE_GLOBAL, ucon::kAttrInt, 0, 0, 0, 1);
  const std::uint32_t kuse =
      b.attr("kuse", TZU_ATTR_SCOPE_OBJECT, ucon::kAttrInt, ucon::kKeyField,
             field_id("object.id"), 0, 1024);
  BlobRule& use = b.rule(kUseRule, TZU_HOOK_FILE_MPROTECT, kPermit);
  use.flags = ucon::kRuleSession;
  use.pre_first = b.update(uses, TZU_ATTR_OP_ADD, 1);
  use.pre_count = 1;
  use.post_first = b.update(ended, TZU_ATTR_OP_ADD, 1);
  use.post_count = 1;
  if (revoke_on_first_end) use.ongoing = b.attr_cmp(ucon::kOpLt, ended, 1);
  BlobRule& key = b.rule(kKeyRule, TZU_HOOK_KEY_PERMISSION, kPermit);
  key.flags = ucon::kRuleSession;
  key.pre_first = b.update(kuse, TZU_ATTR_OP_ADD, 1);
  key.pre_count = 1;
  b.rule(kHasUses, TZU_HOOK_DEVMEM_OPEN, kDeny,
         b.node(ucon::kOpPresent, ucon::kOperandAttr,
                static_cast<std::uint16_t>(uses), ucon::kOperandNone, 0, 0));
  b.rule(kHasKeyUse, TZU_HOOK_KEY_ALLOC, kDeny,
         b.node(ucon::kOpPresent, ucon::kOperandAttr,
                static_cast<std::uint16_t>(kuse), ucon::kOperandNone, 0, 0));
  return b.build();
}

struct Proc {
  std::uint32_t tgid;
  std::uint64_t start;
};

tzu_event proc_event(std::uint32_t hook, const Proc& p, std::uint32_t serial = 0) {
  tzu_event ev = make_event(hook, p.tgid);
  ev.subject.start_time = p.start;
  ev.object.id = serial;
  return ev;
}

bool has_uses(TestEngine& e, const Proc& p) {
  return e.decide(proc_event(TZU_HOOK_DEVMEM_OPEN, p)).rule_id == kHasUses;
}

bool has_key_use(TestEngine& e, std::uint32_t serial) {
  return e.decide(proc_event(TZU_HOOK_KEY_ALLOC, Proc{1, 0}, serial)).rule_id ==
         kHasKeyUse;
}

std::int64_t ended(TestEngine& e) {
  std::int64_t v = -1;
  EXPECT_TRUE(e->global_attr("ended", 5, &v));
  return v;
}

// The model: every live session with its owner.
struct Live {
  bool key;
  std::size_t proc;       // index into procs (process sessions)
  std::uint32_t serial;  // key sessions
};

TEST(Lifecycle, ExitEndsOnlyTheProcessStateAmongManyRandomized) {
  ucon::EngineConfig cfg;
  cfg.max_sessions = 256;
  cfg.max_attr_entries = 2048;
  TestEngine e(cfg);
  ASSERT_EQ(e.load(lifecycle_policy(false)), Status::kOk);
  std::mt19937 rng(7);
  // 300 processes; pids are reused with other start times (other processes).
  std::vector<Proc> procs;
  for (std::uint32_t i = 0; i < 300; ++i)
    procs.push_back(Proc{1000 + i % 150, 1000ull * (i / 150 + 1) + i});
  std::map<std::uint32_t, Live> live;  // session id -> owner
  std::vector<bool> uses(procs.size(), false);
  std::map<std::uint32_t, bool> kuse;  // serial -> entry exists
  std::int64_t ends = 0;
  for (int step = 0; step < 4000; ++step) {
    const std::size_t p = rng() % procs.size();
    const auto serial = static_cast<std::uint32_t>(1 + rng() % 40);
    const auto what = static_cast<unsigned>(rng() % 10);
    if (what < 4 && live.size() < cfg.max_sessions) {
      tzu_decision d = e.decide(proc_event(TZU_HOOK_FILE_MPROTECT, procs[p]));
      ASSERT_TRUE(d.flags & TZU_DF_SESSION_OPENED);
      ASSERT_EQ(live.count(d.session_id), 0u) << "id reused while live";
      live[d.session_id] = Live{false, p, 0};
      uses[p] = true;
    } else if (what < 6 && live.size() < cfg.max_sessions) {
      tzu_decision d = e.decide(proc_event(TZU_HOOK_KEY_PERMISSION, procs[p], serial));
      ASSERT_TRUE(d.flags & TZU_DF_SESSION_OPENED);
      ASSERT_EQ(live.count(d.session_id), 0u) << "id reused while live";
      live[d.session_id] = Live{true, p, serial};
      kuse[serial] = true;
    } else if (what < 9) {
      tzu_decision d = e.decide(proc_event(TZU_HOOK_TASK_EXIT, procs[p]));
      ASSERT_EQ(d.hdr.status, TZU_OK);
      ASSERT_EQ(d.n_revoked, 0u);
      for (auto it = live.begin(); it != live.end();) {
        const bool mine = !it->second.key && it->second.proc == p;
        if (mine) ++ends;
        it = mine ? live.erase(it) : std::next(it);
      }
      uses[p] = false;
    } else {
      tzu_decision d = e.decide(proc_event(TZU_HOOK_KEY_FREE, procs[p], serial));
      ASSERT_EQ(d.hdr.status, TZU_OK);
      for (auto it = live.begin(); it != live.end();) {
        const bool mine = it->second.key && it->second.serial == serial;
        it = mine ? live.erase(it) : std::next(it);
      }
      kuse[serial] = false;
    }
    ASSERT_EQ(e->live_sessions(), live.size()) << "step " << step;
    if (step % 200 == 0 || step == 3999) {
      ASSERT_EQ(ended(e), ends) << "post-updates of ended sessions";
      for (std::size_t i = 0; i < procs.size(); ++i)
        ASSERT_EQ(has_uses(e, procs[i]), uses[i]) << "process " << i;
      for (const auto& [s, has] : kuse) ASSERT_EQ(has_key_use(e, s), has) << s;
    }
  }
  // Exactly the model's sessions are live: each ends once, by its id.
  for (const auto& [id, owner] : live) {
    ucon::Revocations rev;
    EXPECT_EQ(e->end_usage(id, &rev), Status::kOk) << id;
    EXPECT_EQ(e->end_usage(id, &rev), Status::kNotFound) << id;
  }
  EXPECT_EQ(e->live_sessions(), 0u);
}

TEST(Lifecycle, ExitOfOneOfTwoHundredKeepsTheOthers) {
  TestEngine e;
  ASSERT_EQ(e.load(lifecycle_policy(false)), Status::kOk);
  std::vector<Proc> procs;
  std::vector<std::uint32_t> ids;
  for (std::uint32_t i = 0; i < 200; ++i) {
    procs.push_back(Proc{2000 + i, 5});
    ids.push_back(e.decide(proc_event(TZU_HOOK_FILE_MPROTECT, procs[i])).session_id);
  }
  // Process 77 also holds a key session: its exit leaves that one.
  const std::uint32_t key_id =
      e.decide(proc_event(TZU_HOOK_KEY_PERMISSION, procs[77], 9)).session_id;
  ASSERT_EQ(e->live_sessions(), 201u);
  tzu_decision x = e.decide(proc_event(TZU_HOOK_TASK_EXIT, procs[77]));
  EXPECT_EQ(x.verdict, TZU_VERDICT_ALLOW);
  EXPECT_EQ(e->live_sessions(), 200u);
  EXPECT_EQ(ended(e), 1);
  EXPECT_FALSE(has_uses(e, procs[77]));
  // Same pid, another start time: a different process, untouched.
  EXPECT_EQ(e.decide(proc_event(TZU_HOOK_TASK_EXIT, Proc{2078, 6})).verdict,
            TZU_VERDICT_ALLOW);
  EXPECT_EQ(e->live_sessions(), 200u);
  for (std::uint32_t i = 0; i < 200; ++i) {
    EXPECT_EQ(has_uses(e, procs[i]), i != 77) << i;
    ucon::Revocations rev;
    EXPECT_EQ(e->end_usage(ids[i], &rev), i == 77 ? Status::kNotFound : Status::kOk);
  }
  ucon::Revocations rev;
  EXPECT_EQ(e->end_usage(key_id, &rev), Status::kOk);
}

TEST(Lifecycle, FreedSlotsAreReusedLowestFirstWithFreshIds) {
  ucon::EngineConfig cfg;
  cfg.max_sessions = 4;
  TestEngine e(cfg);
  ASSERT_EQ(e.load(lifecycle_policy(false)), Status::kOk);
  const Proc a{10, 1}, b{11, 1};
  std::vector<std::uint32_t> ids;
  for (const Proc& p : {a, b, a, b})
    ids.push_back(e.decide(proc_event(TZU_HOOK_FILE_MPROTECT, p)).session_id);
  tzu_decision full = e.decide(proc_event(TZU_HOOK_FILE_MPROTECT, a));
  EXPECT_EQ(full.verdict, TZU_VERDICT_DENY);
  EXPECT_TRUE(full.flags & TZU_DF_LIMIT);
  e.decide(proc_event(TZU_HOOK_TASK_EXIT, a));
  ASSERT_EQ(e->live_sessions(), 2u);
  std::vector<std::uint32_t> again;
  for (int i = 0; i < 2; ++i) {
    tzu_decision d = e.decide(proc_event(TZU_HOOK_FILE_MPROTECT, Proc{12, 1}));
    ASSERT_TRUE(d.flags & TZU_DF_SESSION_OPENED);
    again.push_back(d.session_id);
  }
  EXPECT_EQ(e.decide(proc_event(TZU_HOOK_FILE_MPROTECT, a)).verdict, TZU_VERDICT_DENY);
  for (std::uint32_t id : again)
    EXPECT_EQ(std::count(ids.begin(), ids.end(), id), 0) << "fresh id";
  // Revocation order is slot order: the new sessions took slots 0 and 2,
  // b's sessions are in 1 and 3.
  BlobBuilder none;
  none.version = 2;
  none.rule(9, TZU_HOOK_DEVMEM_OPEN, kDeny);
  ucon::LoadResult lr;
  std::vector<std::uint8_t> v2 = none.build();
  ASSERT_EQ(e->load_policy(v2.data(), v2.size(), &lr), Status::kOk);
  ASSERT_EQ(lr.revoked.total, 4u);
  const std::uint32_t want[] = {again[0], ids[1], again[1], ids[3]};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(lr.revoked.ids[i], want[i]) << i;
}

TEST(Lifecycle, ExitReportsRevocationsItsPostUpdatesCause) {
  TestEngine e;
  ASSERT_EQ(e.load(lifecycle_policy(true)), Status::kOk);
  const Proc a{30, 1}, b{31, 1}, c{32, 1};
  const std::uint32_t a1 = e.decide(proc_event(TZU_HOOK_FILE_MPROTECT, a)).session_id;
  const std::uint32_t b1 = e.decide(proc_event(TZU_HOOK_FILE_MPROTECT, b)).session_id;
  const std::uint32_t a2 = e.decide(proc_event(TZU_HOOK_FILE_MPROTECT, a)).session_id;
  const std::uint32_t c1 = e.decide(proc_event(TZU_HOOK_FILE_MPROTECT, c)).session_id;
  ASSERT_EQ(e->live_sessions(), 4u);
  // a's first session ends, ended becomes 1: every other session's ongoing
  // predicate (ended < 1) fails, in slot order, a's second among them.
  tzu_decision x = e.decide(proc_event(TZU_HOOK_TASK_EXIT, a));
  EXPECT_EQ(x.verdict, TZU_VERDICT_ALLOW);
  ASSERT_EQ(x.n_revoked, 3u);
  EXPECT_EQ(x.revoked[0], b1);
  EXPECT_EQ(x.revoked[1], a2);
  EXPECT_EQ(x.revoked[2], c1);
  EXPECT_EQ(x.revoked_tgid[0], b.tgid);
  EXPECT_EQ(x.revoked_tgid[1], a.tgid);
  EXPECT_EQ(x.revoke_reason, static_cast<std::uint32_t>(TZU_REVOKE_ONGOING));
  EXPECT_TRUE(x.obligations & TZU_OBL_REVOKE);
  EXPECT_TRUE(x.obligations & TZU_OBL_AUDIT);
  EXPECT_EQ(e->live_sessions(), 0u);
  EXPECT_EQ(ended(e), 4) << "revoked sessions run their post-updates";
  (void)a1;
  tzu_stats st;
  e->stats(&st);
  EXPECT_EQ(st.revocations, 3u);
}

TEST(Lifecycle, AttributeChainsSurviveBackwardShiftChurn) {
  // A small, crowded table: erasing shifts entries of other processes.
  ucon::EngineConfig cfg;
  cfg.max_attr_entries = 64;
  cfg.max_sessions = 64;
  TestEngine e(cfg);
  ASSERT_EQ(e.load(lifecycle_policy(false)), Status::kOk);
  std::mt19937 rng(3);
  std::vector<Proc> procs;
  for (std::uint32_t i = 0; i < 60; ++i) procs.push_back(Proc{4000 + i * 64, 0});
  std::vector<bool> has(procs.size(), false);
  for (int round = 0; round < 30; ++round) {
    for (std::size_t i = 0; i < procs.size(); ++i) {
      if (has[i] || rng() % 2) continue;
      tzu_decision d = e.decide(proc_event(TZU_HOOK_FILE_MPROTECT, procs[i]));
      ASSERT_TRUE(d.flags & TZU_DF_SESSION_OPENED);
      has[i] = true;
    }
    for (int k = 0; k < 20; ++k) {
      const std::size_t i = rng() % procs.size();
      e.decide(proc_event(TZU_HOOK_TASK_EXIT, procs[i]));
      has[i] = false;
    }
    for (std::size_t i = 0; i < procs.size(); ++i)
      ASSERT_EQ(has_uses(e, procs[i]), has[i]) << "round " << round << " proc " << i;
    ASSERT_EQ(e->live_sessions(),
              static_cast<std::uint32_t>(std::count(has.begin(), has.end(), true)));
  }
}

}  // namespace
}  // namespace ucon_test
