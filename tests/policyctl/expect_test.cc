// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// expect_test.cc - the subset rule of `policyctl test --expect`.
#include "expect.h"

#include <gtest/gtest.h>

namespace policyctl {
namespace {

const Json kActual = Json::parse(
    R"({"seq":1,"hook":"file_mprotect","verdict":"deny","rule":10,
        "flags":["default"],"revoked":[1,2],"audit":{"index":0,"hash":"ab"}})");

TEST(Expect, SubsetMatches) {
  EXPECT_TRUE(subset_diff(Json::object(), kActual).empty());
  EXPECT_TRUE(subset_diff(Json::parse(R"({"verdict":"deny","rule":10})"), kActual).empty());
  EXPECT_TRUE(subset_diff(Json::parse(R"({"audit":{"index":0}})"), kActual).empty());
  EXPECT_TRUE(subset_diff(Json::parse(R"({"revoked":[1,2]})"), kActual).empty());
}

TEST(Expect, DifferencesAreListedWithPaths) {
  auto d = subset_diff(Json::parse(R"({"verdict":"allow","rule":10})"), kActual);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], "/verdict: expected \"allow\", got \"deny\"");
  d = subset_diff(Json::parse(R"({"audit":{"index":1},"session":0})"), kActual);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0], "/audit/index: expected 1, got 0");
  EXPECT_EQ(d[1], "/session: expected 0, key missing");
}

TEST(Expect, ArraysCompareExactly) {
  EXPECT_FALSE(subset_diff(Json::parse(R"({"revoked":[1]})"), kActual).empty());
  EXPECT_FALSE(subset_diff(Json::parse(R"({"revoked":[2,1]})"), kActual).empty());
  EXPECT_FALSE(subset_diff(Json::parse(R"({"flags":[]})"), kActual).empty());
}

TEST(Expect, TypesMatter) {
  EXPECT_FALSE(subset_diff(Json::parse(R"({"rule":"10"})"), kActual).empty());
  EXPECT_FALSE(subset_diff(Json::parse(R"({"rule":10.5})"), kActual).empty());
}

TEST(Expect, NullMeansAbsent) {
  EXPECT_TRUE(subset_diff(Json::parse(R"({"status":null})"), kActual).empty());
  auto d = subset_diff(Json::parse(R"({"audit":null})"), kActual);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], "/audit: expected no such key, got {\"index\":0,\"hash\":\"ab\"}");
}

TEST(Expect, ObjectKeyOrderDoesNotMatterInArrays) {
  Json a = Json::parse(R"({"x":[{"a":1,"b":2}]})");
  EXPECT_TRUE(subset_diff(Json::parse(R"({"x":[{"b":2,"a":1}]})"), a).empty());
}

}  // namespace
}  // namespace policyctl
