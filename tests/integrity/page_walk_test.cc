// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// page_walk_test.cc - the short-descriptor walk on hand-built tables, and
// NsMemory's bounds.
#include "integrity_fixture.h"
#include "page_walk.h"

namespace integrity_test {
namespace {

using integrity::translate;
using integrity::WalkError;

class WalkTest : public IntegrityTest {
 protected:
  WalkError walk(uint32_t va, uint32_t* pa) { return translate(cfg_.ns, l1_pa(), va, pa); }
};

TEST_F(WalkTest, Section) {
  uint32_t pa = 0;
  ASSERT_EQ(walk(0xC0123456u, &pa), WalkError::kOk);
  EXPECT_EQ(pa, 0x00123456u);
  set_l1(0xD0000000u, 0x00700000u | 0x2u);
  ASSERT_EQ(walk(0xD00FFFFCu, &pa), WalkError::kOk);
  EXPECT_EQ(pa, 0x007FFFFCu);
}

TEST_F(WalkTest, Supersection) {
  for (uint32_t i = 0; i < 16; ++i)  // 16 identical entries, as required
    set_l1(0xE0000000u + (i << 20), 0x00000000u | (1u << 18) | 0x2u);
  uint32_t pa = 0;
  ASSERT_EQ(walk(0xE0ABCDEFu, &pa), WalkError::kOk);
  EXPECT_EQ(pa, 0x00ABCDEFu);
}

TEST_F(WalkTest, SupersectionAbove4GRefused) {
  set_l1(0xE0000000u, 0x01000000u | (1u << 18) | (1u << 20) | 0x2u);  // PA[32]
  uint32_t pa = 0;
  EXPECT_EQ(walk(0xE0000000u, &pa), WalkError::kHighPa);
  set_l1(0xE0000000u, 0x01000000u | (1u << 18) | (1u << 5) | 0x2u);  // PA[36]
  EXPECT_EQ(walk(0xE0000000u, &pa), WalkError::kHighPa);
}

TEST_F(WalkTest, SmallAndLargePages) {
  uint32_t pa = 0;
  ASSERT_EQ(walk(0xFFFF0004u, &pa), WalkError::kOk);
  EXPECT_EQ(pa, kVectorsPa + 4);
  ASSERT_EQ(walk(0xFFFF1FFCu, &pa), WalkError::kOk);  // XN bit set
  EXPECT_EQ(pa, kStubsPa + 0xFFC);
  ASSERT_EQ(walk(kModuleVa + 0x1008, &pa), WalkError::kOk);
  EXPECT_EQ(pa, module_page_pa(1) + 8);
  ASSERT_EQ(walk(kLargeModuleVa + 0xABCD, &pa), WalkError::kOk);
  EXPECT_EQ(pa, kLargeModulePa + 0xABCD);
}

TEST_F(WalkTest, Faults) {
  uint32_t pa = 0;
  EXPECT_EQ(walk(0x00000000u, &pa), WalkError::kFaultL1);
  EXPECT_EQ(walk(0xFFFE0000u, &pa), WalkError::kFaultL2);
  set_l1(0xD0000000u, 0x00100000u | 0x3u);
  EXPECT_EQ(walk(0xD0000000u, &pa), WalkError::kReservedL1);
}

TEST_F(WalkTest, L2TableInTheHoleOrOutside) {
  uint32_t pa = 0;
  set_l1(0xD0000000u, kHoleBase | 0x1u);
  EXPECT_EQ(walk(0xD0000000u, &pa), WalkError::kTableUnreadable);
  set_l1(0xD0000000u, 0x30000000u | 0x1u);  // beyond the 16 MiB of RAM
  EXPECT_EQ(walk(0xD0000000u, &pa), WalkError::kTableUnreadable);
}

TEST_F(WalkTest, L1TableInTheHoleOrOutside) {
  uint32_t pa = 0;
  EXPECT_EQ(translate(cfg_.ns, kHoleBase, 0xC0000000u, &pa), WalkError::kTableUnreadable);
  EXPECT_EQ(translate(cfg_.ns, kRamSize, 0, &pa), WalkError::kTableUnreadable);  // past the end
}

TEST_F(WalkTest, ErrorNames) {
  EXPECT_STREQ(integrity::walk_error_name(WalkError::kHighPa), "pa above 4 GiB");
  EXPECT_STREQ(integrity::walk_error_name(WalkError::kOk), "ok");
}

TEST_F(WalkTest, NsMemoryBounds) {
  const integrity::NsMemory& ns = cfg_.ns;
  EXPECT_EQ(ns.at(0, 4), ram());
  EXPECT_EQ(ns.at(kRamSize - 4, 4), nullptr);  // the hole ends RAM here
  integrity::NsMemory no_hole = ns;
  no_hole.hole_size = 0;
  EXPECT_EQ(no_hole.at(kRamSize - 4, 4), ram() + kRamSize - 4);
  EXPECT_EQ(no_hole.at(kRamSize - 4, 5), nullptr);
  EXPECT_EQ(no_hole.at(kRamSize, 0), ram() + kRamSize);  // empty range at the end
  EXPECT_EQ(no_hole.at(kRamSize + 1, 0), nullptr);
  EXPECT_EQ(no_hole.at(~0ull, 4), nullptr);
  EXPECT_EQ(no_hole.at(4, ~0u), nullptr);
  EXPECT_EQ(ns.at(kHoleBase - 4, 4), ram() + kHoleBase - 4);
  EXPECT_EQ(ns.at(kHoleBase - 4, 5), nullptr);  // touches the hole
  EXPECT_EQ(ns.at(kHoleBase + kHoleSize - 1, 1), nullptr);
  integrity::NsMemory off = ns;
  off.pa_base = 0x1000;
  EXPECT_EQ(off.at(0xFFC, 4), nullptr);  // below pa_base
  EXPECT_EQ(off.at(0x1000, 4), ram());
  integrity::NsMemory none;
  EXPECT_EQ(none.at(0, 0), nullptr);
}

}  // namespace
}  // namespace integrity_test
