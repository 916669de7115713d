// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// mmu.cc - 1 MiB short-descriptor sections, ARMv7-A VMSA.
#include "mmu.h"

#include "cpu.h"
#include "memmap.h"

namespace mmu {
namespace {

constexpr uint32_t kSection = 0x2;
constexpr uint32_t kB = 1u << 2;
constexpr uint32_t kC = 1u << 3;
constexpr uint32_t kXn = 1u << 4;
constexpr uint32_t kApPl1Rw = 1u << 10;  // AP = 01: PL1 read/write only
constexpr uint32_t kTex1 = 1u << 12;
constexpr uint32_t kShared = 1u << 16;
constexpr uint32_t kNs = 1u << 19;

// Normal, inner/outer write-back write-allocate, shareable.
constexpr uint32_t kNormal = kSection | kApPl1Rw | kTex1 | kC | kB | kShared;
// Shareable Device, never executable.
constexpr uint32_t kDevice = kSection | kApPl1Rw | kB | kXn;

struct Region {
  uint32_t base;
  uint32_t size;
  uint32_t attrs;
};

// The shared window is mapped with NS = 1: the normal world's data lives in
// non-secure cache lines, and the secure world must use the same ones (a
// secure alias would be a different cache line for the same memory).
constexpr Region kRegions[] = {
    {PLAT_SECURE_BASE, PLAT_SECURE_SIZE, kNormal},
    {PLAT_SHM_BASE, PLAT_SHM_SIZE, kNormal | kNs | kXn},
    {0xE0000000u, 0x00300000u, kDevice},  // UARTs ... security regs
    {0xF8000000u, 0x01000000u, kDevice},  // SLCR, TTCs, MPCore, L2C
};

alignas(16384) uint32_t g_table[4096];

// Invalidates the L1 data cache by set/way: the Cortex-A9 does not
// invalidate it at reset.
void invalidate_l1_dcache() {
  asm volatile("mcr p15, 2, %0, c0, c0, 0\nisb" ::"r"(0u));  // CSSELR = L1D
  uint32_t ccsidr;
  asm volatile("mrc p15, 1, %0, c0, c0, 0" : "=r"(ccsidr));
  const uint32_t line_shift = (ccsidr & 7) + 4;
  const uint32_t ways = ((ccsidr >> 3) & 0x3FF) + 1;
  const uint32_t sets = ((ccsidr >> 13) & 0x7FFF) + 1;
  const uint32_t way_shift = static_cast<uint32_t>(__builtin_clz(ways - 1));
  for (uint32_t w = 0; w < ways; ++w)
    for (uint32_t s = 0; s < sets; ++s) {
      const uint32_t sw = (ways > 1 ? w << way_shift : 0) | (s << line_shift);
      asm volatile("mcr p15, 0, %0, c7, c6, 2" ::"r"(sw));  // DCISW
    }
  asm volatile("dsb" ::: "memory");
}

}  // namespace

uint32_t descriptor(uint32_t pa) { return g_table[pa >> 20]; }

void enable() {
  for (uint32_t& d : g_table) d = 0;
  for (const Region& r : kRegions)
    for (uint32_t off = 0; off < r.size; off += 1u << 20)
      g_table[(r.base + off) >> 20] = ((r.base + off) & 0xFFF00000u) | r.attrs;
  // Coherency (SMP) and broadcast maintenance (FW) before caches go on.
  cpu::write_actlr(cpu::read_actlr() | cpu::kActlrSmp | cpu::kActlrFw);
  invalidate_l1_dcache();
  const uint32_t ttbr0 =
      static_cast<uint32_t>(reinterpret_cast<uintptr_t>(g_table)) |
      0x4A;  // walks: inner WB-WA (IRGN = 01), outer WB-WA (RGN = 01), S
  asm volatile(
      "dsb\n"
      "mcr p15, 0, %[zero], c2, c0, 2\n"  // TTBCR = 0: TTBR0 only
      "mcr p15, 0, %[ttbr], c2, c0, 0\n"  // TTBR0
      "mcr p15, 0, %[dacr], c3, c0, 0\n"  // DACR: domain 0 client
      "mcr p15, 0, %[zero], c8, c7, 0\n"  // TLBIALL
      "mcr p15, 0, %[zero], c7, c5, 0\n"  // ICIALLU
      "mcr p15, 0, %[zero], c7, c5, 6\n"  // BPIALL
      "dsb\n"
      "isb\n" ::[zero] "r"(0u),
      [ttbr] "r"(ttbr0), [dacr] "r"(1u)
      : "memory");
  cpu::write_sctlr(cpu::read_sctlr() | cpu::kSctlrM | cpu::kSctlrC |
                   cpu::kSctlrI | cpu::kSctlrZ);
}

}  // namespace mmu
