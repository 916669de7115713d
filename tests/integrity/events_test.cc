// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// events_test.cc - what the normal world sends: heartbeats (seq, counters),
// the deadlines it owes, module ADD/DEL; and the DEGRADED transitions.
#include <cstring>

#include "crypto.h"
#include "integrity_fixture.h"

namespace integrity_test {
namespace {

using ucon::Status;

constexpr uint64_t kMs = 1000;

TEST_F(IntegrityTest, HeartbeatsKeepItOk) {
  load_and_register();
  for (uint64_t seq = 1; seq <= 40; ++seq) {
    now_ += cfg_.heartbeat_ms * kMs;
    ASSERT_EQ(ki_->heartbeat(hb(seq, seq * 3, seq == 1 ? TZU_HB_RUNNING : 0), seq * 3, now_),
              Status::kOk);
    ki_->tick(now_);
  }
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
  const tzu_integrity_status st = status(nullptr);
  EXPECT_EQ(st.heartbeats, 40u);
  EXPECT_EQ(st.last_heartbeat_us, now_);
  EXPECT_EQ(st.kernel_decisions, 120u);
  EXPECT_EQ(st.secure_decisions, 120u);
  EXPECT_EQ(st.heartbeat_ms, cfg_.heartbeat_ms);
  EXPECT_EQ(st.heartbeat_timeout_ms, cfg_.heartbeat_timeout_ms);
}

// Before the seal the silence allowed is boot_heartbeat_timeout_ms.
TEST_F(IntegrityTest, NoHeartbeatAfterRegistrationDegrades) {
  load_and_register();
  const uint64_t reg = now_;
  ki_->tick(reg + cfg_.boot_heartbeat_timeout_ms * kMs);  // exactly: fine
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
  ki_->tick(reg + cfg_.boot_heartbeat_timeout_ms * kMs + 1);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
  EXPECT_NE(ki_->flags() & TZU_IS_HEARTBEAT_LOST, 0u);
  ASSERT_EQ(sink_.changes.size(), 2u);
  EXPECT_EQ(sink_.changes[1].from, TZU_INTEGRITY_OK);
  EXPECT_EQ(sink_.changes[1].why, TZU_IS_HEARTBEAT_LOST);
  // A heartbeat now does not make it better.
  ASSERT_EQ(ki_->heartbeat(hb(1, 0, TZU_HB_RUNNING), 0,
                           now_ = reg + (cfg_.boot_heartbeat_timeout_ms + 100) * kMs),
            Status::kOk);
  ki_->tick(now_);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
  EXPECT_NE(ki_->flags() & TZU_IS_HEARTBEAT_LOST, 0u);
}

// Regression (two-CPU -icount boots, docs/integrity.md "Heartbeat"): the
// kernel's init stopped every CPU for 0.89 s (free_initmem and
// mark_rodata_ro under stop_machine) between two heartbeats, before the
// first TZU_HB_RUNNING one: not a lost heartbeat. The same silence once
// sealed is one.
TEST_F(IntegrityTest, InitStallBeforeSealKeepsOk) {
  load_and_register();
  for (uint64_t seq = 1; seq <= 5; ++seq) {
    now_ += cfg_.heartbeat_ms * kMs;
    ASSERT_EQ(ki_->heartbeat(hb(seq, 0), 0, now_), Status::kOk);
  }
  const uint64_t stall_end = now_ + 890 * kMs;
  while (now_ < stall_end) ki_->tick(now_ += cfg_.period_us);
  ASSERT_EQ(ki_->heartbeat(hb(6, 0, TZU_HB_RUNNING), 0, now_), Status::kOk);
  ki_->tick(now_);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
  EXPECT_EQ(ki_->flags() & TZU_IS_HEARTBEAT_LOST, 0u);
  EXPECT_NE(ki_->flags() & TZU_IS_SEALED, 0u);
  const uint64_t again = now_ + 890 * kMs;
  while (now_ < again) ki_->tick(now_ += cfg_.period_us);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
  EXPECT_NE(ki_->flags() & TZU_IS_HEARTBEAT_LOST, 0u);
}

// The boot grace is per silence, not per boot: a kernel that never seals
// must still speak every boot_heartbeat_timeout_ms, and the seal deadline
// ends the grace (SealDeadline).
TEST_F(IntegrityTest, BootSilenceIsBounded) {
  load_and_register();
  ASSERT_EQ(ki_->heartbeat(hb(1, 0), 0, now_ += kMs), Status::kOk);
  const uint64_t last = now_;
  ki_->tick(last + cfg_.boot_heartbeat_timeout_ms * kMs);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
  ki_->tick(last + cfg_.boot_heartbeat_timeout_ms * kMs + 1);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
  EXPECT_NE(ki_->flags() & TZU_IS_HEARTBEAT_LOST, 0u);
}

// A boot grace configured below the sealed timeout does not shorten it.
TEST_F(IntegrityTest, BootTimeoutNeverBelowSealedOne) {
  cfg_.boot_heartbeat_timeout_ms = cfg_.heartbeat_timeout_ms / 2;
  ASSERT_EQ(ki_->init(cfg_, &sink_), Status::kOk);
  load_and_register();
  ki_->tick(now_ + cfg_.heartbeat_timeout_ms * kMs);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
}

TEST_F(IntegrityTest, HeartbeatStopsDegrades) {
  load_and_register();
  seal();
  const uint64_t last = now_;
  ki_->tick(last + cfg_.heartbeat_timeout_ms * kMs);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
  ki_->full_pass(last + cfg_.heartbeat_timeout_ms * kMs + 1);  // checks run here too
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
}

TEST_F(IntegrityTest, NoHeartbeatDeadlineBeforeRegistration) {
  ASSERT_EQ(load(), Status::kOk);
  ki_->tick(now_ + 10 * cfg_.heartbeat_timeout_ms * kMs);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_UNKNOWN);
}

TEST_F(IntegrityTest, ReplayedSeqDegrades) {
  load_and_register();
  ASSERT_EQ(ki_->heartbeat(hb(1, 0), 0, now_ += kMs), Status::kOk);
  ASSERT_EQ(ki_->heartbeat(hb(2, 0), 0, now_ += kMs), Status::kOk);
  const uint64_t last = now_;
  EXPECT_EQ(ki_->heartbeat(hb(2, 0), 0, now_ += kMs), Status::kReplay);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
  EXPECT_EQ(ki_->flags() & TZU_IS_COUNTERS_DISAGREE, TZU_IS_COUNTERS_DISAGREE);
  const tzu_integrity_status st = status(nullptr);
  EXPECT_EQ(st.heartbeats, 2u);
  EXPECT_EQ(st.last_heartbeat_us, last);  // the replay kept nothing alive
}

TEST_F(IntegrityTest, SeqZeroIsAReplay) {
  load_and_register();
  EXPECT_EQ(ki_->heartbeat(hb(0, 0), 0, now_), Status::kReplay);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
}

TEST_F(IntegrityTest, UnknownHeartbeatFlagsRefused) {
  load_and_register();
  EXPECT_EQ(ki_->heartbeat(hb(1, 0, 0x2u), 0, now_), Status::kBadField);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
  EXPECT_EQ(status(nullptr).heartbeats, 0u);
  EXPECT_EQ(ki_->heartbeat(hb(1, 0), 0, now_), Status::kOk);  // seq 1 still unused
}

struct CounterCase {
  uint64_t sent, secure;
  bool disagree;
};

class CounterTest : public IntegrityTest,
                    public ::testing::WithParamInterface<CounterCase> {};

TEST_P(CounterTest, Counters) {
  load_and_register();
  const CounterCase c = GetParam();
  // The served count is compared with the next heartbeat's (the second
  // sends the same count: nothing was decided in between).
  ASSERT_EQ(ki_->heartbeat(hb(1, c.sent), c.secure, now_), Status::kOk);
  ASSERT_EQ(ki_->heartbeat(hb(2, c.sent), c.secure, now_), Status::kOk);
  EXPECT_EQ(ki_->state(), c.disagree ? TZU_INTEGRITY_DEGRADED : TZU_INTEGRITY_OK);
  EXPECT_EQ((ki_->flags() & TZU_IS_COUNTERS_DISAGREE) != 0, c.disagree);
}

// slack = 4. Interposer: the kernel claims more than the secure world
// served; someone else calling DECIDE: the secure world served more.
INSTANTIATE_TEST_SUITE_P(
    Slack, CounterTest,
    ::testing::Values(CounterCase{100, 100, false}, CounterCase{104, 100, false},
                      CounterCase{105, 100, true}, CounterCase{100, 104, false},
                      CounterCase{100, 105, true}, CounterCase{~0ull, 0, true},
                      CounterCase{0, ~0ull, true}, CounterCase{~0ull, ~0ull - 4, false}));

// Regression (two CPUs): the other CPU decided 50 times between the
// kernel's snapshot and the heartbeat's arrival; the next heartbeat covers
// them. That is not a disagreement.
TEST_F(IntegrityTest, OtherCpuDecidingMeanwhileAgrees) {
  load_and_register();
  ASSERT_EQ(ki_->heartbeat(hb(1, 100), 150, now_), Status::kOk);
  ASSERT_EQ(ki_->heartbeat(hb(2, 160), 170, now_), Status::kOk);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
}

// Calls the kernel never sent are found one heartbeat after they were served.
TEST_F(IntegrityTest, UnsentCallsFoundAtTheNextHeartbeat) {
  load_and_register();
  ASSERT_EQ(ki_->heartbeat(hb(1, 100), 100, now_), Status::kOk);
  ASSERT_EQ(ki_->heartbeat(hb(2, 100), 200, now_), Status::kOk);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
  ASSERT_EQ(ki_->heartbeat(hb(3, 100), 200, now_), Status::kOk);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
  EXPECT_EQ(ki_->flags() & TZU_IS_COUNTERS_DISAGREE, TZU_IS_COUNTERS_DISAGREE);
}

TEST_F(IntegrityTest, KernelCounterGoingBackDisagrees) {
  load_and_register();
  ASSERT_EQ(ki_->heartbeat(hb(1, 50), 50, now_), Status::kOk);
  ASSERT_EQ(ki_->heartbeat(hb(2, 48), 50, now_), Status::kOk);  // within slack, but back
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
}

TEST_F(IntegrityTest, RegisterDeadline) {
  ASSERT_EQ(load(), Status::kOk);
  const uint64_t loaded = now_;
  ki_->tick(loaded + cfg_.register_deadline_ms * kMs);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_UNKNOWN);
  ki_->tick(loaded + cfg_.register_deadline_ms * kMs + 1);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
  EXPECT_EQ(ki_->flags() & TZU_IS_DEADLINE_MISSED, TZU_IS_DEADLINE_MISSED);
  ASSERT_EQ(sink_.changes.size(), 1u);
  EXPECT_EQ(sink_.changes[0].why, TZU_IS_DEADLINE_MISSED);
  // Registering late: measured, but the state stays DEGRADED.
  ASSERT_EQ(ki_->register_kernel(now_ = loaded + cfg_.register_deadline_ms * kMs + 2),
            Status::kOk);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
  EXPECT_EQ(status(nullptr).bytes_total, 84000u);
}

// A clock read earlier than the registration (host bug) is no timeout.
TEST_F(IntegrityTest, ClockBeforeRegistrationIsNoTimeout) {
  load_and_register();
  ki_->tick(now_ - 500 * kMs);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
}

// load_manifest never called (a host that measures nothing): no deadline.
TEST_F(IntegrityTest, NoRegisterDeadlineWithoutBoot) {
  ki_->tick(now_ + 2 * cfg_.register_deadline_ms * kMs);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_UNKNOWN);
  EXPECT_EQ(ki_->flags(), 0u);
}

// Regression: a manifest deleted from the boot media left the state UNKNOWN
// for good. Now the deadline degrades it.
TEST_F(IntegrityTest, NoManifestDeadlineDegrades) {
  const uint8_t none[4] = {};
  ASSERT_EQ(ki_->load_manifest(none, sizeof(none), pub_, now_), Status::kNotFound);
  ki_->tick(now_ + cfg_.register_deadline_ms * kMs);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_UNKNOWN);
  ki_->tick(now_ + cfg_.register_deadline_ms * kMs + 1);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
  EXPECT_EQ(ki_->flags() & TZU_IS_NO_MANIFEST, TZU_IS_NO_MANIFEST);
}

TEST_F(IntegrityTest, SealDeadline) {
  cfg_.heartbeat_timeout_ms = 1000000;  // keep the heartbeat check out of it
  ASSERT_EQ(ki_->init(cfg_, &sink_), Status::kOk);
  load_and_register();
  const uint64_t reg = now_;
  ASSERT_EQ(ki_->heartbeat(hb(1, 0), 0, reg + kMs), Status::kOk);  // alive, not RUNNING
  ki_->tick(reg + cfg_.seal_deadline_ms * kMs);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
  ki_->tick(reg + cfg_.seal_deadline_ms * kMs + 1);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
  EXPECT_EQ(ki_->flags() & TZU_IS_DEADLINE_MISSED, TZU_IS_DEADLINE_MISSED);
}

TEST_F(IntegrityTest, SealedInTimeNoDeadline) {
  cfg_.heartbeat_timeout_ms = 1000000;
  ASSERT_EQ(ki_->init(cfg_, &sink_), Status::kOk);
  load_and_register();
  seal();
  ki_->tick(now_ + 2 * cfg_.seal_deadline_ms * kMs);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
}

TEST_F(IntegrityTest, ViolatedStaysViolatedWhenDegraded) {
  load_and_register();
  seal();
  ki_->set_violated(0);
  ki_->tick(now_ + (cfg_.heartbeat_timeout_ms + 1) * kMs);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
  EXPECT_NE(ki_->flags() & TZU_IS_HEARTBEAT_LOST, 0u);  // the cause is kept
  // Regression (e2e run3): the cause also reaches the sink, with from ==
  // to, so the audit chain records a heartbeat lost after a violation.
  ASSERT_EQ(sink_.changes.size(), 3u);
  EXPECT_EQ(sink_.changes[2].from, TZU_INTEGRITY_VIOLATED);
  EXPECT_EQ(sink_.changes[2].to, TZU_INTEGRITY_VIOLATED);
  EXPECT_EQ(sink_.changes[2].why, TZU_IS_HEARTBEAT_LOST);
  // Once only.
  ki_->tick(now_ + (cfg_.heartbeat_timeout_ms + 2) * kMs);
  EXPECT_EQ(sink_.changes.size(), 3u);
}

TEST_F(IntegrityTest, DegradedCanBecomeViolated) {
  load_and_register();
  seal();
  ki_->tick(now_ += (cfg_.heartbeat_timeout_ms + 1) * kMs);
  ASSERT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
  put32(pa_of(0xC0100000u), 0);
  ki_->full_pass(now_);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
  ASSERT_EQ(sink_.changes.size(), 3u);
  EXPECT_EQ(sink_.changes[2].from, TZU_INTEGRITY_DEGRADED);
  // A later, new degradation cause changes no state; it is only reported.
  ki_->heartbeat(hb(0, 0), 0, now_);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
  ASSERT_EQ(sink_.changes.size(), 4u);
  EXPECT_EQ(sink_.changes[3].from, sink_.changes[3].to);
  EXPECT_EQ(sink_.changes[3].why, TZU_IS_COUNTERS_DISAGREE);
}

// ---- modules ----

TEST_F(IntegrityTest, ModuleAddMeasuredAndDetected) {
  load_and_register();
  ASSERT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa, 0x4000, "tzmod"), now_),
            Status::kOk);
  ASSERT_EQ(sink_.regs.size(), size_t{kNumKernelRegions} + 1);
  const FakeSink::Reg& r = sink_.regs.back();
  EXPECT_EQ(r.kind, TZU_IREG_MODULE);
  EXPECT_EQ(r.op, TZU_KMOD_ADD);
  EXPECT_EQ(r.s, Status::kOk);
  // Baseline digest over the module's pages in VA order (shuffled PAs).
  std::vector<uint8_t> bytes;
  for (uint32_t p = 0; p < 4; ++p)
    bytes.insert(bytes.end(), ram() + module_page_pa(p), ram() + module_page_pa(p) + 0x1000);
  uint8_t want[32];
  ucon::sha256(bytes.data(), bytes.size(), want);
  EXPECT_EQ(std::memcmp(r.digest, want, 32), 0);
  std::vector<tzu_integrity_region> regs;
  const tzu_integrity_status st = status(&regs);
  ASSERT_EQ(regs.size(), size_t{kNumKernelRegions} + 1);
  EXPECT_STREQ(regs.back().name, "tzmod");
  EXPECT_EQ(regs.back().flags, TZU_IRF_BASELINED);
  EXPECT_EQ(st.bytes_total, 84000u + 0x4000);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
  // Page 2 of the module lives at module_page_pa(2).
  put32(module_page_pa(2) + 0x10, ~get32(module_page_pa(2) + 0x10));
  EXPECT_LE(tick_until_mismatch(ticks_per_pass()), ticks_per_pass());
  ASSERT_EQ(sink_.mismatches.size(), 1u);
  EXPECT_EQ(sink_.mismatches[0].kind, TZU_IREG_MODULE);
  EXPECT_EQ(sink_.mismatches[0].offset, 0x2010u);
  EXPECT_EQ(sink_.mismatches[0].region, uint32_t{kNumKernelRegions});
}

TEST_F(IntegrityTest, LargePageModule) {
  load_and_register();
  ASSERT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kLargeModuleVa, 0x10000), now_), Status::kOk);
  put32(kLargeModulePa + 0xFFFC, ~get32(kLargeModulePa + 0xFFFC));
  ki_->full_pass(now_);
  ASSERT_EQ(sink_.mismatches.size(), 1u);
  EXPECT_EQ(sink_.mismatches[0].offset, 0xFFFCu);
}

TEST_F(IntegrityTest, ModuleTwiceOrOverlappingRefused) {
  load_and_register();
  ASSERT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa, 0x2000), now_), Status::kOk);
  EXPECT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa, 0x2000), now_), Status::kBusy);
  EXPECT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa + 0x1000, 0x2000), now_),
            Status::kBusy);
  EXPECT_EQ(ki_->module(module_req(TZU_KMOD_ADD, 0xC0100000u, 0x1000), now_),
            Status::kBadField);  // kernel text is not in the module area
  EXPECT_EQ(sink_.regs.back().s, Status::kBadField);
  EXPECT_FALSE(sink_.regs.back().has_digest);
  EXPECT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa + 0x2000, 0x2000), now_),
            Status::kOk);  // adjacent is fine
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
}

TEST_F(IntegrityTest, ModuleDelDropsAndUnknownDelNotFound) {
  load_and_register();
  ASSERT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa, 0x4000), now_), Status::kOk);
  EXPECT_EQ(ki_->module(module_req(TZU_KMOD_DEL, kModuleVa, 0x2000), now_), Status::kNotFound);
  EXPECT_EQ(ki_->module(module_req(TZU_KMOD_DEL, 0xC0100000u, 0x8000), now_),
            Status::kNotFound);  // kernel regions cannot be dropped
  ASSERT_EQ(ki_->module(module_req(TZU_KMOD_DEL, kModuleVa, 0x4000), now_), Status::kOk);
  EXPECT_EQ(sink_.regs.back().op, TZU_KMOD_DEL);
  EXPECT_TRUE(sink_.regs.back().has_digest);
  std::vector<tzu_integrity_region> regs;
  const tzu_integrity_status st = status(&regs);
  EXPECT_EQ(regs.size(), size_t{kNumKernelRegions});
  EXPECT_EQ(st.bytes_total, 84000u);
  EXPECT_EQ(ki_->module(module_req(TZU_KMOD_DEL, kModuleVa, 0x4000), now_), Status::kNotFound);
  // Unloaded memory may change freely.
  put32(module_page_pa(0), 0);
  ki_->full_pass(now_);
  EXPECT_TRUE(sink_.mismatches.empty());
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
}

TEST_F(IntegrityTest, ModuleTamperedBeforeDelIsDetected) {
  load_and_register();
  ASSERT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa, 0x4000), now_), Status::kOk);
  put32(module_page_pa(3) + 0x800, ~get32(module_page_pa(3) + 0x800));
  ASSERT_EQ(ki_->module(module_req(TZU_KMOD_DEL, kModuleVa, 0x4000), now_), Status::kOk);
  ASSERT_EQ(sink_.mismatches.size(), 1u);
  EXPECT_EQ(sink_.mismatches[0].offset, 0x3800u);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
}

// Deleting the region the pass is in the middle of: the pass goes on.
TEST_F(IntegrityTest, ModuleDelMidPass) {
  cfg_.chunk_bytes = 84000 + 0x1000;  // the pass stops inside the module
  ASSERT_EQ(ki_->init(cfg_, &sink_), Status::kOk);
  load_and_register();
  ASSERT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa, 0x4000), now_), Status::kOk);
  ki_->tick(now_ += cfg_.period_us);
  EXPECT_EQ(status(nullptr).passes, 0u);
  ASSERT_EQ(ki_->module(module_req(TZU_KMOD_DEL, kModuleVa, 0x4000), now_), Status::kOk);
  ASSERT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa, 0x1000), now_), Status::kOk);
  ki_->tick(now_ += cfg_.period_us);
  EXPECT_EQ(status(nullptr).passes, 1u);
  ki_->tick(now_ += cfg_.period_us);
  EXPECT_EQ(status(nullptr).passes, 2u);
  EXPECT_TRUE(sink_.mismatches.empty());
}

TEST_F(IntegrityTest, ModuleLoadUnloadDoesNotLeak) {
  // Kernel (ro_after_init's room included) + room for both modules.
  cfg_.copy_cap = 84000 + 0x1000 + 0x4000 + 0x10000;
  cfg_.heartbeat_timeout_ms = 1000000;  // 300 ticks, no heartbeat
  ASSERT_EQ(ki_->init(cfg_, &sink_), Status::kOk);
  load_and_register();
  for (int i = 0; i < 300; ++i) {
    ASSERT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa, 0x4000), now_), Status::kOk) << i;
    ASSERT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kLargeModuleVa, 0x10000), now_),
              Status::kOk) << i;
    ASSERT_EQ(ki_->module(module_req(TZU_KMOD_DEL, kModuleVa, 0x4000), now_), Status::kOk);
    ki_->tick(now_ += cfg_.period_us);
    ASSERT_EQ(ki_->module(module_req(TZU_KMOD_DEL, kLargeModuleVa, 0x10000), now_), Status::kOk);
  }
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
  // Full: the copy store has no room for one more page.
  ASSERT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa, 0x4000), now_), Status::kOk);
  ASSERT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kLargeModuleVa, 0x10000), now_), Status::kOk);
  put32(kL2Modules + 0x10 * 4, 0x00300000u | 0x2u);  // one more mapped page
  EXPECT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa + 0x10000, 0x1000), now_),
            Status::kLimit);
}

// pages_ holds kMaxPages translations in all: the kernel's 24 pages plus a
// module of exactly the rest fit, one page more does not.
// Regression (red-team review): module ranges were accepted anywhere and
// without a total, so junk ADDs could stretch every pass. Now: only the
// module area, at most max_module_bytes; no room degrades.
TEST_F(IntegrityTest, ModuleOutsideAreaRefusedAndBytesCapped) {
  cfg_.max_module_bytes = 0x2000;
  cfg_.heartbeat_timeout_ms = 1000000;
  ASSERT_EQ(ki_->init(cfg_, &sink_), Status::kOk);
  load_and_register();
  set_l1(0x80000000u, 0x00300000u | 0x2u);
  EXPECT_EQ(ki_->module(module_req(TZU_KMOD_ADD, 0x80000000u, 0x1000), now_),
            Status::kBadField);
  EXPECT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa - 0x1000000u - 0x1000, 0x1000), now_),
            Status::kBadField);  // just below the 16 MiB area
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
  ASSERT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa, 0x2000), now_), Status::kOk);
  EXPECT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa + 0x2000, 0x1000), now_),
            Status::kLimit);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
  EXPECT_NE(ki_->flags() & TZU_IS_UNMEASURED, 0u);
}

// More bytes registered: each tick compares more, a pass stays within
// max_pass_ticks.
TEST_F(IntegrityTest, PassStaysWithinMaxTicks) {
  cfg_.chunk_bytes = 4096;
  cfg_.max_pass_ticks = 3;
  cfg_.heartbeat_timeout_ms = 1000000;
  ASSERT_EQ(ki_->init(cfg_, &sink_), Status::kOk);
  load_and_register();
  seal();
  const uint64_t passes = status(nullptr).passes;
  for (int i = 0; i < 3; ++i) ki_->tick(now_ += 1000);
  EXPECT_EQ(status(nullptr).passes, passes + 1);
  EXPECT_GT(status(nullptr).chunk_bytes, 4096u);
}

TEST_F(IntegrityTest, ModuleSlotsRunOut) {
  load_and_register();
  uint32_t added = 0;
  Status s = Status::kOk;
  for (uint32_t i = 0; i < 256 && s == Status::kOk; ++i) {
    put32(kL2Modules + (0x20 + i) * 4, (0x00300000u + i * 0x1000) | 0x2u);
    s = ki_->module(module_req(TZU_KMOD_ADD, kModuleVa + (0x20 + i) * 0x1000, 0x1000), now_);
    if (s == Status::kOk) ++added;
  }
  EXPECT_EQ(s, Status::kLimit);
  EXPECT_EQ(added, integrity::KernelIntegrity::kMaxRegions - kNumKernelRegions);
}

TEST_F(IntegrityTest, ModuleRefusals) {
  EXPECT_EQ(ki_->module(module_req(TZU_KMOD_ADD, kModuleVa, 0x1000), now_), Status::kNotFound);
  load_and_register();
  const auto add = [&](uint32_t va, uint32_t len) {
    return ki_->module(module_req(TZU_KMOD_ADD, va, len), now_);
  };
  EXPECT_EQ(add(kModuleVa + 4, 0x1000), Status::kBadField);
  EXPECT_EQ(add(kModuleVa, 0), Status::kBadField);
  EXPECT_EQ(add(kModuleVa, 0x1004), Status::kBadField);
  EXPECT_EQ(add(0xFFFFF000u, 0x2000), Status::kBadField);  // wraps
  EXPECT_EQ(add(kModuleVa, (integrity::KernelIntegrity::kMaxPages + 1) * 0x1000),
            Status::kBadField);
  EXPECT_EQ(add(kModuleVa + 0x4000, 0x1000), Status::kBadOffset);  // L2 fault
  EXPECT_EQ(add(kModuleVa + 0x200000, 0x1000), Status::kBadOffset);  // L1 fault
  EXPECT_EQ(add(kPageOffset + kHoleBase, 0x1000), Status::kBadField);  // not the module area
  EXPECT_EQ(ki_->module(module_req(7, kModuleVa, 0x1000), now_), Status::kBadField);
  EXPECT_EQ(sink_.regs.back().op, 7u);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);  // refusals change nothing
  std::vector<tzu_integrity_region> regs;
  status(&regs);
  EXPECT_EQ(regs.size(), size_t{kNumKernelRegions});
  // A refused ADD left no trace: the range can still be added.
  EXPECT_EQ(add(kModuleVa, 0x4000), Status::kOk);
}

TEST_F(IntegrityTest, ModuleNameIsSanitised) {
  load_and_register();
  tzu_integrity_module_req q = module_req(TZU_KMOD_ADD, kModuleVa, 0x1000);
  std::memset(q.name, 'A', sizeof(q.name));  // no NUL at all
  q.name[1] = '\n';
  ASSERT_EQ(ki_->module(q, now_), Status::kOk);
  std::vector<tzu_integrity_region> regs;
  status(&regs);
  EXPECT_EQ(std::strlen(regs.back().name), sizeof(q.name) - 1);
  EXPECT_EQ(regs.back().name[1], '?');
}

}  // namespace
}  // namespace integrity_test
