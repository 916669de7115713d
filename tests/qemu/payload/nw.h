// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// nw.h - helpers of the normal-world test payload: UART1 output, SMC calls,
// result bookkeeping and the fault counters the vectors update.
#ifndef TZUCON_TESTS_QEMU_PAYLOAD_NW_H
#define TZUCON_TESTS_QEMU_PAYLOAD_NW_H

#include <stdint.h>

#include "tzucon_abi.h"

namespace nw {

struct Regs {
  uint32_t r[4];
};

Regs smc(uint32_t fid, uint32_t a1 = 0, uint32_t a2 = 0, uint32_t a3 = 0,
         uint32_t a4 = 0);

void puts(const char* s);
void put_hex(uint32_t v);
void put_dec(uint32_t v);

// Records one check: prints "PASS name" or "FAIL name (detail)".
void check(const char* name, bool ok, uint32_t got = 0, uint32_t want = 0);
void info(const char* name, const char* text, uint32_t value);
uint32_t passed();
uint32_t failed();

extern volatile uint32_t g_undefs;
extern volatile uint32_t g_dabts;

[[noreturn]] void exit_qemu();

inline uint32_t pmccntr() {
  uint32_t v;
  asm volatile("mrc p15, 0, %0, c9, c13, 0" : "=r"(v));
  return v;
}

}  // namespace nw

extern "C" uint32_t smc_preserves(uint32_t fid);

#endif  // TZUCON_TESTS_QEMU_PAYLOAD_NW_H
