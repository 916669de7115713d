// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// mmu.cc - a flat 1:1 short-descriptor MMU map for the smoke test. With the
// MMU off every data access is Strongly-ordered and unaligned accesses fault
// (QEMU enforces this too), while the compiler assumes ARMv7-A unaligned
// support: DDR is mapped as Normal memory, everything else as Device.
#include <stdint.h>

namespace {

constexpr uint32_t kSection = 0x2;         // 1 MiB section descriptor
constexpr uint32_t kB = 1u << 2;
constexpr uint32_t kC = 1u << 3;
constexpr uint32_t kXn = 1u << 4;
constexpr uint32_t kApFull = 3u << 10;     // AP[1:0] = 11: read/write, any mode
constexpr uint32_t kTex1 = 1u << 12;
constexpr uint32_t kDdrEnd = 0x40000000u;  // ZC702: 1 GiB DDR from 0

// Normal, write-back write-allocate (TEX=001 C=1 B=1); the D-cache stays off,
// so no cache maintenance is needed for a run this short.
constexpr uint32_t kNormal = kSection | kApFull | kTex1 | kC | kB;
// Shareable Device (TEX=000 C=0 B=1), never executable.
constexpr uint32_t kDevice = kSection | kApFull | kB | kXn;

alignas(16384) uint32_t g_l1_table[4096];

}  // namespace

extern "C" void smoke_mmu_enable() {
  for (uint32_t i = 0; i < 4096; ++i) {
    const uint32_t base = i << 20;
    g_l1_table[i] = base | (base < kDdrEnd ? kNormal : kDevice);
  }
  const uint32_t ttbr0 = static_cast<uint32_t>(
      reinterpret_cast<uintptr_t>(g_l1_table));
  uint32_t sctlr;
  asm volatile(
      "dsb\n"
      "mcr p15, 0, %[zero], c2, c0, 2\n"  // TTBCR = 0: TTBR0 covers all
      "mcr p15, 0, %[ttbr], c2, c0, 0\n"  // TTBR0
      "mcr p15, 0, %[dacr], c3, c0, 0\n"  // DACR: all domains client
      "mcr p15, 0, %[zero], c8, c7, 0\n"  // TLBIALL
      "mcr p15, 0, %[zero], c7, c5, 0\n"  // ICIALLU
      "mcr p15, 0, %[zero], c7, c5, 6\n"  // BPIALL
      "dsb\n"
      "isb\n"
      "mrc p15, 0, %[sctlr], c1, c0, 0\n"
      "orr %[sctlr], %[sctlr], #1\n"         // M
      "orr %[sctlr], %[sctlr], #(1 << 11)\n" // Z: branch prediction
      "orr %[sctlr], %[sctlr], #(1 << 12)\n" // I
      "mcr p15, 0, %[sctlr], c1, c0, 0\n"
      "isb\n"
      : [sctlr] "=&r"(sctlr)
      : [zero] "r"(0u), [ttbr] "r"(ttbr0), [dacr] "r"(0x55555555u)
      : "memory");
}
