// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// mmu.cc - the secure translation table, ARMv7-A short descriptors: 4 KiB
// pages for the image (W^X, guard pages), 1 MiB sections for the rest.
#include "mmu.h"

#include "cpu.h"
#include "memmap.h"
#include "ns_context.h"

// Page-aligned boundaries from link.ld.S.
extern "C" uint8_t __text_start[], __text_end[], __rodata_start[],
    __rodata_end[], __rw_start[], __image_end[], __svc_stack_guard[],
    monitor_cpu_area[];

namespace mmu {
namespace {

// First level: section descriptor.
constexpr uint32_t kSection = 0x2;
constexpr uint32_t kB = 1u << 2;
constexpr uint32_t kC = 1u << 3;
constexpr uint32_t kXn = 1u << 4;
constexpr uint32_t kApPl1Rw = 1u << 10;  // AP = 01: PL1 read/write only
constexpr uint32_t kApRo = 1u << 15;     // AP[2]: with AP = 01, PL1 read-only
constexpr uint32_t kTex1 = 1u << 12;
constexpr uint32_t kShared = 1u << 16;
constexpr uint32_t kNs = 1u << 19;
// First level: pointer to a second-level table (domain 0, secure).
constexpr uint32_t kPageTable = 0x1;

// Normal, inner/outer write-back write-allocate, shareable.
constexpr uint32_t kNormal = kSection | kApPl1Rw | kTex1 | kC | kB | kShared;
// Shareable Device, never executable.
constexpr uint32_t kDevice = kSection | kApPl1Rw | kB | kXn;

// Second level: small page, same memory type as kNormal.
constexpr uint32_t kSmallPage = 0x2;
constexpr uint32_t kPgXn = 1u << 0;
constexpr uint32_t kPgB = 1u << 2;
constexpr uint32_t kPgC = 1u << 3;
constexpr uint32_t kPgAp1 = 1u << 4;   // AP[1:0] = 01: PL1 only
constexpr uint32_t kPgTex1 = 1u << 6;
constexpr uint32_t kPgApRo = 1u << 9;  // AP[2]: read-only
constexpr uint32_t kPgShared = 1u << 10;
constexpr uint32_t kPgNormal =
    kSmallPage | kPgAp1 | kPgTex1 | kPgC | kPgB | kPgShared;
constexpr uint32_t kPgText = kPgNormal | kPgApRo;           // R-X
constexpr uint32_t kPgRodata = kPgNormal | kPgApRo | kPgXn;  // R--
constexpr uint32_t kPgData = kPgNormal | kPgXn;              // RW-

constexpr uint32_t kMiB = 1u << 20;
constexpr uint32_t kPage = 1u << 12;
constexpr uint32_t kImageMiB = PLAT_SECURE_IMAGE_SIZE / kMiB;
static_assert(PLAT_SECURE_IMAGE_SIZE % kMiB == 0, "image region in MiB");
static_assert(PLAT_SECURE_IMAGE_BASE % kMiB == 0, "image region aligned");
static_assert(PLAT_ENGINE_ARENA_BASE % kMiB == 0 &&
                  PLAT_ENGINE_ARENA_SIZE % kMiB == 0,
              "arena in whole sections");
static_assert(PLAT_INTEGRITY_COPY_BASE % kMiB == 0 &&
                  PLAT_INTEGRITY_COPY_SIZE % kMiB == 0 &&
                  PLAT_INTEGRITY_COPY_BASE >=
                      PLAT_ENGINE_ARENA_BASE + PLAT_ENGINE_ARENA_SIZE &&
                  PLAT_INTEGRITY_COPY_BASE + PLAT_INTEGRITY_COPY_SIZE <=
                      PLAT_SECURE_BASE + PLAT_SECURE_SIZE,
              "integrity baseline: whole sections inside the carve-out");
static_assert(PLAT_SHM_BASE % kMiB == 0 && PLAT_DDR_BASE == 0 &&
                  kNsAliasBase >= PLAT_SECURE_BASE + PLAT_SECURE_SIZE &&
                  kNsAliasBase + PLAT_SHM_BASE <= 0xE0000000u,
              "NS alias: whole sections between DDR and the devices");

// The flash slots' MiB: the CFI unlock cycles (offsets 0x555/0x2AA) and
// both A/B sectors lie in it.
constexpr uint32_t kFlashMap = kMiB;
static_assert(PLAT_STATE_SLOT_A_OFF + PLAT_SECURE_FLASH_SECTOR_SIZE <=
                      kFlashMap &&
                  PLAT_STATE_SLOT_B_OFF + PLAT_SECURE_FLASH_SECTOR_SIZE <=
                      kFlashMap,
              "state slots outside the mapped flash");

struct Region {
  uint32_t base;
  uint32_t size;
  uint32_t attrs;
};

// The shared window is mapped with NS = 1: the normal world's data lives in
// non-secure cache lines, and the secure world must use the same ones (a
// secure alias would be a different cache line for the same memory).
// The image's MiBs get second-level tables (below); the carve-out past the
// integrity baseline is reserved and stays unmapped until something uses it.
constexpr Region kRegions[] = {
    {PLAT_ENGINE_ARENA_BASE, PLAT_ENGINE_ARENA_SIZE, kNormal | kXn},
    // The secure copy of the measured normal-world regions (secure/integrity).
    {PLAT_INTEGRITY_COPY_BASE, PLAT_INTEGRITY_COPY_SIZE, kNormal | kXn},
    {PLAT_SHM_BASE, PLAT_SHM_SIZE, kNormal | kNs | kXn},
    // The DTB the secure world hands to Linux, read (never written) at boot
    // to learn the kernel command line (boot_info.h).
    {PLAT_NS_DTB_ADDR, kMiB, kNormal | kNs | kXn | kApRo},
    {0xE0000000u, 0x00300000u, kDevice},  // UARTs ... security regs
    {PLAT_SECURE_FLASH_BASE, kFlashMap, kDevice},  // state storage (CFI)
    {0xF8000000u, 0x01000000u, kDevice},  // SLCR, TTCs, MPCore, L2C
    // OCM, high: the boot ROM's secondary-CPU jump word (psci_platform.cc).
    {0xFFF00000u, kMiB, kDevice},
};

// Normal-world DDR below the shared window, read-only, NS (the normal
// world's own cache lines), never executable: what the kernel-integrity
// measurement reads. At an alias (VA = kNsAliasBase + PA), not at its
// physical address, so that a secure null or small pointer still faults.
void map_ns_alias(uint32_t* table) {
  constexpr uint32_t attrs = kNormal | kNs | kXn | kApRo;
  for (uint32_t pa = PLAT_DDR_BASE; pa < PLAT_SHM_BASE; pa += kMiB)
    table[(kNsAliasBase + pa) >> 20] = pa | attrs;
}

alignas(16384) uint32_t g_table[4096];
alignas(1024) uint32_t g_pages[kImageMiB][256];

inline uint32_t addr(const uint8_t* p) {
  return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(p));
}

// Attributes of the image page at `pa`; 0 = fault (guard pages, and
// everything past the end of the image).
// The guard page below each per-CPU stack (ns_context.h).
bool cpu_area_guard(uint32_t pa) {
  const uint32_t base = addr(monitor_cpu_area);
  if (pa < base || pa >= base + CPU_AREA_SIZE * PLAT_NR_CPUS) return false;
  const uint32_t off = (pa - base) % CPU_AREA_SIZE;
  return off == CPU_ABT_GUARD || off == CPU_UND_GUARD || off == CPU_FIQ_GUARD ||
         off == CPU_MON_GUARD;
}

uint32_t image_page_attrs(uint32_t pa) {
  if (pa == addr(__svc_stack_guard) || cpu_area_guard(pa)) return 0;
  if (pa >= addr(__text_start) && pa < addr(__text_end)) return kPgText;
  if (pa >= addr(__rodata_start) && pa < addr(__rodata_end)) return kPgRodata;
  if (pa >= addr(__rw_start) && pa < addr(__image_end)) return kPgData;
  return 0;
}

void map_image() {
  for (uint32_t m = 0; m < kImageMiB; ++m) {
    const uint32_t mib = PLAT_SECURE_IMAGE_BASE + m * kMiB;
    for (uint32_t i = 0; i < 256; ++i) {
      const uint32_t pa = mib + i * kPage;
      const uint32_t a = image_page_attrs(pa);
      g_pages[m][i] = a ? (pa | a) : 0;
    }
    g_table[mib >> 20] = addr(reinterpret_cast<uint8_t*>(g_pages[m])) |
                         kPageTable;
  }
}

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

uint32_t page_descriptor(uint32_t pa) {
  const uint32_t off = pa - PLAT_SECURE_IMAGE_BASE;
  if (pa < PLAT_SECURE_IMAGE_BASE || off >= PLAT_SECURE_IMAGE_SIZE)
    return descriptor(pa);
  return g_pages[off >> 20][(off >> 12) & 0xFF];
}

void enable() {
  for (uint32_t& d : g_table) d = 0;
  for (const Region& r : kRegions)
    for (uint32_t off = 0; off < r.size; off += kMiB)
      g_table[(r.base + off) >> 20] = ((r.base + off) & 0xFFF00000u) | r.attrs;
  map_ns_alias(g_table);
  map_image();
  // The table in DDR for the other CPUs, whose walks start with caches off.
  asm volatile("dsb" ::: "memory");
  enable_secondary();
}

// The boot CPU cleans nothing here: with its caches still off when it
// built the table, every write went to DDR, where the walks of all CPUs
// read it (walks are cacheable, TTBR0 below, and coherent once SMP is set).
void enable_secondary() {
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
