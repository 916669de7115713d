// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// policies_test.cc - every policy shipped in policies/ compiles without
// errors or warnings, is named after its file and carries a blob.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compiler.h"
#include "test_util.h"

namespace {

TEST(ShippedPolicies, TheFourRequiredOnesExist) {
  std::vector<std::string> files = policyc_test::shipped_policies();
  for (const char* want : {"crypto-keys.json", "kernel-integrity.json",
                           "module-allowlist.json", "no-wx-memory.json"}) {
    EXPECT_NE(std::find(files.begin(), files.end(), want), files.end()) << want;
  }
}

class ShippedPolicy : public ::testing::TestWithParam<std::string> {};

TEST_P(ShippedPolicy, CompilesCleanly) {
  std::string text =
      policyc_test::read_file(std::string(TZUCON_POLICY_DIR) + "/" + GetParam());
  ASSERT_FALSE(text.empty());
  policyc::Key key = policyc_test::test_key();
  policyc::CompileResult r = policyc::compile(text, &key);
  EXPECT_TRUE(r.ok) << ::testing::PrintToString(policyc_test::errors_of(r));
  EXPECT_TRUE(r.warnings.empty())
      << ::testing::PrintToString(policyc_test::warnings_of(r));
  EXPECT_FALSE(r.blob.empty());
  EXPECT_FALSE(r.rules.empty());
  EXPECT_EQ(r.name + ".json", GetParam()) << "policy name matches its file";
}

INSTANTIATE_TEST_SUITE_P(
    Policies, ShippedPolicy,
    ::testing::ValuesIn(policyc_test::shipped_policies()),
    [](const ::testing::TestParamInfo<std::string>& param) {
      std::string name = param.param.substr(0, param.param.size() - 5);
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name;
    });

}  // namespace
