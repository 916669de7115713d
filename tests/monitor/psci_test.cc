// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// psci_test.cc - the PSCI front end and state machine (secure/monitor/
// psci.h) against a fake board: argument checks come before any state
// change, and every transition is the one the spec names.
#include "psci.h"

#include <gtest/gtest.h>

namespace {

using psci::CpuState;

struct FakeBoard {
  int locks = 0;
  int starts = 0;
  uint32_t entry = 0, context = 0, started_cpu = 99;
  int parks = 0, resets = 0, offs = 0;
};
FakeBoard g;

const psci::Platform kBoard = {
    [] { ++g.locks; },
    [] { --g.locks; },
    [](uint32_t pa) { return pa < 0x3BF00000u; },
    [](uint32_t cpu, uint32_t entry, uint32_t ctx) {
      ++g.starts;
      g.started_cpu = cpu;
      g.entry = entry;
      g.context = ctx;
    },
    [](uint32_t) { ++g.parks; },
    [](uint32_t) { ++g.resets; },
    [](uint32_t) { ++g.offs; },
};

class PsciTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g = FakeBoard{};
    p_.init(kBoard, 2, 0);
    p_.arrived(1);
  }
  int32_t call(uint32_t fid, uint32_t a1 = 0, uint32_t a2 = 0, uint32_t a3 = 0,
               uint32_t cpu = 0) {
    monitor::SmcArgs a{{fid, a1, a2, a3, 0, 0, 0, 0}};
    return static_cast<int32_t>(p_.handle(a, cpu).r[0]);
  }
  psci::Psci p_;
};

TEST_F(PsciTest, VersionAndFeatures) {
  EXPECT_EQ(call(psci::kFnVersion), 0x00010001);
  for (uint32_t f : {psci::kFnVersion, psci::kFnFeatures, psci::kFnCpuOn,
                     psci::kFnCpuOff, psci::kFnAffinityInfo,
                     psci::kFnMigrateInfoType, psci::kFnMigrateInfoUpCpu,
                     psci::kFnSystemOff, psci::kFnSystemReset})
    EXPECT_EQ(call(psci::kFnFeatures, f), psci::kSuccess) << std::hex << f;
  for (uint32_t f : {psci::kFnCpuSuspend, psci::kFnMigrate, 0x8400000Bu,
                     0x84000012u, 0xC4000003u, 0x80000000u})
    EXPECT_EQ(call(psci::kFnFeatures, f), psci::kNotSupported) << std::hex << f;
  EXPECT_EQ(call(psci::kFnCpuSuspend), psci::kNotSupported);
  EXPECT_EQ(call(0xC4000003u, 1, 0x1000), psci::kNotSupported);
  EXPECT_EQ(call(psci::kFnMigrateInfoType), 1);
  EXPECT_EQ(call(psci::kFnMigrateInfoUpCpu), 0);
}

TEST_F(PsciTest, CpuOnRejectsBadArgumentsWithoutStateChange) {
  for (uint32_t m : {2u, 0x100u, 0x101u, 0x80000001u, 0xFFFFFFFFu})
    EXPECT_EQ(call(psci::kFnCpuOn, m, 0x1000), psci::kInvalidParameters);
  for (uint32_t e : {0x3BF00000u, 0x3C000000u, 0xFFFFFFF0u, 0x1002u})
    EXPECT_EQ(call(psci::kFnCpuOn, 1, e), psci::kInvalidAddress) << std::hex << e;
  EXPECT_EQ(p_.state(1), CpuState::kOff);
  EXPECT_EQ(g.starts, 0);
  EXPECT_EQ(call(psci::kFnCpuOn, 0, 0x1000), psci::kAlreadyOn);
}

TEST_F(PsciTest, CpuOnLifecycle) {
  EXPECT_EQ(call(psci::kFnAffinityInfo, 1, 0), 1);  // OFF
  EXPECT_EQ(call(psci::kFnCpuOn, 1, 0x1001, 77), psci::kSuccess);  // Thumb ok
  EXPECT_EQ(g.started_cpu, 1u);
  EXPECT_EQ(g.entry, 0x1001u);
  EXPECT_EQ(g.context, 77u);
  EXPECT_EQ(call(psci::kFnAffinityInfo, 1, 0), 2);  // ON_PENDING
  EXPECT_EQ(call(psci::kFnCpuOn, 1, 0x1000), psci::kOnPending);
  EXPECT_TRUE(p_.on_finished(1));
  EXPECT_FALSE(p_.on_finished(1));
  EXPECT_EQ(call(psci::kFnAffinityInfo, 1, 0), 0);  // ON
  EXPECT_EQ(call(psci::kFnCpuOn, 1, 0x1000), psci::kAlreadyOn);
  call(psci::kFnCpuOff, 0, 0, 0, 1);
  EXPECT_EQ(g.parks, 1);
  EXPECT_EQ(p_.state(1), CpuState::kOff);
  EXPECT_EQ(call(psci::kFnCpuOn, 1, 0x2000), psci::kSuccess);
  EXPECT_EQ(g.locks, 0);
}

TEST_F(PsciTest, TrustedOsCpuCannotGoOff) {
  EXPECT_EQ(call(psci::kFnCpuOff, 0, 0, 0, 0), psci::kDenied);
  EXPECT_EQ(p_.state(0), CpuState::kOn);
  EXPECT_EQ(g.parks, 0);
}

TEST_F(PsciTest, AffinityInfoArguments) {
  EXPECT_EQ(call(psci::kFnAffinityInfo, 0, 0), 0);
  EXPECT_EQ(call(psci::kFnAffinityInfo, 0, 1), psci::kInvalidParameters);
  EXPECT_EQ(call(psci::kFnAffinityInfo, 2, 0), psci::kInvalidParameters);
}

TEST_F(PsciTest, AbsentCpuCannotBeStarted) {
  p_.init(kBoard, 2, 0);  // CPU1 never arrived
  EXPECT_EQ(call(psci::kFnCpuOn, 1, 0x1000), psci::kInternalFailure);
  EXPECT_EQ(g.starts, 0);
}

TEST_F(PsciTest, SystemCallsGoToTheBoard) {
  call(psci::kFnSystemReset);
  call(psci::kFnSystemOff);
  EXPECT_EQ(g.resets, 1);
  EXPECT_EQ(g.offs, 1);
}

}  // namespace
