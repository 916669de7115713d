// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// compare_test.cc - first_diff_word against the obvious loop, every
// position inside and after the 8-word blocks.
#include <gtest/gtest.h>

#include <vector>

#include "compare.h"

namespace {

size_t reference(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  return i;
}

TEST(CompareTest, EmptyAndEqual) {
  std::vector<uint32_t> a(37, 0xA5A5A5A5u), b = a;
  EXPECT_EQ(integrity::first_diff_word(a.data(), b.data(), 0), 0u);
  EXPECT_EQ(integrity::first_diff_word(a.data(), b.data(), a.size()), a.size());
}

TEST(CompareTest, EveryPosition) {
  for (size_t n = 1; n <= 41; ++n) {
    for (size_t at = 0; at < n; ++at) {
      std::vector<uint32_t> a(n), b;
      for (size_t i = 0; i < n; ++i) a[i] = static_cast<uint32_t>(i * 2654435761u);
      b = a;
      b[at] ^= 1u << (at % 32);
      if (at + 3 < n) b[at + 3] ^= 0x80000000u;  // a later difference too
      ASSERT_EQ(integrity::first_diff_word(a.data(), b.data(), n), reference(a, b))
          << "n " << n << " at " << at;
      ASSERT_EQ(integrity::first_diff_word(a.data(), b.data(), at), at);  // before it
    }
  }
}

}  // namespace
