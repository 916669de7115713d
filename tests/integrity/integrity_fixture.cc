// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// integrity_fixture.cc - the fake normal world's layout and helpers.
#include "integrity_fixture.h"

#include <cstring>

#include "crypto.h"
#include "ed25519.h"

namespace integrity_test {

const uint8_t kPolicySeed[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
const uint8_t kOtherSeed[32] = {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
                                9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};

namespace {

struct Layout {
  uint32_t va, len, flags, kind;
};
// Text split around the system-call table, rodata around ro_after_init,
// as the manifest generator does for the real vmlinux.
const Layout kLayout[kNumKernelRegions] = {
    {0xC0100000u, 0x8000u, TZU_KMR_DIGEST, TZU_IREG_TEXT},
    {0xC0108000u, 0x400u, TZU_KMR_DIGEST, TZU_IREG_SYSCALL_TABLE},
    {0xC0108400u, 0x7C00u, TZU_KMR_DIGEST, TZU_IREG_TEXT},
    {0xC0200000u, 0x3000u, TZU_KMR_DIGEST, TZU_IREG_RODATA},
    {0xC0203000u, 0x1000u, TZU_KMR_AT_SEAL, TZU_IREG_RO_AFTER_INIT},
    {0xC0204000u, 0x800u, TZU_KMR_DIGEST, TZU_IREG_EX_TABLE},
    {0xFFFF0000u, 0x20u, TZU_KMR_DIGEST, TZU_IREG_VECTORS},
    {0xFFFF1000u, 0x1000u, TZU_KMR_DIGEST, TZU_IREG_STUBS},
};

// xorshift32 over all of RAM: content no test can predict by luck.
// Generated once per process: the suite builds a fresh world per test.
const std::vector<uint32_t>& pattern() {
  static const std::vector<uint32_t> p = [] {
    std::vector<uint32_t> v(kRamSize / 4);
    uint32_t x = 0x12345678u;
    for (auto& w : v) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      w = x;
    }
    return v;
  }();
  return p;
}

}  // namespace

uint32_t module_page_pa(uint32_t page) { return 0x00A00000u + (page ^ 1u) * 0x1000u; }

void FakeSink::registered(uint32_t kind, uint32_t op, uint32_t va, uint32_t len,
                          ucon::Status s, const uint8_t* digest) {
  Reg r{kind, op, va, len, s, digest != nullptr, {}};
  if (digest) std::memcpy(r.digest, digest, 32);
  regs.push_back(r);
}

std::vector<uint8_t> ManifestBuilder::serialize() const {
  tzu_kmanifest_hdr h = hdr;
  h.n_regions = static_cast<uint16_t>(regions.size());
  h.n_fixups = static_cast<uint32_t>(fixups.size());
  h.size = static_cast<uint32_t>(sizeof(h) + regions.size() * sizeof(regions[0]) +
                                 fixups.size() * sizeof(tzu_kmanifest_fixup) + 64);
  std::vector<uint8_t> out(h.size, 0);
  std::memcpy(out.data(), &h, sizeof(h));
  size_t at = sizeof(h);
  for (const auto& r : regions) {
    std::memcpy(out.data() + at, &r, sizeof(r));
    at += sizeof(r);
  }
  for (const auto& f : fixups) {
    std::memcpy(out.data() + at, &f, sizeof(f));
    at += sizeof(f);
  }
  return out;
}

void sign(std::vector<uint8_t>* m, const uint8_t seed[32]) {
  uint8_t pub[32];
  ucon::ed25519_public_key(seed, pub);
  const size_t n = m->size() - 64;
  ucon::ed25519_sign(seed, pub, m->data(), n, m->data() + n);
}

void IntegrityTest::SetUp() {
  sink_ = FakeSink{};
  ram_ = pattern();
  for (uint32_t i = 0; i < 4096; ++i) put32(l1_pa() + i * 4, 0);  // all fault
  for (uint32_t mb = 0; mb < kRamSize >> 20; ++mb)  // linear map, AP/C/B set
    set_l1(kPageOffset + (mb << 20), (mb << 20) | 0x40Eu);
  for (uint32_t i = 0; i < 256; ++i) {
    put32(kL2Vectors + i * 4, 0);
    put32(kL2Modules + i * 4, 0);
    put32(kL2Large + i * 4, 0);
  }
  set_l1(0xFFF00000u, kL2Vectors | 0x1u);
  put32(kL2Vectors + 0xF0 * 4, kVectorsPa | 0x32u);
  put32(kL2Vectors + 0xF1 * 4, kStubsPa | 0x3u);  // XN small page
  set_l1(kModuleVa, kL2Modules | 0x1E1u);          // domain 15
  for (uint32_t p = 0; p < 4; ++p) put32(kL2Modules + p * 4, module_page_pa(p) | 0x2u);
  set_l1(kLargeModuleVa, kL2Large | 0x1u);
  for (uint32_t i = 0; i < 16; ++i) put32(kL2Large + i * 4, kLargeModulePa | 0x1u);
  // ARM_PATCH_PHYS_VIRT-like words: add rX, rY, #imm.
  put32(pa_of(0xC0100100u), 0xE2801A12u);
  put32(pa_of(0xC0100204u), 0xE2410B34u);
  put32(pa_of(0xFFFF1010u), 0xE2822ABCu);

  mb_ = ManifestBuilder{};
  mb_.hdr.magic = TZU_KMANIFEST_MAGIC;
  mb_.hdr.version = TZU_KMANIFEST_VERSION;
  mb_.hdr.page_offset = kPageOffset;
  mb_.hdr.phys_base = kPhysBase;
  mb_.hdr.swapper_pg_dir = kPgdVa;
  std::strcpy(mb_.hdr.release, "6.6.0-tzucon");
  for (const Layout& l : kLayout) {
    tzu_kmanifest_region r{};
    r.kind = l.kind;
    r.flags = l.flags;
    r.va = l.va;
    r.len = l.len;
    mb_.regions.push_back(r);
  }
  mb_.fixups = {{0xC0100100u, 0xFFFu}, {0xC0100204u, 0xFFFu}, {0xFFFF1010u, 0xFFFu}};
  refresh_digests();

  copy_.assign((4u << 20) / 4, 0);
  cfg_ = integrity::Config{};
  cfg_.ns.base = ram();
  cfg_.ns.pa_base = 0;
  cfg_.ns.size = kRamSize;
  cfg_.ns.hole_base = kHoleBase;
  cfg_.ns.hole_size = kHoleSize;
  cfg_.copy = reinterpret_cast<uint8_t*>(copy_.data());
  cfg_.copy_cap = static_cast<uint32_t>(copy_.size() * 4);
  cfg_.chunk_bytes = 16u << 10;
  ki_ = std::make_unique<integrity::KernelIntegrity>();
  ASSERT_EQ(ki_->init(cfg_, &sink_), ucon::Status::kOk);
  ucon::ed25519_public_key(kPolicySeed, pub_);
}

uint32_t IntegrityTest::pa_of(uint32_t va) const {
  if (va >= 0xFFFF0000u && va < 0xFFFF1000u) return kVectorsPa + (va & 0xFFFu);
  if (va >= 0xFFFF1000u && va < 0xFFFF2000u) return kStubsPa + (va & 0xFFFu);
  if (va >= kModuleVa && va < kModuleVa + 0x4000u)
    return module_page_pa((va - kModuleVa) >> 12) + (va & 0xFFFu);
  if (va >= kLargeModuleVa && va < kLargeModuleVa + 0x10000u)
    return kLargeModulePa + (va - kLargeModuleVa);
  return va - kPageOffset + kPhysBase;
}

void IntegrityTest::digest_of(uint32_t va, uint32_t len, uint8_t out[32]) const {
  std::vector<uint8_t> bytes(len);
  for (uint32_t i = 0; i < len; ++i)
    bytes[i] = reinterpret_cast<const uint8_t*>(ram_.data())[pa_of(va + i)];
  for (const auto& f : mb_.fixups) {
    if (f.va < va || f.va + 4 > uint64_t{va} + len) continue;
    uint32_t w;
    std::memcpy(&w, &bytes[f.va - va], 4);
    w &= ~f.mask;
    std::memcpy(&bytes[f.va - va], &w, 4);
  }
  ucon::sha256(bytes.data(), bytes.size(), out);
}

void IntegrityTest::refresh_digests() {
  for (auto& r : mb_.regions)
    if (r.flags & TZU_KMR_DIGEST) digest_of(r.va, r.len, r.sha256);
}

std::vector<uint8_t> IntegrityTest::signed_manifest(const uint8_t* seed) {
  std::vector<uint8_t> m = mb_.serialize();
  sign(&m, seed);
  return m;
}

ucon::Status IntegrityTest::load(const uint8_t* seed) {
  const std::vector<uint8_t> m = signed_manifest(seed);
  return ki_->load_manifest(m.data(), static_cast<uint32_t>(m.size()), pub_, now_);
}

void IntegrityTest::load_and_register() {
  ASSERT_EQ(load(), ucon::Status::kOk);
  now_ += 1000;
  ASSERT_EQ(ki_->register_kernel(now_), ucon::Status::kOk);
}

void IntegrityTest::seal() {
  now_ += 1000;
  ASSERT_EQ(ki_->heartbeat(hb(1, 0, TZU_HB_RUNNING), 0, now_), ucon::Status::kOk);
}

uint32_t IntegrityTest::tick_until_mismatch(uint32_t max) {
  const size_t before = sink_.mismatches.size();
  uint32_t n = 0;
  while (n < max && sink_.mismatches.size() == before) {
    now_ += cfg_.period_us;
    ki_->tick(now_);
    ++n;
  }
  return n;
}

uint32_t IntegrityTest::ticks_per_pass() const {
  tzu_integrity_status st{};
  ki_->status(&st, nullptr, 0, now_);
  return static_cast<uint32_t>((st.bytes_total + cfg_.chunk_bytes - 1) / cfg_.chunk_bytes);
}

tzu_integrity_status IntegrityTest::status(std::vector<tzu_integrity_region>* regions) {
  tzu_integrity_status st{};
  std::vector<tzu_integrity_region> r(integrity::KernelIntegrity::kMaxRegions);
  const uint32_t n = ki_->status(&st, r.data(), static_cast<uint32_t>(r.size()), now_);
  r.resize(n);
  if (regions) *regions = r;
  return st;
}

tzu_integrity_module_req IntegrityTest::module_req(uint32_t op, uint32_t va, uint32_t len,
                                                   const char* name) {
  tzu_integrity_module_req q{};
  q.op = op;
  q.va = va;
  q.len = len;
  std::strncpy(q.name, name, sizeof(q.name));
  return q;
}

tzu_heartbeat_req IntegrityTest::hb(uint64_t seq, uint64_t sent, uint32_t flags) {
  tzu_heartbeat_req r{};
  r.seq = seq;
  r.decisions_sent = sent;
  r.flags = flags;
  return r;
}

}  // namespace integrity_test
