// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analysis_test.cc - update cycles (errors), rules that can never match and
// shadowed rules (warnings), and the absence of false alarms.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compiler.h"
#include "test_util.h"

namespace {

using policyc_test::errors_of;
using policyc_test::policy;
using policyc_test::warnings_of;
using Strings = std::vector<std::string>;

policyc::CompileResult run(const std::string& text) {
  return policyc::compile(text, nullptr);
}

// A session rule on key_alloc whose ongoing predicate reads `reads` and
// whose post-update writes `writes`.
std::string session_rule(int id, const std::string& name,
                         const std::string& reads, const std::string& writes) {
  return R"({"id":)" + std::to_string(id) + R"(,"name":")" + name +
         R"(","hook":"key_alloc","effect":"permit","session":true,"ongoing":{"attr":")" +
         reads + R"(","lt":5},"post_update":[{"attr":")" + writes +
         R"(","op":"add","value":1}]})";
}

const char* kGlobals =
    R"({"x":{"scope":"global"},"y":{"scope":"global"},"z":{"scope":"global"}})";

// Messages of warnings only (positions are checked in a few tests below).
Strings messages(const std::vector<policyc::Diagnostic>& ds) {
  Strings out;
  for (const auto& d : ds) out.push_back(d.message + " @" + d.pointer);
  return out;
}

TEST(Cycles, SelfLoopIsRejected) {
  auto r = run(policy(session_rule(1, "a", "x", "x"), kGlobals));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(messages(r.errors),
            Strings{"update cycle that can never settle: attribute \"x\" -> "
                    "\"x\" (rule \"a\") @/rules/0/post_update/0"});
}

TEST(Cycles, ThreeRuleCycleNamesEveryStep) {
  auto r = run(policy(session_rule(1, "a", "x", "y") + "," +
                          session_rule(2, "b", "y", "z") + "," +
                          session_rule(3, "c", "z", "x"),
                      kGlobals));
  EXPECT_EQ(messages(r.errors),
            Strings{"update cycle that can never settle: attribute \"x\" -> "
                    "\"y\" (rule \"a\") -> \"z\" (rule \"b\") -> \"x\" (rule "
                    "\"c\") @/rules/0/post_update/0"});
}

TEST(Cycles, ChainWithoutCycleIsAccepted) {
  auto r = run(policy(session_rule(1, "a", "x", "y") + "," +
                          session_rule(2, "b", "y", "z"),
                      kGlobals));
  EXPECT_TRUE(r.ok) << ::testing::PrintToString(errors_of(r));
}

TEST(Cycles, PreUpdatesAndNonSessionRulesDoNotCount) {
  // Pre-updates run at decision time, not on revocation: no cascade.
  std::string pre = R"({"id":1,"name":"a","hook":"key_alloc","effect":"permit","session":true,)"
                    R"("ongoing":{"attr":"x","lt":5},"pre_update":[{"attr":"x","op":"add","value":1}]})";
  EXPECT_TRUE(run(policy(pre, kGlobals)).ok);
  // Without a session, post-updates run at once; nothing is re-checked.
  std::string plain = R"({"id":1,"name":"a","hook":"key_alloc","effect":"permit",)"
                      R"("when":{"attr":"x","lt":5},"post_update":[{"attr":"x","op":"add","value":1}]})";
  EXPECT_TRUE(run(policy(plain, kGlobals)).ok);
}

TEST(Cycles, AttributeOnTheRightSideIsARead) {
  std::string r1 = R"({"id":1,"name":"a","hook":"key_alloc","effect":"permit","session":true,)"
                   R"("ongoing":{"attr":"y","lt":{"attr":"x"}},"post_update":[{"attr":"x","op":"add","value":1}]})";
  auto r = run(policy(r1, kGlobals));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message,
            "update cycle that can never settle: attribute \"x\" -> \"x\" "
            "(rule \"a\")");
}

std::string deny(int id, const std::string& when, const std::string& hook = "mmap_file") {
  return R"({"id":)" + std::to_string(id) + R"(,"name":"r)" + std::to_string(id) +
         R"(","hook":")" + hook + R"(","effect":"deny","when":)" + when + "}";
}

std::string permit(int id, const std::string& when, const std::string& hook = "mmap_file") {
  return R"({"id":)" + std::to_string(id) + R"(,"name":"r)" + std::to_string(id) +
         R"(","hook":")" + hook + R"(","effect":"permit","when":)" + when + "}";
}

TEST(Unreachable, ConstantFalseWithPosition) {
  auto r = run(policy(deny(1, "false")));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(warnings_of(r),
            Strings{"1:135: warning: rule \"r1\" (id 1) can never match: the "
                    "predicate is false (at /rules/0/when)"});
}

TEST(Unreachable, ContradictionsInsideAll) {
  struct Case {
    std::string when;
    std::string reason;
  } cases[] = {
      {R"({"all":[{"field":"subject.uid","eq":0},{"field":"subject.uid","eq":1}]})",
       "contradictory tests of \"subject.uid\""},
      {R"({"all":[{"field":"subject.uid","gt":10},{"field":"subject.uid","lt":5}]})",
       "contradictory tests of \"subject.uid\""},
      {R"({"all":[{"field":"subject.uid","in":[1,2]},{"not":{"field":"subject.uid","in":[1,2]}}]})",
       "contradictory tests of \"subject.uid\""},
      {R"({"all":[{"field":"subject.uid","range":[0,3]},{"field":"subject.uid","ne":0},)"
       R"({"field":"subject.uid","ne":1},{"field":"subject.uid","ne":2},{"field":"subject.uid","ne":3}]})",
       "contradictory tests of \"subject.uid\""},
      {R"({"all":[{"field":"object.prot","eq":1},{"field":"object.prot","bits_any":"exec"}]})",
       "contradictory tests of \"object.prot\""},
      {R"({"all":[{"field":"subject.comm","eq":"a"},{"field":"subject.comm","eq":"b"}]})",
       "contradictory tests of \"subject.comm\""},
      {R"({"all":[{"field":"object.name","prefix":"ab"},{"field":"object.name","prefix":"ac"}]})",
       "contradictory tests of \"object.name\""},
      {R"({"all":[{"field":"subject.uid","ge":0},{"all":[{"field":"subject.euid","eq":3},{"not":{"field":"subject.euid","ne":4}}]}]})",
       "contradictory tests of \"subject.euid\""},
  };
  for (const Case& c : cases) {
    auto r = run(policy(deny(1, c.when)));
    ASSERT_TRUE(r.ok) << c.when;
    ASSERT_EQ(r.warnings.size(), 1u) << c.when;
    EXPECT_EQ(r.warnings[0].message,
              "rule \"r1\" (id 1) can never match: " + c.reason)
        << c.when;
  }
}

TEST(Unreachable, ImpossibleSingleTests) {
  struct Case {
    std::string when;
    std::string reason;
    std::string pointer;
  } cases[] = {
      {R"({"field":"subject.uid","range":[5,3]})", "empty range [5, 3]", "/rules/0/when"},
      {R"({"field":"subject.uid","lt":0})", "no value of \"subject.uid\" passes this test",
       "/rules/0/when"},
      {R"({"field":"object.prot","bits_any":0})", "\"bits_any\" with mask 0 never holds",
       "/rules/0/when"},
      {R"({"field":"object.prot","bits_all":4294967296})",
       "no value of \"object.prot\" passes this test", "/rules/0/when"},
      {R"({"field":"subject.uid","eq":-1})", "no value of \"subject.uid\" passes this test",
       "/rules/0/when"},
      {R"({"any":[false,{"field":"subject.uid","gt":4294967295}]})",
       "no alternative of \"any\" can hold", "/rules/0/when"},
      {R"({"not":{"field":"object.prot","bits_all":0}})",
       "it negates a predicate that always holds", "/rules/0/when"},
      {R"({"all":[true,{"field":"subject.gid","ge":0},false]})", "the predicate is false",
       "/rules/0/when/all/2"},
  };
  for (const Case& c : cases) {
    auto r = run(policy(deny(1, c.when)));
    ASSERT_TRUE(r.ok) << c.when;
    ASSERT_EQ(r.warnings.size(), 1u) << c.when;
    EXPECT_EQ(r.warnings[0].message, "rule \"r1\" (id 1) can never match: " + c.reason)
        << c.when;
    EXPECT_EQ(r.warnings[0].pointer, c.pointer) << c.when;
  }
}

TEST(Unreachable, ConditionOngoingAndLifecycleHooks) {
  std::string cond = R"({"id":1,"name":"r1","hook":"mmap_file","effect":"deny",)"
                     R"("condition":{"all":[{"attr":"x","eq":1},{"attr":"x","eq":2}]}})";
  std::string ongoing = R"({"id":2,"name":"r2","hook":"key_alloc","effect":"permit",)"
                        R"("session":true,"ongoing":false})";
  std::string exit_rule = R"({"id":3,"name":"r3","hook":"task_exit","effect":"deny"})";
  auto r = run(policy(cond + "," + ongoing + "," + exit_rule, kGlobals));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(messages(r.warnings),
            (Strings{"rule \"r1\" (id 1) can never match: its condition never "
                     "holds: contradictory tests of \"x\" @/rules/0/condition",
                     "the ongoing predicate of rule \"r2\" (id 2) never holds "
                     "(the predicate is false): its sessions are revoked at the "
                     "first re-check @/rules/1/ongoing",
                     "rule \"r3\" (id 3) is never evaluated: the engine only "
                     "ends usage on \"task_exit\" events @/rules/2/hook"}));
}

TEST(Unreachable, NoFalseAlarms) {
  const char* whens[] = {
      R"({"all":[{"field":"subject.uid","ge":1000},{"field":"subject.uid","lt":2000}]})",
      R"({"all":[{"field":"subject.uid","range":[0,3]},{"field":"subject.uid","ne":0}]})",
      R"({"all":[{"field":"object.prot","bits_all":"write|exec"},{"field":"object.prot","bits_any":"exec"}]})",
      R"({"all":[{"field":"object.name","prefix":"ab"},{"field":"object.name","prefix":"abc"}]})",
      R"({"all":[{"field":"object.len","gt":4294967296}]})",
      R"({"all":[{"field":"subject.uid","eq":0},{"field":"subject.euid","eq":1}]})",
      R"({"any":[{"field":"subject.uid","eq":0},{"field":"subject.uid","eq":1}]})",
      R"({"not":{"all":[{"field":"subject.uid","eq":0},{"field":"subject.uid","eq":1}]}})",
      R"({"all":[{"field":"subject.uid","eq":{"field":"subject.euid"}},{"field":"subject.uid","ne":{"field":"subject.euid"}}]})",
  };
  for (const char* w : whens) {
    auto r = run(policy(deny(1, w)));
    ASSERT_TRUE(r.ok) << w;
    EXPECT_TRUE(r.warnings.empty()) << w << ": " << ::testing::PrintToString(warnings_of(r));
  }
}

const char* kUid0 = R"({"field":"subject.uid","eq":0})";
const char* kUid0Exec =
    R"({"all":[{"field":"object.prot","bits_any":"exec"},{"field":"subject.uid","eq":0}]})";

TEST(Shadowed, FirstApplicableEarlierSubset) {
  auto r = run(policy(permit(1, kUid0) + "," + deny(2, kUid0Exec), "",
                      R"("combining":"first-applicable",)"));
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].message,
            "rule \"r2\" (id 2) is shadowed by earlier rule \"r1\" (id 1) and never decides");
  EXPECT_EQ(r.warnings[0].pointer, "/rules/1");
  EXPECT_EQ(r.warnings[0].line, 1u);
  EXPECT_EQ(r.warnings[0].column, 200u);
}

TEST(Shadowed, FirstApplicableNeedsSameHookAndNoCondition) {
  auto other_hook = run(policy(permit(1, kUid0, "file_mprotect") + "," + deny(2, kUid0Exec), "",
                               R"("combining":"first-applicable",)"));
  EXPECT_TRUE(other_hook.warnings.empty());
  std::string with_cond = R"({"id":1,"name":"r1","hook":"mmap_file","effect":"permit","when":)" +
                          std::string(kUid0) + R"(,"condition":{"attr":"x","eq":1}})";
  auto cond = run(policy(with_cond + "," + deny(2, kUid0Exec), kGlobals,
                         R"("combining":"first-applicable",)"));
  EXPECT_TRUE(cond.warnings.empty()) << ::testing::PrintToString(warnings_of(cond));
  // Later, more general rules are not shadowed.
  auto later = run(policy(deny(2, kUid0Exec) + "," + permit(1, kUid0), "",
                          R"("combining":"first-applicable",)"));
  EXPECT_TRUE(later.warnings.empty());
}

TEST(Shadowed, DenyOverridesPermitImpliedByDenyEarlierOrLater) {
  for (bool deny_first : {true, false}) {
    std::string rules = deny_first ? deny(1, kUid0) + "," + permit(2, kUid0Exec)
                                   : permit(2, kUid0Exec) + "," + deny(1, kUid0);
    auto r = run(policy(rules));
    ASSERT_TRUE(r.ok);
    ASSERT_EQ(r.warnings.size(), 1u) << deny_first;
    EXPECT_EQ(r.warnings[0].message,
              "permit rule \"r2\" (id 2) is shadowed by deny rule \"r1\" (id 1), "
              "which matches whenever it does (deny-overrides)");
  }
  // A permit that is more general than the deny still decides sometimes.
  auto ok = run(policy(deny(1, kUid0Exec) + "," + permit(2, kUid0)));
  EXPECT_TRUE(ok.warnings.empty());
}

TEST(Shadowed, DenyOverridesSameEffectEarlierSubset) {
  auto r = run(policy(deny(1, kUid0) + "," + deny(2, kUid0Exec)));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].message,
            "rule \"r2\" (id 2) is shadowed by earlier rule \"r1\" (id 1) and never decides");
}

TEST(Shadowed, RuleWithoutTargetCoversItsHook) {
  std::string all = R"({"id":1,"name":"r1","hook":"mmap_file","effect":"deny"})";
  auto r = run(policy(all + "," + permit(2, kUid0)));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].pointer, "/rules/1");
}

}  // namespace
