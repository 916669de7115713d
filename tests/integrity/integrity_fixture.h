// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// integrity_fixture.h - a fake normal world for KernelIntegrity: 16 MiB of
// RAM at PA 0 with a hole, a hand-built swapper_pg_dir (linear sections,
// L2 tables for the high vectors and the module area), kernel regions
// filled with pseudo-random words, and a manifest signed in the test.
#ifndef TZUCON_TESTS_INTEGRITY_FIXTURE_H
#define TZUCON_TESTS_INTEGRITY_FIXTURE_H

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "kernel_integrity.h"

namespace integrity_test {

constexpr uint32_t kRamSize = 16u << 20;
constexpr uint32_t kHoleBase = 0x00E00000u, kHoleSize = 2u << 20;
constexpr uint32_t kPageOffset = 0xC0000000u, kPhysBase = 0;
constexpr uint32_t kPgdVa = 0xC0004000u;           // L1 at PA 0x4000
constexpr uint32_t kL2Vectors = 0x8000u;           // table for 0xFFF00000
constexpr uint32_t kL2Modules = 0x8400u;           // table for 0xBF000000
constexpr uint32_t kL2Large = 0x8800u;             // table for 0xBF100000
constexpr uint32_t kVectorsPa = 0x9000u, kStubsPa = 0xA000u;
constexpr uint32_t kModuleVa = 0xBF000000u;        // 4 small pages, shuffled
constexpr uint32_t kLargeModuleVa = 0xBF100000u;   // one 64 KiB large page
constexpr uint32_t kLargeModulePa = 0x00B00000u;

// Manifest order = region slot in KernelIntegrity.
enum RegionIdx : uint32_t {
  kText1, kSyscall, kText2, kRodata, kRoAfter, kExTable, kVectors, kStubs,
  kNumKernelRegions
};

uint32_t module_page_pa(uint32_t page);  // PA behind kModuleVa + page * 4 KiB

class FakeSink : public integrity::Sink {
 public:
  struct Change { uint32_t from, to, why; };
  struct Reg {
    uint32_t kind, op, va, len;
    ucon::Status s;
    bool has_digest;
    uint8_t digest[32];
  };
  void state_changed(uint32_t from, uint32_t to, uint32_t why) override {
    changes.push_back({from, to, why});
  }
  void mismatch(const integrity::Mismatch& m) override {
    mismatches.push_back(m);
  }
  void registered(uint32_t kind, uint32_t op, uint32_t va, uint32_t len,
                  ucon::Status s, const uint8_t* digest) override;
  std::vector<Change> changes;
  std::vector<integrity::Mismatch> mismatches;
  std::vector<Reg> regs;
};

// Unsigned manifest parts; build() lays them out and signs.
struct ManifestBuilder {
  tzu_kmanifest_hdr hdr{};
  std::vector<tzu_kmanifest_region> regions;
  std::vector<tzu_kmanifest_fixup> fixups;
  std::vector<uint8_t> serialize() const;  // signature bytes zero
};

// Signs bytes [0, size - 64) in place with the test policy key.
void sign(std::vector<uint8_t>* m, const uint8_t seed[32]);
extern const uint8_t kPolicySeed[32];
extern const uint8_t kOtherSeed[32];

class IntegrityTest : public ::testing::Test {
 protected:
  void SetUp() override;

  uint8_t* ram() { return reinterpret_cast<uint8_t*>(ram_.data()); }
  uint32_t get32(uint32_t pa) const { return ram_[pa / 4]; }
  void put32(uint32_t pa, uint32_t v) { ram_[pa / 4] = v; }
  void poke8(uint32_t pa, uint8_t v) { ram()[pa] = v; }
  // PA behind a kernel VA of the fixture's layout (linear, vectors, module).
  uint32_t pa_of(uint32_t va) const;
  uint32_t l1_pa() const { return kPgdVa - kPageOffset + kPhysBase; }
  void set_l1(uint32_t va, uint32_t desc) { put32(l1_pa() + (va >> 20) * 4, desc); }

  // The manifest digest of [va, va+len): fixup words masked.
  void digest_of(uint32_t va, uint32_t len, uint8_t out[32]) const;
  // Recomputes every DIGEST region's sha256 from the current RAM.
  void refresh_digests();
  std::vector<uint8_t> signed_manifest(const uint8_t* seed = kPolicySeed);
  ucon::Status load(const uint8_t* seed = kPolicySeed);
  void load_and_register();  // asserts both succeed
  void seal();               // heartbeat seq 1 RUNNING
  // Ticks until a new mismatch is reported or `max` ticks ran; returns
  // the ticks run.
  uint32_t tick_until_mismatch(uint32_t max);
  uint32_t ticks_per_pass() const;
  tzu_integrity_status status(std::vector<tzu_integrity_region>* regions);
  tzu_integrity_module_req module_req(uint32_t op, uint32_t va, uint32_t len,
                                      const char* name = "tzmod");
  tzu_heartbeat_req hb(uint64_t seq, uint64_t sent, uint32_t flags = 0);

  std::vector<uint32_t> ram_;
  std::vector<uint32_t> copy_;
  integrity::Config cfg_;
  FakeSink sink_;
  std::unique_ptr<integrity::KernelIntegrity> ki_;
  ManifestBuilder mb_;
  uint8_t pub_[32];
  uint64_t now_ = 1000000;
};

}  // namespace integrity_test

#endif  // TZUCON_TESTS_INTEGRITY_FIXTURE_H
