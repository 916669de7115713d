// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// index_test.cc - differential test: decisions through the per-hook hash
// index, and through the range and bit indexes, equal those of a naive
// in-order scan written here independently.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "policy.h"
#include "test_util.h"

namespace ucon_test {
namespace {

struct GenRule {
  std::uint32_t id;
  std::uint8_t effect;
  bool pins;             // object.id == key
  std::int64_t key;
  std::int64_t uid_min;  // subject.uid >= uid_min
};

std::uint32_t naive(const std::vector<GenRule>& rules, bool first_app,
                    std::int64_t id, std::int64_t uid) {
  std::uint32_t permit = 0;
  for (const GenRule& r : rules) {
    bool m = (!r.pins || r.key == id) && uid >= r.uid_min;
    if (!m) continue;
    if (first_app || r.effect == ucon::kEffectDeny) return r.id;
    if (!permit) permit = r.id;
  }
  return permit;
}

void run(bool first_app, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<GenRule> rules;
  BlobBuilder b;
  if (first_app) b.flags = ucon::kPolicyFirstApplicable;
  for (std::uint32_t i = 1; i <= 600; ++i) {
    GenRule g{i, static_cast<std::uint8_t>(rng() % 2), rng() % 5 != 0,
              static_cast<std::int64_t>(rng() % 50),
              static_cast<std::int64_t>(rng() % 1200)};
    std::uint32_t uid = b.field_cmp(ucon::kOpGe, "subject.uid", g.uid_min);
    std::uint32_t t = g.pins ? b.all({b.field_eq("object.id", g.key), uid}) : uid;
    b.rule(i, TZU_HOOK_KEY_PERMISSION, g.effect, t);
    rules.push_back(g);
  }
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), ucon::Status::kOk);
  ASSERT_EQ(e->policy()->hook_index(TZU_HOOK_KEY_PERMISSION).field,
            field_id("object.id"));
  for (int i = 0; i < 3000; ++i) {
    tzu_event ev = make_event(TZU_HOOK_KEY_PERMISSION);
    ev.object.id = static_cast<std::uint32_t>(rng() % 60);
    ev.subject.uid = static_cast<std::uint32_t>(rng() % 1300);
    tzu_decision d = e.decide(ev);
    ASSERT_EQ(d.rule_id, naive(rules, first_app, ev.object.id, ev.subject.uid))
        << "id " << ev.object.id << " uid " << ev.subject.uid;
  }
}

TEST(Index, MatchesNaiveScanDenyOverrides) { run(false, 1); }
TEST(Index, MatchesNaiveScanFirstApplicable) { run(true, 2); }

// Random conjunctions of range, ne, eq/in, bit-test and unindexable
// predicates on one hook; the decision must equal a naive in-order scan.
struct Pred {
  enum Kind { kCmp, kRange, kIn, kBits, kAny } kind;
  std::uint8_t op;  // kCmp: kOpEq..kOpGe; kBits: kOpBitsAll / kOpBitsAny
  int field;        // 0 subject.uid, 1 object.len, 2 object.flags
  std::int64_t a, b;
  std::vector<std::int64_t> set;
};

struct ValueRule {
  std::uint32_t id;
  std::uint8_t effect;
  bool has_target;
  std::vector<Pred> preds;  // all of them
};

const char* const kFields[] = {"subject.uid", "object.len", "object.flags"};

std::int64_t value_of(const tzu_event& ev, int field) {
  return field == 0 ? ev.subject.uid
         : field == 1 ? static_cast<std::int64_t>(ev.object.len)
                      : ev.object.flags;
}

bool pred_holds(const Pred& p, const tzu_event& ev) {
  const std::int64_t v = value_of(ev, p.field);
  switch (p.kind) {
    case Pred::kCmp:
      switch (p.op) {
        case ucon::kOpEq: return v == p.a;
        case ucon::kOpNe: return v != p.a;
        case ucon::kOpLt: return v < p.a;
        case ucon::kOpLe: return v <= p.a;
        case ucon::kOpGt: return v > p.a;
        default: return v >= p.a;
      }
    case Pred::kRange: return p.a <= v && v <= p.b;
    case Pred::kIn:
      for (std::int64_t x : p.set)
        if (x == v) return true;
      return false;
    case Pred::kBits:
      return p.op == ucon::kOpBitsAll ? (v & p.a) == p.a : (v & p.a) != 0;
    case Pred::kAny:  // uid == a || len == b
      return ev.subject.uid == p.a || static_cast<std::int64_t>(ev.object.len) == p.b;
  }
  return false;
}

std::uint32_t naive_values(const std::vector<ValueRule>& rules, bool first_app,
                           const tzu_event& ev) {
  std::uint32_t permit = 0;
  for (const ValueRule& r : rules) {
    bool m = true;
    for (const Pred& p : r.preds) m = m && pred_holds(p, ev);
    if (!m) continue;
    if (first_app || r.effect == ucon::kEffectDeny) return r.id;
    if (!permit) permit = r.id;
  }
  return permit;
}

std::uint32_t emit(BlobBuilder& b, const Pred& p) {
  const char* f = kFields[p.field];
  switch (p.kind) {
    case Pred::kCmp:
      return b.field_cmp(p.op, f, p.a);
    case Pred::kRange: {
      const std::int64_t lohi[2] = {p.a, p.b};
      return b.node(ucon::kOpRange, ucon::kOperandField, field_id(f),
                    ucon::kOperandRange, b.pool_bytes(lohi, sizeof(lohi)), 0);
    }
    case Pred::kIn:
      return b.field_in(f, p.set);
    case Pred::kBits:
      return b.node(p.op, ucon::kOperandField, field_id(f), ucon::kOperandInt,
                    static_cast<std::uint32_t>(p.a), 0);
    case Pred::kAny:
      return b.any({b.field_eq("subject.uid", p.a), b.field_eq("object.len", p.b)});
  }
  return 0;
}

Pred random_pred(std::mt19937& rng) {
  Pred p{};
  p.field = static_cast<int>(rng() % 2);  // uid or len
  const std::int64_t c = static_cast<std::int64_t>(rng() % 100);
  switch (rng() % 10) {
    case 0: case 1: case 2:
      p.kind = Pred::kRange;
      p.a = c;
      p.b = c + static_cast<std::int64_t>(rng() % 20) - 2;  // sometimes empty
      break;
    case 3: case 4: {
      static const std::uint8_t kOps[] = {ucon::kOpLt, ucon::kOpLe, ucon::kOpGt,
                                          ucon::kOpGe, ucon::kOpEq, ucon::kOpNe};
      p.kind = Pred::kCmp;
      p.op = kOps[rng() % 6];
      p.a = c;
      break;
    }
    case 5:
      p.kind = Pred::kIn;
      for (std::uint32_t i = 0, n = static_cast<std::uint32_t>(1 + rng() % 5); i < n; ++i)
        p.set.push_back(static_cast<std::int64_t>(rng() % 100));
      break;
    case 6: case 7: case 8:
      p.kind = Pred::kBits;
      p.field = 2;
      p.op = rng() % 2 ? ucon::kOpBitsAll : ucon::kOpBitsAny;
      p.a = static_cast<std::int64_t>(rng() % 64);  // 6 bits, 0 included
      if (rng() % 8 == 0) p.a = 0xff0000;              // a wide mask
      break;
    default:
      p.kind = Pred::kAny;
      p.a = c;
      p.b = static_cast<std::int64_t>(rng() % 100);
      break;
  }
  return p;
}

void run_values(bool first_app, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<ValueRule> rules;
  BlobBuilder b;
  if (first_app) b.flags = ucon::kPolicyFirstApplicable;
  for (std::uint32_t i = 1; i <= 400; ++i) {
    ValueRule r{i, static_cast<std::uint8_t>(rng() % 4 == 0), rng() % 40 != 0, {}};
    if (r.has_target)
      for (std::uint32_t k = 0, n = static_cast<std::uint32_t>(1 + rng() % 3); k < n; ++k)
        r.preds.push_back(random_pred(rng));
    std::uint32_t target = ucon::kNone;
    if (r.preds.size() == 1) target = emit(b, r.preds[0]);
    if (r.preds.size() > 1) {
      std::vector<std::uint32_t> kids;
      for (const Pred& p : r.preds) kids.push_back(emit(b, p));
      target = b.all(kids);
    }
    b.rule(i, TZU_HOOK_BPF_PROG_LOAD, r.effect, target);
    rules.push_back(r);
  }
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), ucon::Status::kOk);
  const ucon::HookIndex& hi = e->policy()->hook_index(TZU_HOOK_BPF_PROG_LOAD);
  // The shapes are indexed (else this would test the scan against itself).
  ASSERT_GE(hi.n_ranges, 1u);
  ASSERT_NE(hi.bits.field, ucon::kNone);
  EXPECT_LT(hi.n_rest, 120u);
  for (int i = 0; i < 5000; ++i) {
    tzu_event ev = make_event(TZU_HOOK_BPF_PROG_LOAD);
    ev.subject.uid = static_cast<std::uint32_t>(rng() % 125);
    ev.object.len = rng() % 125;
    ev.object.flags = static_cast<std::uint32_t>(rng() % 64);
    if (i % 7 == 0) ev.object.flags = static_cast<std::uint32_t>(rng());
    if (i % 11 == 0) ev.object.len = ~0ull;  // int64 -1: below every bound
    tzu_decision d = e.decide(ev);
    ASSERT_EQ(d.rule_id, naive_values(rules, first_app, ev))
        << "uid " << ev.subject.uid << " len " << ev.object.len << " flags "
        << ev.object.flags;
  }
}

TEST(Index, RangeBitAndNeMatchNaiveScanDenyOverrides) { run_values(false, 11); }
TEST(Index, RangeBitAndNeMatchNaiveScanFirstApplicable) { run_values(true, 12); }
TEST(Index, RangeBitAndNeMatchNaiveScanOtherSeed) { run_values(false, 13); }

// Candidates a decision evaluates, counted through the trace.
std::uint32_t considered(TestEngine& e, const tzu_event& ev) {
  std::uint32_t n = 0;
  ucon::Trace t;
  t.ctx = &n;
  t.on_rule = [](void* ctx, std::uint32_t, bool) { ++*static_cast<std::uint32_t*>(ctx); };
  tzu_decision d;
  e->decide(ev, &d, &t);
  return n;
}

TEST(Index, RangeRulesAreFoundWithoutAScan) {
  BlobBuilder b;
  for (std::uint32_t k = 0; k < 1000; ++k) {
    const std::int64_t lohi[2] = {10000 + 10 * k, 10004 + 10 * k};
    b.rule(k + 1, TZU_HOOK_BPF_PROG_LOAD, ucon::kEffectDeny,
           b.node(ucon::kOpRange, ucon::kOperandField, field_id("subject.uid"),
                  ucon::kOperandRange, b.pool_bytes(lohi, sizeof(lohi)), 0));
  }
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), ucon::Status::kOk);
  tzu_event ev = make_event(TZU_HOOK_BPF_PROG_LOAD);
  ev.subject.uid = 10000 + 10 * 637 + 4;
  EXPECT_EQ(e.decide(ev).rule_id, 638u);
  EXPECT_EQ(considered(e, ev), 1u);
  ev.subject.uid = 10000 + 10 * 637 + 5;  // between two ranges
  EXPECT_EQ(e.decide(ev).rule_id, 0u);
  EXPECT_EQ(considered(e, ev), 0u);
  ev.subject.uid = 5;  // below all
  EXPECT_EQ(considered(e, ev), 0u);
}

TEST(Index, BitTestRulesAreFoundByTheirBits) {
  BlobBuilder b;
  for (std::uint32_t k = 0; k < 1000; ++k) {
    const std::uint32_t mask = (1u << (k % 24)) | (1u << (24 + k % 7));
    b.rule(k + 1, TZU_HOOK_BPF_PROG_LOAD, ucon::kEffectPermit,
           b.node(ucon::kOpBitsAll, ucon::kOperandField, field_id("object.flags"),
                  ucon::kOperandInt, mask, 0));
  }
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), ucon::Status::kOk);
  tzu_event ev = make_event(TZU_HOOK_BPF_PROG_LOAD);
  ev.object.flags = 1u << 30;  // no rule's lowest bit
  EXPECT_EQ(considered(e, ev), 0u);
  ev.object.flags = (1u << 5) | (1u << 26);  // rules k % 24 == 5: 42 of them
  EXPECT_EQ(considered(e, ev), 42u);
  // k % 24 == 5 and k % 7 == 2: k = 149 is the first.
  EXPECT_EQ(e.decide(ev).rule_id, 150u);
}

TEST(Index, FewValueRulesStayInTheScan) {
  // Below the threshold an index buys nothing: explain shows every rule.
  BlobBuilder b;
  for (std::uint32_t k = 0; k < 3; ++k)
    b.rule(k + 1, TZU_HOOK_FILE_MPROTECT, ucon::kEffectDeny,
           b.field_cmp(ucon::kOpGe, "object.len", 100 * k));
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), ucon::Status::kOk);
  EXPECT_EQ(e->policy()->hook_index(TZU_HOOK_FILE_MPROTECT).n_ranges, 0u);
  EXPECT_EQ(e->policy()->hook_index(TZU_HOOK_FILE_MPROTECT).n_rest, 3u);
}

TEST(Index, StringKeysWithSets) {
  BlobBuilder b;
  b.flags = ucon::kPolicyDefaultDeny;
  b.rule(1, TZU_HOOK_ALG_BIND, ucon::kEffectPermit,
         b.field_in_str("object.name", {"sha256", "sha512"}));
  b.rule(2, TZU_HOOK_ALG_BIND, ucon::kEffectPermit,
         b.field_str_eq("object.name", "cbc(aes)"));
  b.rule(3, TZU_HOOK_ALG_BIND, ucon::kEffectDeny,
         b.field_str_eq("subject.comm", "evil"));
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), ucon::Status::kOk);
  EXPECT_EQ(e->policy()->hook_index(TZU_HOOK_ALG_BIND).field,
            field_id("object.name"));
  const struct {
    const char* name;
    const char* comm;
    std::uint32_t rule;
  } cases[] = {{"sha256", "a", 1}, {"sha512", "a", 1}, {"cbc(aes)", "a", 2},
               {"md5", "a", 0},    {"sha256", "evil", 3}, {"", "a", 0}};
  for (const auto& c : cases) {
    tzu_event ev = make_event(TZU_HOOK_ALG_BIND);
    std::strcpy(ev.object.name, c.name);
    std::strcpy(ev.subject.comm, c.comm);
    EXPECT_EQ(e.decide(ev).rule_id, c.rule) << c.name << " " << c.comm;
  }
}

// Regression: every module rule pins both object.kind (one value) and
// object.sha256 (one value per rule); indexing on kind made decisions linear
// in the number of modules. The index must pick the field that spreads rules.
TEST(Index, PrefersFieldWithMostDistinctConstants) {
  BlobBuilder b;
  b.flags = ucon::kPolicyDefaultDeny;
  for (std::uint32_t i = 1; i <= 50; ++i) {
    std::string digest(32, static_cast<char>(i));
    std::uint32_t off = b.pool_bytes(digest.data(), digest.size());
    std::uint32_t sha = b.node(ucon::kOpEq, ucon::kOperandField,
                               field_id("object.sha256"), ucon::kOperandBytes,
                               off, 32);
    b.rule(i, TZU_HOOK_KERNEL_READ_FILE, ucon::kEffectPermit,
           b.all({b.field_eq("object.kind", TZU_LOAD_MODULE), sha}));
  }
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), ucon::Status::kOk);
  EXPECT_EQ(e->policy()->hook_index(TZU_HOOK_KERNEL_READ_FILE).field,
            field_id("object.sha256"));
  tzu_event ev = make_event(TZU_HOOK_KERNEL_READ_FILE);
  ev.object.kind = TZU_LOAD_MODULE;
  std::memset(ev.object.sha256, 7, 32);
  EXPECT_EQ(e.decide(ev).rule_id, 7u);
  ev.object.kind = TZU_LOAD_FIRMWARE;
  EXPECT_EQ(e.decide(ev).rule_id, 0u);
}

}  // namespace
}  // namespace ucon_test
