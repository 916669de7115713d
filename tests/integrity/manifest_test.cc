// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// manifest_test.cc - every rule of the kernel manifest, one refusal each
// (named, so a test cannot pass on another rule), through parse_manifest
// and through load_manifest's state.
#include <cstring>
#include <cstdio>
#include <functional>

#include "integrity_fixture.h"
#include "ed25519.h"
#include "manifest.h"

namespace integrity_test {
namespace {

using ucon::Status;

class ManifestTest : public IntegrityTest {
 protected:
  // Refused with `rule` by the parser, and as a boot manifest: VIOLATED.
  void expect_refused(std::vector<uint8_t> m, const char* rule,
                      Status want = Status::kMalformed) {
    integrity::ManifestView mv;
    const char* why = nullptr;
    EXPECT_EQ(integrity::parse_manifest(m.data(), static_cast<uint32_t>(m.size()), pub_,
                                        &mv, &why), want);
    ASSERT_NE(why, nullptr);
    EXPECT_STREQ(why, rule);
    EXPECT_EQ(mv.hdr, nullptr);
    EXPECT_EQ(ki_->load_manifest(m.data(), static_cast<uint32_t>(m.size()), pub_, now_), want);
    EXPECT_EQ(ki_->state(), TZU_INTEGRITY_VIOLATED);
    EXPECT_EQ(ki_->flags(), TZU_IS_MANIFEST_BAD);
    ASSERT_EQ(sink_.changes.size(), 1u);
    EXPECT_EQ(sink_.changes[0].why, TZU_IS_MANIFEST_BAD);
    EXPECT_EQ(ki_->register_kernel(now_), Status::kNotFound);
    const std::vector<uint8_t> good = signed_manifest();  // no second chance
    EXPECT_EQ(ki_->load_manifest(good.data(), static_cast<uint32_t>(good.size()), pub_, now_),
              Status::kBusy);
    EXPECT_EQ(ki_->flags(), TZU_IS_MANIFEST_BAD);
  }
  // The builder's manifest after `edit` on its serialized header, signed.
  std::vector<uint8_t> with_header(const std::function<void(tzu_kmanifest_hdr*)>& edit) {
    std::vector<uint8_t> m = mb_.serialize();
    edit(reinterpret_cast<tzu_kmanifest_hdr*>(m.data()));
    sign(&m, kPolicySeed);
    return m;
  }
};

TEST_F(ManifestTest, ValidParses) {
  const std::vector<uint8_t> m = signed_manifest();
  integrity::ManifestView mv;
  const char* why = "unset";
  ASSERT_EQ(integrity::parse_manifest(m.data(), static_cast<uint32_t>(m.size()), pub_, &mv,
                                      &why), Status::kOk);
  EXPECT_EQ(why, nullptr);
  EXPECT_EQ(mv.n_regions, uint32_t{kNumKernelRegions});
  EXPECT_EQ(mv.n_fixups, 3u);
  EXPECT_EQ(mv.size, m.size());
  EXPECT_EQ(mv.regions[kStubs].va, 0xFFFF1000u);
  EXPECT_EQ(mv.fixups[2].va, 0xFFFF1010u);
  EXPECT_EQ(integrity::first_fixup_at(mv, 0), 0u);
  EXPECT_EQ(integrity::first_fixup_at(mv, 0xC0100101u), 1u);
  EXPECT_EQ(integrity::first_fixup_at(mv, 0xC0100204u), 1u);
  EXPECT_EQ(integrity::first_fixup_at(mv, 0xFFFFFFFFu), 3u);
  // Trailing bytes beyond size (the rest of the 64 KiB window) are fine.
  std::vector<uint8_t> big = m;
  big.resize(TZU_KMANIFEST_MAX + 100, 0xEE);
  EXPECT_EQ(integrity::parse_manifest(big.data(), static_cast<uint32_t>(big.size()), pub_, &mv,
                                      nullptr), Status::kOk);
  EXPECT_EQ(ki_->load_manifest(big.data(), static_cast<uint32_t>(big.size()), pub_, now_),
            Status::kOk);
  EXPECT_EQ(ki_->flags(), TZU_IS_MANIFEST);
}

TEST_F(ManifestTest, NoManifest) {
  std::vector<uint8_t> zero(TZU_KMANIFEST_MAX, 0);
  EXPECT_EQ(ki_->load_manifest(zero.data(), static_cast<uint32_t>(zero.size()), pub_, now_),
            Status::kNotFound);
  EXPECT_EQ(ki_->load_manifest(nullptr, 100, pub_, now_), Status::kNotFound);
  EXPECT_EQ(ki_->load_manifest(zero.data(), 3, pub_, now_), Status::kNotFound);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_UNKNOWN);
  EXPECT_EQ(ki_->flags(), 0u);
  EXPECT_TRUE(sink_.changes.empty());
  EXPECT_EQ(load(), Status::kOk);  // still loadable
}

TEST_F(ManifestTest, SecondLoadBusy) {
  ASSERT_EQ(load(), Status::kOk);
  EXPECT_EQ(load(), Status::kBusy);
  EXPECT_EQ(ki_->flags(), TZU_IS_MANIFEST);
}

// The normal world rewrites its copy after load: the secure copy counts.
TEST_F(ManifestTest, CopiedBeforeUse) {
  std::vector<uint8_t> m = signed_manifest();
  ASSERT_EQ(ki_->load_manifest(m.data(), static_cast<uint32_t>(m.size()), pub_, now_),
            Status::kOk);
  auto* r = reinterpret_cast<tzu_kmanifest_region*>(m.data() + sizeof(tzu_kmanifest_hdr));
  r[kText1].va = 0xD0000000u;
  std::memset(m.data(), 0, m.size());
  ASSERT_EQ(ki_->register_kernel(now_), Status::kOk);
  EXPECT_EQ(ki_->state(), TZU_INTEGRITY_OK);
}

TEST_F(ManifestTest, Short) {
  std::vector<uint8_t> m = signed_manifest();
  m.resize(sizeof(tzu_kmanifest_hdr) + 63);
  expect_refused(m, "short");
}

TEST_F(ManifestTest, Magic) {
  expect_refused(with_header([](tzu_kmanifest_hdr* h) { h->magic ^= 1; }), "magic");
}

TEST_F(ManifestTest, Version) {
  expect_refused(with_header([](tzu_kmanifest_hdr* h) { h->version = 2; }), "version");
}

TEST_F(ManifestTest, HeaderFlags) {
  expect_refused(with_header([](tzu_kmanifest_hdr* h) { h->flags = 1; }), "header flags");
}

TEST_F(ManifestTest, SizeBeyondCap) {
  std::vector<uint8_t> m = signed_manifest();
  m.pop_back();  // the buffer ends one byte before the signature does
  expect_refused(m, "size beyond cap");
}

TEST_F(ManifestTest, SizeBeyondMax) {
  std::vector<uint8_t> m = with_header([](tzu_kmanifest_hdr* h) {
    h->size = TZU_KMANIFEST_MAX + 8;
  });
  m.resize(TZU_KMANIFEST_MAX + 8);
  expect_refused(m, "size beyond cap");
}

TEST_F(ManifestTest, NoRegions) {
  mb_.regions.clear();
  mb_.fixups.clear();
  expect_refused(signed_manifest(), "region count");
}

TEST_F(ManifestTest, TooManyRegions) {
  mb_.fixups.clear();
  mb_.regions.resize(TZU_KMANIFEST_MAX_REGIONS + 1);
  for (uint32_t i = 0; i < mb_.regions.size(); ++i) {
    mb_.regions[i] = tzu_kmanifest_region{};
    mb_.regions[i].kind = TZU_IREG_TEXT;
    mb_.regions[i].va = 0xC0100000u + i * 0x1000;
    mb_.regions[i].len = 0x1000;
  }
  expect_refused(signed_manifest(), "region count");
}

TEST_F(ManifestTest, SixteenRegionsAccepted) {
  mb_.fixups.clear();
  mb_.regions.resize(TZU_KMANIFEST_MAX_REGIONS);
  for (uint32_t i = 0; i < mb_.regions.size(); ++i) {
    mb_.regions[i] = tzu_kmanifest_region{};
    mb_.regions[i].kind = TZU_IREG_TEXT;
    mb_.regions[i].va = 0xC0100000u + i * 0x1000;
    mb_.regions[i].len = 0x1000;
  }
  EXPECT_EQ(load(), Status::kOk);
}

TEST_F(ManifestTest, SizeDisagreesWithCounts) {
  expect_refused(with_header([](tzu_kmanifest_hdr* h) { h->n_fixups += 1; }),
                 "size disagrees with counts");
}

// n_fixups near 2^32: the 64-bit sum must not wrap to the real size.
TEST_F(ManifestTest, FixupCountOverflow) {
  expect_refused(with_header([](tzu_kmanifest_hdr* h) { h->n_fixups += 0x20000000u; }),
                 "size disagrees with counts");
}

TEST_F(ManifestTest, RegionCountVsSize) {
  expect_refused(with_header([](tzu_kmanifest_hdr* h) { h->n_regions -= 1; }),
                 "size disagrees with counts");
}

TEST_F(ManifestTest, SwapperBelowPageOffset) {
  mb_.hdr.swapper_pg_dir = 0xB0000000u;
  expect_refused(signed_manifest(), "swapper_pg_dir below page_offset");
}

TEST_F(ManifestTest, SwapperAlignment) {
  mb_.hdr.swapper_pg_dir = kPgdVa + 0x1000;
  expect_refused(signed_manifest(), "swapper_pg_dir alignment");
}

TEST_F(ManifestTest, SwapperBeyond4G) {
  mb_.hdr.phys_base = 0xFFFFE000u;  // PA(swapper) = 2^32 + 0x2000
  expect_refused(signed_manifest(), "swapper_pg_dir beyond 4 GiB");
}

TEST_F(ManifestTest, RegionKind) {
  mb_.regions[kRodata].kind = TZU_IREG_MODULE;  // modules come at run time
  expect_refused(signed_manifest(), "region kind");
  SetUp();
  mb_.regions[kRodata].kind = 0;
  expect_refused(signed_manifest(), "region kind");
}

TEST_F(ManifestTest, RegionFlags) {
  mb_.regions[kRodata].flags |= 0x4u;
  expect_refused(signed_manifest(), "region flags");
}

TEST_F(ManifestTest, RegionAlignment) {
  mb_.regions[kRodata].va += 2;
  expect_refused(signed_manifest(), "region alignment");
}

TEST_F(ManifestTest, RegionLengthZero) {
  mb_.regions[kRodata].len = 0;
  expect_refused(signed_manifest(), "region length");
}

TEST_F(ManifestTest, RegionLengthOdd) {
  mb_.regions[kRodata].len = 0x1002;
  expect_refused(signed_manifest(), "region length");
}

TEST_F(ManifestTest, RegionWraps) {
  mb_.regions[kStubs].len = 0xF000 + 4;  // 0xFFFF1000 + 0xF004 > 4 GiB
  expect_refused(signed_manifest(), "region wraps");
}

TEST_F(ManifestTest, RegionEndingAt4G) {
  mb_.regions[kStubs].len = 0xF000;  // ends exactly at 2^32: valid format
  mb_.fixups.pop_back();
  EXPECT_EQ(load(), Status::kOk);
}

TEST_F(ManifestTest, RegionsOverlap) {
  mb_.regions[kSyscall].va -= 4;  // last word of text1
  expect_refused(signed_manifest(), "regions overlap");
}

TEST_F(ManifestTest, RegionInsideAnother) {
  mb_.regions[kExTable].va = 0xC0200100u;  // inside rodata
  mb_.regions[kExTable].len = 0x10;
  expect_refused(signed_manifest(), "regions overlap");
}

TEST_F(ManifestTest, FixupAlignment) {
  mb_.fixups[1].va += 1;
  expect_refused(signed_manifest(), "fixup alignment");
}

TEST_F(ManifestTest, FixupsNotAscending) {
  std::swap(mb_.fixups[0], mb_.fixups[1]);
  expect_refused(signed_manifest(), "fixups not ascending");
}

TEST_F(ManifestTest, FixupDuplicate) {
  mb_.fixups[1] = mb_.fixups[0];
  expect_refused(signed_manifest(), "fixups not ascending");
}

TEST_F(ManifestTest, FixupOutsideRegions) {
  mb_.fixups[2].va = 0xC0300000u;
  expect_refused(signed_manifest(), "fixup outside regions");
}

// A fixup word straddling a region's end is outside it.
TEST_F(ManifestTest, FixupStraddlesRegionEnd) {
  mb_.fixups[2].va = 0xFFFF0020u;  // vectors are [0xFFFF0000, 0xFFFF0020)
  expect_refused(signed_manifest(), "fixup outside regions");
}

TEST_F(ManifestTest, SignatureTampered) {
  std::vector<uint8_t> m = signed_manifest();
  m[m.size() - 1] ^= 1;
  expect_refused(m, "signature", Status::kAuth);
}

TEST_F(ManifestTest, SignedContentTampered) {
  std::vector<uint8_t> m = signed_manifest();
  auto* r = reinterpret_cast<tzu_kmanifest_region*>(m.data() + sizeof(tzu_kmanifest_hdr));
  r[kText1].sha256[0] ^= 1;
  expect_refused(m, "signature", Status::kAuth);
}

TEST_F(ManifestTest, WrongKey) {
  expect_refused(signed_manifest(kOtherSeed), "signature", Status::kAuth);
}

}  // namespace
}  // namespace integrity_test

namespace integrity_test {
namespace {

// The fuzz corpus's signed seed really is valid for the fuzz key (seed
// {1, 0...}), so the fuzzer starts past the signature check.
TEST(ManifestCorpus, ValidSignedSeedVerifies) {
  FILE* f = std::fopen(TZUCON_INTEGRITY_CORPUS "/valid_signed", "rb");
  ASSERT_NE(f, nullptr);
  std::vector<uint8_t> m(TZU_KMANIFEST_MAX);
  m.resize(std::fread(m.data(), 1, m.size(), f));
  std::fclose(f);
  const uint8_t seed[32] = {1};
  uint8_t pub[32];
  ucon::ed25519_public_key(seed, pub);
  integrity::ManifestView mv;
  const char* why = nullptr;
  EXPECT_EQ(integrity::parse_manifest(m.data(), static_cast<uint32_t>(m.size()), pub, &mv, &why),
            ucon::Status::kOk) << (why ? why : "");
  EXPECT_EQ(mv.n_regions, 5u);
}

}  // namespace
}  // namespace integrity_test
