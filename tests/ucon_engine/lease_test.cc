// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// lease_test.cc - use-leases (engine.h, step 10): which attributes can be
// leased, what a lease charges and refunds, and, against an engine that
// leases nothing, that a kernel taking leased uses sees exactly the verdicts
// it would have been sent, whatever happens in between (quota changes,
// process exits, two CPUs, a kernel that lies about the words).
//
// The kernel here is a model of tz_hooks' cache.c (the entry, the ticket,
// the compare-and-swap on the word): the real one is exercised on the board
// by tests/e2e (keys.lease) and the stress test.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "policy.h"
#include "test_util.h"

namespace {

using namespace ucon_test;
using ucon::Status;

constexpr std::uint8_t kPermit = ucon::kEffectPermit;
constexpr std::uint8_t kDeny = ucon::kEffectDeny;
constexpr std::uint32_t kKey = TZU_HOOK_KEY_PERMISSION;

// The lease words of TZU_MAX_CPUS slots, as the dispatcher maps them.
struct Words {
  std::uint32_t w[TZU_MAX_CPUS][TZU_LEASE_WORDS] = {};
  static std::uint32_t exchange(void* ctx, std::uint32_t cpu,
                                std::uint32_t slot, std::uint32_t value) {
    auto* self = static_cast<Words*>(ctx);
    const std::uint32_t old = self->w[cpu][slot];
    self->w[cpu][slot] = value;
    return old;
  }
  ucon::LeaseWords bind() {
    ucon::LeaseWords lw;
    lw.ctx = this;
    lw.exchange = &Words::exchange;
    lw.n_cpus = TZU_MAX_CPUS;
    return lw;
  }
};

// crypto-keys' shape: a per-process count, an admin quota, a deny at the
// quota and a counting permit; plus an owner attribute whose writes move
// key_permission's epoch (as key_alloc's do).
struct QuotaPolicy {
  std::vector<std::uint8_t> blob;
};
QuotaPolicy quota_policy(std::int64_t quota, std::int64_t step = 1) {
  BlobBuilder b;
  const std::uint32_t uses = b.attr("uses", TZU_ATTR_SCOPE_SUBJECT, ucon::kAttrInt,
                                    ucon::kKeyTgid, 0, 0, 64);
  const std::uint32_t q = b.attr("quota", TZU_ATTR_SCOPE_GLOBAL, ucon::kAttrInt, 0,
                                 0, quota, 1);
  const std::uint32_t owner = b.attr("owner", TZU_ATTR_SCOPE_OBJECT, ucon::kAttrInt,
                                     ucon::kKeyField, field_id("object.id"), 0, 64);
  b.set_writer(q, ucon::kWriterAdmin);
  b.rule(10, TZU_HOOK_KEY_ALLOC, kPermit).pre_first = b.update(owner, TZU_ATTR_OP_SET, 7);
  b.rules.back().pre_count = 1;
  // uses >= quota (the quota an attribute on the right).
  const std::uint32_t over = b.node(ucon::kOpGe, ucon::kOperandAttr,
                                    static_cast<std::uint16_t>(uses),
                                    ucon::kOperandAttr, q, 0);
  b.rule(20, kKey, kDeny, over);
  b.rule(30, kKey, kDeny, b.attr_cmp(ucon::kOpEq, owner, 99));
  BlobRule& c = b.rule(40, kKey, kPermit);
  c.pre_first = b.update(uses, TZU_ATTR_OP_ADD, step);
  c.pre_count = 1;
  return QuotaPolicy{b.build()};
}

// A use of key 5 + `key` (each key its own cache entry: rule 30 reads the
// owner attribute keyed by the serial).
tzu_event use(std::uint32_t tgid, std::uint32_t key = 0) {
  tzu_event ev = make_event(kKey, tgid);
  ev.object.id = 5 + key;
  return ev;
}

// An engine with lease words and a policy loaded.
struct Leased {
  TestEngine e;
  Words w;
  explicit Leased(const std::vector<std::uint8_t>& blob) {
    e->set_lease_words(w.bind());
    EXPECT_EQ(e.load(blob), Status::kOk);
  }
  // A process's first use creates its count (an epoch move: no lease);
  // the decision of its second.
  tzu_decision second_use(std::uint32_t tgid = 100, std::uint32_t cpu = 0) {
    tzu_decision d{};
    e->decide(use(tgid), &d, nullptr, cpu);
    e->decide(use(tgid), &d, nullptr, cpu);
    return d;
  }
};

TEST(Lease, AttributesThatCanBeLeased) {
  TestEngine e;
  ASSERT_EQ(e.load(quota_policy(10).blob), Status::kOk);
  // uses: int, engine-written, +1 only, compared with a global no rule
  // writes. quota: admin-written. owner: set, not added.
  EXPECT_EQ(e->policy()->lease_attrs(), 1ull << 0);
  std::uint32_t n;
  e->policy()->lease_atoms(0, &n);
  EXPECT_EQ(n, 1u);

  int shape_no = 0;
  auto leasable = [&shape_no](auto&& shape) {
    SCOPED_TRACE(testing::Message() << "shape " << ++shape_no);
    BlobBuilder b;
    const std::uint32_t x = b.attr("x", TZU_ATTR_SCOPE_SUBJECT, ucon::kAttrInt,
                                   ucon::kKeyTgid, 0, 0, 64);
    const std::uint32_t g = b.attr("g", TZU_ATTR_SCOPE_GLOBAL, ucon::kAttrInt, 0, 0, 3, 1);
    BlobRule& c = b.rule(1, kKey, kPermit);
    c.pre_first = b.update(x, TZU_ATTR_OP_ADD, 1);
    c.pre_count = 1;
    shape(b, x, g);
    TestEngine t;
    const Status st = t.load(b.build());
    EXPECT_EQ(st, Status::kOk);
    return st == Status::kOk && (t->policy()->lease_attrs() & 1) != 0;
  };
  EXPECT_TRUE(leasable([](BlobBuilder& b, std::uint32_t x, std::uint32_t) {
    b.rule(2, kKey, kDeny, b.attr_cmp(ucon::kOpGt, x, 5));
  }));
  EXPECT_FALSE(leasable([](BlobBuilder& b, std::uint32_t x, std::uint32_t) {
    b.rule(2, kKey, kDeny, b.attr_cmp(ucon::kOpBitsAny, x, 4));  // every value
  })) << "a bit test";
  EXPECT_FALSE(leasable([](BlobBuilder& b, std::uint32_t x, std::uint32_t) {
    b.rule(2, kKey, kDeny,
           b.node(ucon::kOpEq, ucon::kOperandAttr, static_cast<std::uint16_t>(x),
                  ucon::kOperandField, field_id("subject.uid"), 0));
  })) << "compared with a field";
  EXPECT_FALSE(leasable([](BlobBuilder& b, std::uint32_t x, std::uint32_t g) {
    b.rule(2, kKey, kDeny,
           b.node(ucon::kOpLt, ucon::kOperandAttr, static_cast<std::uint16_t>(g),
                  ucon::kOperandAttr, x, 0));
  })) << "on the right";
  EXPECT_FALSE(leasable([](BlobBuilder& b, std::uint32_t x, std::uint32_t g) {
    b.rule(2, kKey, kDeny,
           b.node(ucon::kOpGe, ucon::kOperandAttr, static_cast<std::uint16_t>(x),
                  ucon::kOperandAttr, g, 0));
    BlobRule& w = b.rule(3, TZU_HOOK_KEY_ALLOC, kPermit);
    w.pre_first = b.update(g, TZU_ATTR_OP_ADD, 1);
    w.pre_count = 1;
  })) << "against a global a rule writes";
  EXPECT_FALSE(leasable([](BlobBuilder& b, std::uint32_t x, std::uint32_t) {
    BlobRule& w = b.rule(3, TZU_HOOK_KEY_ALLOC, kPermit);
    w.pre_first = b.update(x, TZU_ATTR_OP_SET, 0);
    w.pre_count = 1;
  })) << "also set";
  EXPECT_FALSE(leasable([](BlobBuilder& b, std::uint32_t x, std::uint32_t) {
    BlobRule& w = b.rule(3, TZU_HOOK_MMAP_FILE, kPermit);
    w.flags = ucon::kRuleSession;
    w.ongoing = b.attr_cmp(ucon::kOpLt, x, 9);
  })) << "read by an ongoing condition";
}

// Uses until the first deny, a kernel taking every leased use it can: the
// quota, exactly, however the uses were split between leases and calls.
std::uint32_t permits_until_deny(TestEngine& e, Words& w, std::uint32_t tgid,
                                 std::uint32_t* leases) {
  std::uint32_t permits = 0, slot = 0, left = 0;
  for (int i = 0; i < 1000; ++i) {
    if (left) {
      ++w.w[0][slot];
      --left;
      ++permits;
      continue;
    }
    tzu_decision d{};
    EXPECT_EQ(e->decide(use(tgid), &d, nullptr, 0), Status::kOk);
    if (d.verdict != TZU_VERDICT_ALLOW) return permits;
    ++permits;
    if (d.flags & TZU_DF_LEASE) {
      slot = d.lease_slot;
      left = d.lease_uses;
      ++*leases;
    }
  }
  ADD_FAILURE() << "no deny";
  return permits;
}

// quota 10: use 1 creates the entry (an epoch move: no lease); use 2 sees
// 1 and leaves 2..9 below the quota: 7 more uses, of which the lease takes
// half (3), charged at once; the kernel takes them; and so on, until use 10
// is the last permit and use 11 the first deny.
TEST(Lease, ChargesNoMoreThanTheComparisonsAllowAndCountsExactly) {
  Leased l(quota_policy(10).blob);
  TestEngine& e = l.e;
  Words& w = l.w;
  tzu_decision d{};
  ASSERT_EQ(e->decide(use(100), &d, nullptr, 0), Status::kOk);
  EXPECT_EQ(d.rule_id, 40u);
  EXPECT_FALSE(d.flags & TZU_DF_LEASE) << "the entry's creation moved the epoch";
  ASSERT_EQ(e->decide(use(100), &d, nullptr, 0), Status::kOk);
  ASSERT_TRUE(d.flags & TZU_DF_LEASE);
  EXPECT_FALSE(d.flags & TZU_DF_CACHEABLE);
  EXPECT_TRUE(d.flags & TZU_DF_TASK_STATE);
  EXPECT_EQ(d.lease_uses, 3u);
  EXPECT_EQ(d.verdict, TZU_VERDICT_ALLOW);
  EXPECT_NE(d.cache_fields & (1u << TZU_FIELD_TGID), 0u);
  const std::uint32_t word = w.w[0][d.lease_slot];
  EXPECT_EQ(word >> TZU_LEASE_TICKET_SHIFT, d.lease_ticket);
  EXPECT_EQ(word & TZU_LEASE_USES_MASK, 0u);
  w.w[0][d.lease_slot] += 3;  // the kernel takes all three
  std::uint32_t leases = 0;
  EXPECT_EQ(permits_until_deny(e, w, 100, &leases), 10u - 5u) << "uses 6 to 10";
  EXPECT_GE(leases, 1u);
  // Use 10 turned `uses >= quota`: that moved the epoch and ended them all.
  EXPECT_EQ(e->live_leases(), 0u);
  EXPECT_EQ(e->lease_stats().uses_refunded, 0u);
  EXPECT_EQ(e->lease_stats().uses_taken, e->lease_stats().uses_granted);

  // Wide headroom: the lease is capped, steps of 3 alike.
  Leased big(quota_policy(1000000, 3).blob);
  d = big.second_use(100, 1);
  ASSERT_TRUE(d.flags & TZU_DF_LEASE);
  EXPECT_EQ(d.lease_uses, TZU_LEASE_MAX_USES);
  for (std::int64_t quota : {10, 11, 12, 13}) {
    Leased q(quota_policy(quota, 3).blob);
    std::uint32_t n = 0;
    // 0, 3, 6, 9 are below 10; 12 below 13: ceil(quota / 3) permits.
    EXPECT_EQ(permits_until_deny(q.e, q.w, 100, &n),
              static_cast<std::uint32_t>((quota + 2) / 3)) << "quota " << quota;
  }
}

TEST(Lease, NoLeaseWithoutTheCallersCpuOrForAnotherShape) {
  Leased l(quota_policy(1000).blob);
  TestEngine& e = l.e;
  tzu_decision d{};
  e->decide(use(100), &d, nullptr, 0);
  EXPECT_EQ(e->decide(use(100), &d), Status::kOk);
  EXPECT_FALSE(d.flags & TZU_DF_LEASE) << "no CPU given";
  e->decide(use(100), &d, nullptr, TZU_MAX_CPUS);
  EXPECT_FALSE(d.flags & TZU_DF_LEASE) << "no such CPU";
  tzu_event foreign = use(100);
  e->decide(foreign, &d, nullptr, 1);
  EXPECT_TRUE(d.flags & TZU_DF_LEASE);
  // Permissive mode: a lease is an allow the rule gave, never a would-deny.
  ASSERT_EQ(e->set_mode(TZU_MODE_PERMISSIVE), Status::kOk);
  EXPECT_EQ(e->live_leases(), 0u) << "a mode change ends every lease";
  EXPECT_EQ(e->lease_stats().uses_refunded, d.lease_uses) << "none was taken";
}

// A lease's entry must answer only events of the counter instance it
// charged: a hook that counts a per-process attribute without reading it
// has no tgid in its key, so it gets no lease (found by review: one
// process's lease answered another's uses).
TEST(Lease, NoLeaseWhoseKeyMissesTheCountersKey) {
  BlobBuilder b;
  const std::uint32_t uses = b.attr("uses", TZU_ATTR_SCOPE_SUBJECT, ucon::kAttrInt,
                                    ucon::kKeyTgid, 0, 0, 64);
  BlobRule& c = b.rule(1, kKey, kPermit);
  c.pre_first = b.update(uses, TZU_ATTR_OP_ADD, 1);
  c.pre_count = 1;
  b.rule(2, TZU_HOOK_FILE_MPROTECT, kDeny, b.attr_cmp(ucon::kOpGe, uses, 5));
  TestEngine e;
  Words w;
  e->set_lease_words(w.bind());
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  ASSERT_TRUE(e->policy()->lease_attrs() & 1) << "the counter is leasable";
  tzu_decision d{};
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(e->decide(use(100), &d, nullptr, 0), Status::kOk);
    EXPECT_FALSE(d.flags & TZU_DF_LEASE) << "use " << i;
  }
}

// An instance that goes (its key freed) takes its leases with it, refunded
// before it is erased, so nothing lands on a later instance of its key.
TEST(Lease, AnErasedInstanceClosesItsLeases) {
  BlobBuilder b;
  const std::uint32_t reads = b.attr("reads", TZU_ATTR_SCOPE_OBJECT, ucon::kAttrInt,
                                     ucon::kKeyField, field_id("object.id"), 0, 64);
  b.rule(1, kKey, kDeny, b.attr_cmp(ucon::kOpGe, reads, 100));
  BlobRule& c = b.rule(2, kKey, kPermit);
  c.pre_first = b.update(reads, TZU_ATTR_OP_ADD, 1);
  c.pre_count = 1;
  Leased l(b.build());
  tzu_decision d = l.second_use();
  ASSERT_TRUE(d.flags & TZU_DF_LEASE);
  ++l.w.w[0][d.lease_slot];
  tzu_event kf = make_event(TZU_HOOK_KEY_FREE);
  kf.object.id = use(100).object.id;
  l.e->decide(kf, &d, nullptr, 1);
  EXPECT_EQ(l.e->live_leases(), 0u);
  EXPECT_EQ(l.e->lease_stats().uses_taken, 1u);
  EXPECT_EQ(l.e->lease_stats().uses_dropped, 0u);
  EXPECT_EQ(l.w.w[0][0], 0u) << "the word was taken back";
}

// An add that saturates the counter at INT64_MAX while a lease is charged
// to it: the lease is closed (refunded) first, so a later refund cannot
// take clipped uses off again and bring the counter back under its
// threshold (found by review). Against an engine that leases nothing.
TEST(Lease, ASaturatingAddClosesTheLeasesFirst) {
  auto policy = [] {
    BlobBuilder b;
    const std::uint32_t uses = b.attr("uses", TZU_ATTR_SCOPE_SUBJECT, ucon::kAttrInt,
                                      ucon::kKeyTgid, 0, INT64_MAX - 300, 64);
    b.rule(1, kKey, kDeny, b.attr_cmp(ucon::kOpGe, uses, INT64_MAX));
    BlobRule& c = b.rule(2, kKey, kPermit);
    c.pre_first = b.update(uses, TZU_ATTR_OP_ADD, 1);
    c.pre_count = 1;
    BlobRule& big = b.rule(3, TZU_HOOK_KEY_ALLOC, kPermit);
    big.pre_first = b.update(uses, TZU_ATTR_OP_ADD, 1000);
    big.pre_count = 1;
    return b.build();
  }();
  Leased l(policy);
  TestEngine plain;
  ASSERT_EQ(plain.load(policy), Status::kOk);
  plain.decide(use(100));
  plain.decide(use(100));
  tzu_decision d = l.second_use();
  ASSERT_TRUE(d.flags & TZU_DF_LEASE);
  const tzu_event ka = make_event(TZU_HOOK_KEY_ALLOC, 100);
  l.e->decide(ka, &d, nullptr, 0);  // saturates
  plain.decide(ka);
  EXPECT_EQ(l.e->live_leases(), 0u);
  l.e->close_leases();
  tzu_decision want = plain.decide(use(100));
  l.e->decide(use(100), &d, nullptr, 0);
  EXPECT_EQ(want.rule_id, 1u) << "saturated: over";
  EXPECT_EQ(d.rule_id, want.rule_id);
}

// What the kernel takes is what is refunded against, and a kernel that
// writes the word can neither get back more than was charged nor make
// the engine believe another lease's word.
TEST(Lease, RefundsWhatWasNotTakenAndNoMore) {
  Leased l(quota_policy(10).blob);
  tzu_decision d = l.second_use();
  ASSERT_TRUE(d.flags & TZU_DF_LEASE);
  ASSERT_EQ(d.lease_uses, 3u);
  l.w.w[0][d.lease_slot] += 1;  // one taken: the true count is 3
  ucon::Revocations rev;
  std::int64_t v;
  ASSERT_EQ(l.e->update_attr("quota", 5, TZU_ATTR_OP_SET, 0, 6, &v, &rev), Status::kOk);
  EXPECT_EQ(l.e->live_leases(), 0u) << "the quota is a comparand: the lease ends";
  EXPECT_EQ(l.e->lease_stats().uses_refunded, 2u);
  std::uint32_t leases = 0;
  EXPECT_EQ(permits_until_deny(l.e, l.w, 100, &leases), 3u) << "uses 4 to 6 of 6";

  // A lying kernel: uses beyond the grant, then a forged ticket.
  Leased l2(quota_policy(10).blob);
  TestEngine& e2 = l2.e;
  auto& w2 = l2.w;
  d = l2.second_use();
  ASSERT_TRUE(d.flags & TZU_DF_LEASE);
  w2.w[0][d.lease_slot] |= TZU_LEASE_USES_MASK;  // "4,095 taken"
  e2->close_leases();
  EXPECT_EQ(e2->lease_stats().uses_taken, 3u) << "clamped to the grant";
  EXPECT_EQ(e2->lease_stats().uses_refunded, 0u);
  d = l2.second_use(101);
  ASSERT_TRUE(d.flags & TZU_DF_LEASE);
  w2.w[0][d.lease_slot] = 0x12345600u;  // not its ticket
  e2->close_leases();
  EXPECT_EQ(e2->lease_stats().foreign_words, 1u);
  EXPECT_EQ(e2->lease_stats().uses_refunded, 0u) << "owed nothing back";
}

// The kernel model: per CPU, one entry per (tgid) with its lease, valid
// while the hook's epoch stands and the word holds its ticket (cache.c).
struct Kernel {
  struct Entry {
    std::uint32_t epoch, slot, ticket, uses;
  };
  std::map<std::uint32_t, Entry> e[TZU_MAX_CPUS];
  Words words;
  bool lie = false;  // take uses without counting them in the word
  std::uint64_t taken = 0, sent = 0;

  bool take(ucon::Engine& eng, std::uint32_t cpu, std::uint32_t entry) {
    auto it = e[cpu].find(entry);
    if (it == e[cpu].end()) return false;
    const Entry& en = it->second;
    std::uint32_t& w = words.w[cpu][en.slot];
    if (en.epoch == eng.cache_epoch(kKey) && w >> TZU_LEASE_TICKET_SHIFT == en.ticket &&
        (w & TZU_LEASE_USES_MASK) < en.uses) {
      if (!lie) ++w;
      ++taken;
      return true;
    }
    e[cpu].erase(it);
    return false;
  }
  void fill(std::uint32_t cpu, std::uint32_t entry, const tzu_decision& d) {
    if (!(d.flags & TZU_DF_LEASE)) return;
    for (auto it = e[cpu].begin(); it != e[cpu].end();)
      it = it->second.slot == d.lease_slot ? e[cpu].erase(it) : std::next(it);
    e[cpu][entry] = Entry{d.cache_epoch, d.lease_slot, d.lease_ticket, d.lease_uses};
  }
};

// Differential: the same operations on an engine whose kernel takes leased
// uses and on one that decides every use; every use gets the same verdict.
void differential(std::uint32_t seed, std::int64_t step) {
  std::mt19937 gen(seed);
  auto rng = [&gen] { return static_cast<std::uint32_t>(gen()); };
  TestEngine leased, plain;
  Kernel k;
  leased->set_lease_words(k.words.bind());
  const QuotaPolicy p = quota_policy(40, step);
  ASSERT_EQ(leased.load(p.blob), Status::kOk);
  ASSERT_EQ(plain.load(p.blob), Status::kOk);
  std::uint64_t allows = 0;
  for (int i = 0; i < 6000; ++i) {
    const std::uint32_t r = rng() % 100;
    const std::uint32_t tgid = 100 + rng() % 3;
    ucon::Revocations rev;
    std::int64_t v;
    tzu_decision d{};
    if (r < 3) {
      // Mostly room to lease; now and then a quota at or below the counts.
      const std::int64_t q = rng() % 4 == 0 ? rng() % 12 : 100 + rng() % 300;
      ASSERT_EQ(leased->update_attr("quota", 5, TZU_ATTR_OP_SET, 0, q, &v, &rev), Status::kOk);
      ASSERT_EQ(plain->update_attr("quota", 5, TZU_ATTR_OP_SET, 0, q, &v, &rev), Status::kOk);
    } else if (r < 5) {
      const tzu_event ex = make_event(TZU_HOOK_TASK_EXIT, tgid);
      leased->decide(ex, &d, nullptr, rng() % TZU_MAX_CPUS);
      plain->decide(ex, &d);
    } else if (r < 7) {
      tzu_event ka = make_event(TZU_HOOK_KEY_ALLOC, tgid);
      ka.object.id = 1000 + rng() % 4;  // another key: moves key_permission
      leased->decide(ka, &d, nullptr, rng() % TZU_MAX_CPUS);
      plain->decide(ka, &d);
    } else {
      const std::uint32_t cpu = rng() % TZU_MAX_CPUS;
      const std::uint32_t key = rng() % 3;  // three entries per process
      const std::uint32_t entry = tgid << 4 | key;
      tzu_decision want{};
      ASSERT_EQ(plain->decide(use(tgid, key), &want), Status::kOk);
      std::uint32_t got;
      if (k.take(*leased, cpu, entry)) {
        got = TZU_VERDICT_ALLOW;
      } else {
        ASSERT_EQ(leased->decide(use(tgid, key), &d, nullptr, cpu), Status::kOk);
        ++k.sent;
        got = d.verdict;
        EXPECT_EQ(d.rule_id, want.rule_id) << "op " << i;
        k.fill(cpu, entry, d);
      }
      ASSERT_EQ(got, want.verdict) << "op " << i << " seed " << seed;
      allows += got == TZU_VERDICT_ALLOW;
    }
  }
  EXPECT_GT(k.taken, 1000u) << "leases answered uses";
  EXPECT_GT(k.sent, 500u) << "and the engine decided others";
  EXPECT_GT(allows, 1000u);
  leased->close_leases();
  const ucon::LeaseStats& s = leased->lease_stats();
  EXPECT_EQ(s.uses_taken, k.taken);
  EXPECT_EQ(s.uses_granted, s.uses_taken + s.uses_refunded + s.uses_dropped);
  EXPECT_EQ(s.uses_dropped, 0u) << "a process exit closes its leases first";
  EXPECT_EQ(s.foreign_words, 0u);
}

TEST(Lease, DifferentialAgainstAnEngineWithoutLeases) {
  for (std::uint32_t seed = 1; seed <= 6; ++seed) differential(seed, 1);
  differential(7, 3);  // steps of 3 against a quota that is no multiple of it
}

}  // namespace
