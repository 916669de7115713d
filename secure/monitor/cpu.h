// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cpu.h - Cortex-A9 CP15 accessors the secure world needs (bare metal only).
#ifndef TZUCON_MONITOR_CPU_H
#define TZUCON_MONITOR_CPU_H

#include <stdint.h>

namespace cpu {

#define TZU_CP15_ACCESSOR(name, op1, crn, crm, op2)                      \
  inline uint32_t read_##name() {                                        \
    uint32_t v;                                                          \
    asm volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2      \
                 : "=r"(v));                                             \
    return v;                                                            \
  }                                                                      \
  inline void write_##name(uint32_t v) {                                 \
    asm volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 "\n" \
                 "isb" ::"r"(v)                                          \
                 : "memory");                                            \
  }

TZU_CP15_ACCESSOR(mpidr, 0, c0, c0, 5)
TZU_CP15_ACCESSOR(sctlr, 0, c1, c0, 0)
TZU_CP15_ACCESSOR(actlr, 0, c1, c0, 1)
TZU_CP15_ACCESSOR(scr, 0, c1, c1, 0)
TZU_CP15_ACCESSOR(nsacr, 0, c1, c1, 2)
TZU_CP15_ACCESSOR(dfsr, 0, c5, c0, 0)
TZU_CP15_ACCESSOR(ifsr, 0, c5, c0, 1)
TZU_CP15_ACCESSOR(dfar, 0, c6, c0, 0)
TZU_CP15_ACCESSOR(ifar, 0, c6, c0, 2)
TZU_CP15_ACCESSOR(pmcr, 0, c9, c12, 0)
TZU_CP15_ACCESSOR(pmcntenset, 0, c9, c12, 1)
TZU_CP15_ACCESSOR(pmccntr, 0, c9, c13, 0)
TZU_CP15_ACCESSOR(midr, 0, c0, c0, 0)

#undef TZU_CP15_ACCESSOR

inline uint32_t current_cpu() { return read_mpidr() & 3; }

inline uint32_t read_cpsr() {
  uint32_t v;
  asm volatile("mrs %0, cpsr" : "=r"(v));
  return v;
}

// SCTLR bits
constexpr uint32_t kSctlrM = 1u << 0;
constexpr uint32_t kSctlrC = 1u << 2;
constexpr uint32_t kSctlrZ = 1u << 11;
constexpr uint32_t kSctlrI = 1u << 12;
// ACTLR (Cortex-A9): SMP (coherency) and FW (broadcast maintenance)
constexpr uint32_t kActlrFw = 1u << 0;
constexpr uint32_t kActlrSmp = 1u << 6;
// NSACR: CP10/CP11 (VFP, NEON) and ACTLR.SMP writable from non-secure
constexpr uint32_t kNsacrCp10 = 1u << 10;
constexpr uint32_t kNsacrCp11 = 1u << 11;
constexpr uint32_t kNsacrNsSmp = 1u << 18;

}  // namespace cpu

#endif  // TZUCON_MONITOR_CPU_H
