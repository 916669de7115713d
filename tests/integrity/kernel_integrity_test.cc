// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// kernel_integrity_test.cc - registration against the signed manifest, the
// incremental re-measurement, detection and its sticky state.
#include <cstring>

#include "crypto.h"
#include "integrity_fixture.h"

namespace integrity_test {
namespace {

using integrity::KernelIntegrity;
using ucon::Status;

TEST_F(IntegrityTest, CleanRegistrationIsOk) {
  load_and_register();
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
  EXPECT_EQ(ki_->flags(), TZU_IS_MANIFEST | TZU_IS_REGISTERED);
  ASSERT_EQ(sink_.changes.size(), 1u);
  EXPECT_EQ(sink_.changes[0].from, TZU_INTEGRITY_UNKNOWN);
  EXPECT_EQ(sink_.changes[0].to, TZU_INTEGRITY_OK);
  EXPECT_TRUE(sink_.mismatches.empty());
  std::vector<tzu_integrity_region> regs;
  const tzu_integrity_status st = status(&regs);
  ASSERT_EQ(regs.size(), size_t{kNumKernelRegions});
  const char* names[] = {"text", "syscall_table", "text", "rodata", "ro_after_init",
                         "ex_table", "vectors", "stubs"};
  for (uint32_t i = 0; i < kNumKernelRegions; ++i) {
    EXPECT_STREQ(regs[i].name, names[i]);
    EXPECT_EQ(regs[i].va, mb_.regions[i].va);
    EXPECT_EQ(regs[i].len, mb_.regions[i].len);
    EXPECT_EQ(regs[i].first_offset, ~0u);
    const uint32_t want = i == kRoAfter ? 0u : TZU_IRF_BASELINED | TZU_IRF_EXPECTED;
    EXPECT_EQ(regs[i].flags, want) << names[i];
  }
  // Every region reported once; baselined ones with the plain SHA-256 of
  // what was copied (the stubs hold a fixup: plain != masked digest).
  ASSERT_EQ(sink_.regs.size(), size_t{kNumKernelRegions});
  for (uint32_t i = 0; i < kNumKernelRegions; ++i) {
    EXPECT_EQ(sink_.regs[i].s, Status::kOk);
    EXPECT_EQ(sink_.regs[i].has_digest, i != kRoAfter);
  }
  uint8_t plain[32];
  std::vector<uint8_t> stubs(ram() + kStubsPa, ram() + kStubsPa + 0x1000);
  ucon::sha256(stubs.data(), stubs.size(), plain);
  EXPECT_EQ(std::memcmp(sink_.regs[kStubs].digest, plain, 32), 0);
  EXPECT_NE(std::memcmp(mb_.regions[kStubs].sha256, plain, 32), 0);
  EXPECT_EQ(st.bytes_total, 0x8000u + 0x400 + 0x7C00 + 0x3000 + 0x800 + 0x20 + 0x1000);
  // The manifest digest is of the signed bytes.
  const std::vector<uint8_t> m = signed_manifest();
  uint8_t md[32];
  ucon::sha256(m.data(), m.size(), md);
  EXPECT_EQ(std::memcmp(st.manifest_sha256, md, 32), 0);
}

TEST_F(IntegrityTest, TextTamperedBeforeRegistrationIsViolated) {
  poke8(pa_of(0xC0108400u + 0x777), static_cast<uint8_t>(ram()[pa_of(0xC0108777u)] ^ 0x40));
  load_and_register();
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
  ASSERT_EQ(sink_.mismatches.size(), 1u);
  const integrity::Mismatch& m = sink_.mismatches[0];
  EXPECT_EQ(m.kind, TZU_IREG_TEXT);
  EXPECT_EQ(m.region, uint32_t{kText2});
  EXPECT_EQ(m.va, 0xC0108400u);
  EXPECT_EQ(m.offset, ~0u);  // a digest does not say where
  EXPECT_EQ(std::memcmp(m.expected, mb_.regions[kText2].sha256, 32), 0);
  uint8_t now_digest[32];
  digest_of(0xC0108400u, 0x7C00u, now_digest);
  EXPECT_EQ(std::memcmp(m.observed, now_digest, 32), 0);
  EXPECT_EQ(sink_.regs[kText2].s, Status::kAuth);
  std::vector<tzu_integrity_region> regs;
  const tzu_integrity_status st = status(&regs);
  EXPECT_EQ(regs[kText2].flags, TZU_IRF_BASELINED);  // not EXPECTED
  EXPECT_EQ(regs[kText2].mismatches, 1u);
  EXPECT_EQ(regs[kText1].flags, TZU_IRF_BASELINED | TZU_IRF_EXPECTED);
  EXPECT_EQ(st.mismatches, 1u);
  EXPECT_EQ(st.first_violation_us, now_);
  ASSERT_EQ(sink_.changes.size(), 1u);
  EXPECT_EQ(sink_.changes[0].to, TZU_INTEGRITY_VIOLATED);
}

TEST_F(IntegrityTest, FixupImmediateMayDiffer) {
  put32(pa_of(0xC0100100u), (get32(pa_of(0xC0100100u)) & ~0xFFFu) | 0x5A5u);
  put32(pa_of(0xFFFF1010u), (get32(pa_of(0xFFFF1010u)) & ~0xFFFu) | 0x001u);
  load_and_register();
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
}

TEST_F(IntegrityTest, FixupOpcodeBitsMayNot) {
  put32(pa_of(0xC0100204u), get32(pa_of(0xC0100204u)) ^ 0x1000u);  // bit 12
  load_and_register();
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
  ASSERT_EQ(sink_.mismatches.size(), 1u);
  EXPECT_EQ(sink_.mismatches[0].region, uint32_t{kText1});
}

// A word next to a fixup is not masked.
TEST_F(IntegrityTest, WordNextToFixupIsNotMasked) {
  put32(pa_of(0xC0100104u), get32(pa_of(0xC0100104u)) ^ 0x1u);
  load_and_register();
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
}

// After the baseline, fixup words are compared whole: the kernel has
// patched them already, a later change is tampering.
TEST_F(IntegrityTest, FixupWordComparedWholeAfterBaseline) {
  load_and_register();
  put32(pa_of(0xC0100100u), get32(pa_of(0xC0100100u)) ^ 0x1u);
  EXPECT_LE(tick_until_mismatch(ticks_per_pass()), ticks_per_pass());
  ASSERT_EQ(sink_.mismatches.size(), 1u);
  EXPECT_EQ(sink_.mismatches[0].offset, 0x100u);
}

TEST_F(IntegrityTest, TamperDetectedWithinOnePass) {
  load_and_register();
  const uint32_t va = 0xC0108400u + 0x1235;  // text2, page 1 of the region
  const std::vector<uint8_t> page_before(ram() + pa_of(0xC0109000u),
                                         ram() + pa_of(0xC0109000u) + 0x1000);
  poke8(pa_of(va), static_cast<uint8_t>(ram()[pa_of(va)] + 1));
  const uint32_t limit = ticks_per_pass();
  EXPECT_EQ(limit, 6u);  // 84000 bytes / 16 KiB
  const uint32_t n = tick_until_mismatch(limit + 2);
  EXPECT_LE(n, limit);
  ASSERT_EQ(sink_.mismatches.size(), 1u);
  const integrity::Mismatch& m = sink_.mismatches[0];
  EXPECT_EQ(m.kind, TZU_IREG_TEXT);
  EXPECT_EQ(m.region, uint32_t{kText2});
  EXPECT_EQ(m.va, 0xC0108400u);
  EXPECT_EQ(m.offset, 0x1234u);  // the differing word
  // The region's part of the 4 KiB page 0xC0109000 (whole page here).
  uint8_t want_exp[32], want_obs[32];
  ucon::sha256(page_before.data(), page_before.size(), want_exp);
  ucon::sha256(ram() + pa_of(0xC0109000u), 0x1000, want_obs);
  EXPECT_EQ(std::memcmp(m.expected, want_exp, 32), 0);
  EXPECT_EQ(std::memcmp(m.observed, want_obs, 32), 0);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
  ASSERT_EQ(sink_.changes.size(), 2u);
  EXPECT_EQ(sink_.changes[1].from, TZU_INTEGRITY_OK);
  EXPECT_EQ(sink_.changes[1].to, TZU_INTEGRITY_VIOLATED);
  EXPECT_EQ(sink_.changes[1].why, 0u);
  std::vector<tzu_integrity_region> regs;
  const tzu_integrity_status st = status(&regs);
  EXPECT_EQ(regs[kText2].flags & TZU_IRF_DIRTY, TZU_IRF_DIRTY);
  EXPECT_EQ(regs[kText2].first_offset, 0x1234u);
  EXPECT_EQ(st.first_violation_us, now_);
  EXPECT_EQ(std::memcmp(&ki_->last_mismatch(), &m, sizeof(m)), 0);
  // Further passes over the same dirt are not new detections.
  for (uint32_t i = 0; i < 3 * limit; ++i) ki_->tick(now_ += cfg_.period_us);
  EXPECT_EQ(sink_.mismatches.size(), 1u);
  EXPECT_EQ(status(nullptr).mismatches, 1u);
}

TEST_F(IntegrityTest, RestoredRegionCleanButStateSticky) {
  load_and_register();
  const uint32_t pa = pa_of(0xC0200010u);
  const uint32_t orig = get32(pa);
  put32(pa, orig ^ 0x80000000u);
  ki_->full_pass(now_);
  ASSERT_EQ(sink_.mismatches.size(), 1u);
  EXPECT_EQ(sink_.mismatches[0].kind, TZU_IREG_RODATA);
  EXPECT_EQ(sink_.mismatches[0].offset, 0x10u);
  put32(pa, orig);
  ki_->full_pass(now_ += 1000);
  std::vector<tzu_integrity_region> regs;
  status(&regs);
  EXPECT_EQ(regs[kRodata].flags & TZU_IRF_DIRTY, 0u);
  EXPECT_EQ(regs[kRodata].first_offset, ~0u);
  EXPECT_EQ(regs[kRodata].mismatches, 1u);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
  // Dirt again after a clean pass: a new detection.
  put32(pa + 8, get32(pa + 8) ^ 1u);
  ki_->full_pass(now_ += 1000);
  ASSERT_EQ(sink_.mismatches.size(), 2u);
  EXPECT_EQ(sink_.mismatches[1].offset, 0x18u);
  status(&regs);
  EXPECT_EQ(regs[kRodata].mismatches, 2u);
  EXPECT_EQ(status(nullptr).mismatches, 2u);
  EXPECT_EQ(sink_.changes.size(), 2u);  // OK, then VIOLATED once
}

// A region still dirty but at a later offset only stays DIRTY (no clean
// pass between): one detection.
TEST_F(IntegrityTest, StillDirtyIsNotNewDirt) {
  load_and_register();
  put32(pa_of(0xC0100800u), get32(pa_of(0xC0100800u)) ^ 1u);
  ki_->full_pass(now_);
  put32(pa_of(0xC0100800u), get32(pa_of(0xC0100800u)) ^ 1u);
  put32(pa_of(0xC0100900u), get32(pa_of(0xC0100900u)) ^ 1u);
  ki_->full_pass(now_);
  EXPECT_EQ(sink_.mismatches.size(), 1u);
  std::vector<tzu_integrity_region> regs;
  status(&regs);
  EXPECT_NE(regs[kText1].flags & TZU_IRF_DIRTY, 0u);
}

TEST_F(IntegrityTest, SyscallTableReportsItsKind) {
  load_and_register();
  put32(pa_of(0xC0108000u + 4 * 11), 0xC0DEC0DEu);  // entry 11 redirected
  tick_until_mismatch(ticks_per_pass());
  ASSERT_EQ(sink_.mismatches.size(), 1u);
  EXPECT_EQ(sink_.mismatches[0].kind, TZU_IREG_SYSCALL_TABLE);
  EXPECT_EQ(sink_.mismatches[0].region, uint32_t{kSyscall});
  EXPECT_EQ(sink_.mismatches[0].offset, 44u);
  // The page digests cover only the region's bytes (0x400), not the text
  // around it in the same page.
  std::vector<uint8_t> now_bytes(ram() + pa_of(0xC0108000u), ram() + pa_of(0xC0108000u) + 0x400);
  uint8_t want[32];
  ucon::sha256(now_bytes.data(), now_bytes.size(), want);
  EXPECT_EQ(std::memcmp(sink_.mismatches[0].observed, want, 32), 0);
  std::vector<tzu_integrity_region> regs;
  status(&regs);
  EXPECT_STREQ(regs[kSyscall].name, "syscall_table");
  EXPECT_EQ(regs[kSyscall].kind, TZU_IREG_SYSCALL_TABLE);
}

TEST_F(IntegrityTest, VectorsThroughL2Table) {
  load_and_register();
  poke8(kVectorsPa + 0x1C, static_cast<uint8_t>(ram()[kVectorsPa + 0x1C] ^ 0xFF));
  ki_->full_pass(now_);
  ASSERT_EQ(sink_.mismatches.size(), 1u);
  EXPECT_EQ(sink_.mismatches[0].kind, TZU_IREG_VECTORS);
  EXPECT_EQ(sink_.mismatches[0].offset, 0x1Cu);
  poke8(kStubsPa + 0xFFC, static_cast<uint8_t>(ram()[kStubsPa + 0xFFC] ^ 1));
  ki_->full_pass(now_);
  ASSERT_EQ(sink_.mismatches.size(), 2u);
  EXPECT_EQ(sink_.mismatches[1].kind, TZU_IREG_STUBS);
  EXPECT_EQ(sink_.mismatches[1].offset, 0xFFCu);
}

TEST_F(IntegrityTest, RoAfterInitBaselinedAtSealOnly) {
  load_and_register();
  const uint32_t pa = pa_of(0xC0203040u);
  put32(pa, 0x11111111u);  // init still writing: not a detection
  ki_->full_pass(now_);
  EXPECT_TRUE(sink_.mismatches.empty());
  const uint64_t before = status(nullptr).bytes_total;
  seal();
  EXPECT_EQ(ki_->flags() & TZU_IS_SEALED, TZU_IS_SEALED);
  EXPECT_EQ(status(nullptr).bytes_total, before + 0x1000);
  ASSERT_EQ(sink_.regs.size(), size_t{kNumKernelRegions} + 1);
  EXPECT_EQ(sink_.regs.back().kind, TZU_IREG_RO_AFTER_INIT);
  EXPECT_TRUE(sink_.regs.back().has_digest);
  ki_->full_pass(now_);
  EXPECT_TRUE(sink_.mismatches.empty());  // baseline holds the init value
  put32(pa + 4, 0x22222222u);  // a hook list entry rewritten after init
  ki_->full_pass(now_);
  ASSERT_EQ(sink_.mismatches.size(), 1u);
  EXPECT_EQ(sink_.mismatches[0].kind, TZU_IREG_RO_AFTER_INIT);
  EXPECT_EQ(sink_.mismatches[0].offset, 0x44u);
  // A second RUNNING heartbeat does not re-baseline.
  ASSERT_EQ(ki_->heartbeat(hb(2, 0, TZU_HB_RUNNING), 0, now_), Status::kOk);
  EXPECT_EQ(sink_.regs.size(), size_t{kNumKernelRegions} + 1);
}

// A RUNNING heartbeat before registration seals nothing; the next one
// after registration does.
TEST_F(IntegrityTest, SealNeedsRegistration) {
  ASSERT_EQ(load(), Status::kOk);
  ASSERT_EQ(ki_->heartbeat(hb(1, 0, TZU_HB_RUNNING), 0, now_), Status::kOk);
  EXPECT_EQ(ki_->flags() & TZU_IS_SEALED, 0u);
  ASSERT_EQ(ki_->register_kernel(now_), Status::kOk);
  ASSERT_EQ(ki_->heartbeat(hb(2, 0, 0), 0, now_), Status::kOk);
  EXPECT_EQ(ki_->flags() & TZU_IS_SEALED, 0u);
  ASSERT_EQ(ki_->heartbeat(hb(3, 0, TZU_HB_RUNNING), 0, now_), Status::kOk);
  EXPECT_EQ(ki_->flags() & TZU_IS_SEALED, TZU_IS_SEALED);
}

// An AT_SEAL region that also carries a digest is checked at seal.
TEST_F(IntegrityTest, SealDigestChecked) {
  mb_.regions[kRoAfter].flags |= TZU_KMR_DIGEST;
  refresh_digests();
  load_and_register();
  put32(pa_of(0xC0203000u), 0);
  seal();
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
  ASSERT_EQ(sink_.mismatches.size(), 1u);
  EXPECT_EQ(sink_.mismatches[0].kind, TZU_IREG_RO_AFTER_INIT);
  EXPECT_EQ(sink_.mismatches[0].offset, ~0u);
}

TEST_F(IntegrityTest, PassBookkeeping) {
  load_and_register();
  const uint32_t per = ticks_per_pass();
  const uint64_t start = now_ + cfg_.period_us;
  for (uint32_t i = 0; i < per - 1; ++i) ki_->tick(now_ += cfg_.period_us);
  tzu_integrity_status st = status(nullptr);
  EXPECT_EQ(st.passes, 0u);
  EXPECT_EQ(st.ticks, per - 1);
  EXPECT_EQ(st.bytes_compared, uint64_t{cfg_.chunk_bytes} * (per - 1));
  ki_->tick(now_ += cfg_.period_us);
  st = status(nullptr);
  EXPECT_EQ(st.passes, 1u);
  EXPECT_EQ(st.bytes_compared, st.bytes_total);
  EXPECT_EQ(st.last_pass_us, now_);
  EXPECT_EQ(st.pass_us, now_ - start);
  EXPECT_EQ(st.period_us, cfg_.period_us);
  EXPECT_EQ(st.chunk_bytes, cfg_.chunk_bytes);
  EXPECT_EQ(st.now_us, now_);
  ki_->full_pass(now_ += 5);
  st = status(nullptr);
  EXPECT_EQ(st.passes, 2u);
  EXPECT_EQ(st.ticks, per);  // a full pass is not a tick
  EXPECT_EQ(st.bytes_compared, 2 * st.bytes_total);
  EXPECT_EQ(st.pass_us, 0u);
}

// A full pass in the middle of an incremental one restarts it.
TEST_F(IntegrityTest, FullPassRestartsPass) {
  load_and_register();
  ki_->tick(now_ += cfg_.period_us);
  ki_->tick(now_ += cfg_.period_us);
  ki_->full_pass(now_);
  const tzu_integrity_status st = status(nullptr);
  EXPECT_EQ(st.passes, 1u);
  const uint32_t per = ticks_per_pass();
  for (uint32_t i = 0; i < per; ++i) ki_->tick(now_ += cfg_.period_us);
  EXPECT_EQ(status(nullptr).passes, 2u);
}

TEST_F(IntegrityTest, NothingMeasuredWithoutRegistration) {
  ASSERT_EQ(load(), Status::kOk);
  ki_->tick(now_ += cfg_.period_us);
  ki_->full_pass(now_);
  const tzu_integrity_status st = status(nullptr);
  EXPECT_EQ(st.ticks, 1u);
  EXPECT_EQ(st.passes, 0u);
  EXPECT_EQ(st.bytes_compared, 0u);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_UNKNOWN);
}

TEST_F(IntegrityTest, RegisterTwiceIsBusy) {
  load_and_register();
  const size_t regs = sink_.regs.size();
  EXPECT_EQ(ki_->register_kernel(now_), Status::kBusy);
  ASSERT_EQ(sink_.regs.size(), regs + 1);
  EXPECT_EQ(sink_.regs.back().s, Status::kBusy);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
  EXPECT_EQ(status(nullptr).bytes_total, 84000u);
}

TEST_F(IntegrityTest, RegisterWithoutManifestIsNotFound) {
  EXPECT_EQ(ki_->register_kernel(now_), Status::kNotFound);
  ASSERT_EQ(sink_.regs.size(), 1u);
  EXPECT_EQ(sink_.regs[0].s, Status::kNotFound);
  // A kernel runs that nothing vouches for.
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_DEGRADED);
  EXPECT_EQ(ki_->flags() & TZU_IS_NO_MANIFEST, TZU_IS_NO_MANIFEST);
}

TEST_F(IntegrityTest, UnmappedRegionViolates) {
  mb_.regions[kExTable].va = 0xD0000000u;  // L1 fault
  load_and_register();
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
  EXPECT_EQ(sink_.regs[kExTable].s, Status::kBadOffset);
  EXPECT_FALSE(sink_.regs[kExTable].has_digest);
  std::vector<tzu_integrity_region> regs;
  const tzu_integrity_status st = status(&regs);
  EXPECT_EQ(regs[kExTable].flags, 0u);  // listed, never compared
  EXPECT_EQ(st.bytes_total, 84000u - 0x800);
}

TEST_F(IntegrityTest, RegionInTheHoleViolates) {
  mb_.regions[kExTable].va = kPageOffset + kHoleBase + 0x100;  // linear, PA in hole
  load_and_register();
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
  EXPECT_EQ(sink_.regs[kExTable].s, Status::kBadOffset);
}

// One page of a region unmapped in its middle (L2 fault) fails it all.
TEST_F(IntegrityTest, RegionWithUnmappedPageViolates) {
  put32(kL2Vectors + 0xF1 * 4, 0);  // stubs page fault
  load_and_register();
  EXPECT_EQ(sink_.regs[kStubs].s, Status::kBadOffset);
  EXPECT_EQ(sink_.regs[kVectors].s, Status::kOk);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
}

TEST_F(IntegrityTest, CopyStoreTooSmallViolates) {
  cfg_.copy_cap = 0x8000 + 0x400;  // text1 and the syscall table only
  ASSERT_EQ(ki_->init(cfg_, &sink_), Status::kOk);
  load_and_register();
  EXPECT_EQ(sink_.regs[kText1].s, Status::kOk);
  EXPECT_EQ(sink_.regs[kSyscall].s, Status::kOk);
  EXPECT_EQ(sink_.regs[kText2].s, Status::kLimit);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
}

// The walker's result is used, not the linear formula: remap text1's MiB
// to another PA holding the same bytes, then tamper the original.
// Regression (red-team review): a first-level table that points kernel
// text at a clean copy before registration made the secure world measure
// the copy. Linear-map regions must translate to va - page_offset +
// phys_base.
TEST_F(IntegrityTest, TextRemappedBeforeRegistrationViolates) {
  std::memcpy(ram() + 0x00500000, ram() + 0x00100000, 0x100000);
  set_l1(0xC0100000u, 0x00500000u | 0x2u);
  load_and_register();
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
  EXPECT_EQ(sink_.regs[kText1].s, Status::kBadOffset);
}

TEST_F(IntegrityTest, SetViolatedIsSticky) {
  load_and_register();
  ki_->set_violated(TZU_IS_TIMER_TAMPERED);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
  EXPECT_NE(ki_->flags() & TZU_IS_TIMER_TAMPERED, 0u);
  ASSERT_EQ(sink_.changes.size(), 2u);
  EXPECT_EQ(sink_.changes[1].why, TZU_IS_TIMER_TAMPERED);
  ki_->set_violated(0);
  EXPECT_EQ(sink_.changes.size(), 2u);
}

TEST_F(IntegrityTest, StatusRespectsMaxRegionsAndHeader) {
  load_and_register();
  tzu_integrity_status st{};
  st.hdr.magic = TZU_MAGIC;
  st.hdr.command = 77;
  tzu_integrity_region r[3];
  std::memset(r, 0xAA, sizeof(r));
  EXPECT_EQ(ki_->status(&st, r, 2, now_), 2u);
  EXPECT_EQ(st.n_regions, 2u);
  EXPECT_EQ(st.hdr.magic, TZU_MAGIC);
  EXPECT_EQ(st.hdr.command, 77u);
  EXPECT_STREQ(r[1].name, "syscall_table");
  EXPECT_EQ(r[2].kind, 0xAAAAAAAAu);  // untouched
  EXPECT_EQ(ki_->status(&st, nullptr, 5, now_), 0u);
}

TEST_F(IntegrityTest, InitRefusesBadConfig) {
  integrity::KernelIntegrity& k = *ki_;
  integrity::Config c = cfg_;
  EXPECT_EQ(k.init(c, nullptr), Status::kBadField);
  c.chunk_bytes = 6;
  EXPECT_EQ(k.init(c, &sink_), Status::kBadField);
  c = cfg_;
  c.chunk_bytes = 0;
  EXPECT_EQ(k.init(c, &sink_), Status::kBadField);
  c = cfg_;
  c.copy = cfg_.copy + 2;
  EXPECT_EQ(k.init(c, &sink_), Status::kBadField);
  c = cfg_;
  c.copy_cap = 10;
  EXPECT_EQ(k.init(c, &sink_), Status::kBadField);
  c = cfg_;
  c.ns.base = nullptr;
  EXPECT_EQ(k.init(c, &sink_), Status::kBadField);
  c = cfg_;
  c.period_us = 0;
  EXPECT_EQ(k.init(c, &sink_), Status::kBadField);
  EXPECT_EQ(k.init(cfg_, &sink_), Status::kOk);
}

// init() resets a used instance completely.
TEST_F(IntegrityTest, InitResets) {
  load_and_register();
  ki_->set_violated(0);
  ASSERT_EQ(ki_->init(cfg_, &sink_), Status::kOk);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_UNKNOWN);
  EXPECT_EQ(ki_->flags(), 0u);
  EXPECT_EQ(status(nullptr).bytes_total, 0u);
  load_and_register();
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
}

}  // namespace
}  // namespace integrity_test
