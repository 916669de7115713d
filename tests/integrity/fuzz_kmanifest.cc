// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fuzz_kmanifest.cc - libFuzzer target for the kernel manifest as the
// normal world could leave it at PLAT_NS_MANIFEST_ADDR: load_manifest on
// arbitrary bytes, then registration against a small fake RAM. Invariants:
// no crash/UB (ASan/UBSan); a refused manifest is VIOLATED with
// TZU_IS_MANIFEST_BAD and registers nothing; an empty one stays UNKNOWN.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "ed25519.h"
#include "kernel_integrity.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

struct NullSink : integrity::Sink {
  void state_changed(uint32_t, uint32_t, uint32_t) override {}
  void mismatch(const integrity::Mismatch&) override {}
  void registered(uint32_t, uint32_t, uint32_t, uint32_t, ucon::Status,
                  const uint8_t*) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static std::vector<uint32_t> ram(1u << 18);  // 1 MiB of zeros: all faults
  static std::vector<uint32_t> copy(1u << 16);
  static auto ki = std::make_unique<integrity::KernelIntegrity>();
  static uint8_t pub[32];
  static bool once = [] {
    const uint8_t seed[32] = {1};
    ucon::ed25519_public_key(seed, pub);
    return true;
  }();
  (void)once;
  integrity::Config cfg;
  cfg.ns.base = reinterpret_cast<const uint8_t*>(ram.data());
  cfg.ns.size = ram.size() * 4;
  cfg.copy = reinterpret_cast<uint8_t*>(copy.data());
  cfg.copy_cap = static_cast<uint32_t>(copy.size() * 4);
  NullSink sink;
  require(ki->init(cfg, &sink) == ucon::Status::kOk);
  const uint32_t cap = size > TZU_KMANIFEST_MAX + 16 ? TZU_KMANIFEST_MAX + 16
                                                      : static_cast<uint32_t>(size);
  const ucon::Status s = ki->load_manifest(data, cap, pub, 1);
  if (s == ucon::Status::kNotFound) {
    require(ki->state() == TZU_INTEGRITY_UNKNOWN && ki->flags() == 0);
  } else if (s != ucon::Status::kOk) {
    require(s == ucon::Status::kMalformed || s == ucon::Status::kAuth);
    require(ki->state() == TZU_INTEGRITY_VIOLATED && ki->flags() == TZU_IS_MANIFEST_BAD);
    require(ki->register_kernel(2) == ucon::Status::kNotFound);
  } else {
    // Only a signature by the fuzz key gets here: walk what it names.
    require(ki->register_kernel(2) == ucon::Status::kOk);
    ki->full_pass(3);
  }
  return 0;
}
