// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// index_test.cc - differential test: decisions through the per-hook hash
// index equal those of a naive in-order scan written here independently.
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
