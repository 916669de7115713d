// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// board.h - ZC702 board bring-up for the secure world: what the Zynq needs
// programmed before a non-secure Linux may run (see docs/zc702-bringup.md).
#ifndef TZUCON_PLATFORM_ZC702_BOARD_H
#define TZUCON_PLATFORM_ZC702_BOARD_H

#include <stdint.h>

#include "memmap.h"

namespace board {

// TZ_DDR_RAM value: one bit per 64 MiB DDR region, set = non-secure. Every
// region of installed DDR is non-secure except the secure carve-out; regions
// past the installed DDR stay secure (nothing non-secure may decode there).
constexpr uint32_t tz_ddr_ns_mask() {
  uint32_t mask = 0;
  for (uint32_t i = 0; i < 32; ++i) {
    const uint64_t lo = uint64_t{i} * PLAT_TZ_DDR_REGION_SIZE;
    const uint64_t hi = lo + PLAT_TZ_DDR_REGION_SIZE;
    const bool in_ddr = hi <= uint64_t{PLAT_DDR_BASE} + PLAT_DDR_SIZE;
    const bool secure = lo < uint64_t{PLAT_SECURE_BASE} + PLAT_SECURE_SIZE &&
                        hi > PLAT_SECURE_BASE;
    if (in_ddr && !secure) mask |= 1u << i;
  }
  return mask;
}
static_assert(PLAT_SECURE_BASE % PLAT_TZ_DDR_REGION_SIZE == 0 &&
                  PLAT_SECURE_SIZE % PLAT_TZ_DDR_REGION_SIZE == 0,
              "the carve-out must be whole TZ_DDR_RAM regions");
static_assert(tz_ddr_ns_mask() == 0x00007FFFu, "ZC702: region 15 secure");
static_assert(PLAT_SHM_BASE + PLAT_SHM_SIZE <= PLAT_SECURE_BASE,
              "the shared window is non-secure memory");

// GIC interrupt IDs the secure world owns (group 0); all others go to the
// normal world (group 1).
constexpr uint32_t kSecureIrqs[] = {
    PLAT_SECURE_UART_IRQ, PLAT_SECURE_TTC_IRQ0, PLAT_SECURE_TTC_IRQ0 + 1,
    PLAT_SECURE_TTC_IRQ0 + 2};
static_assert(PLAT_SECURE_TTC_NR_IRQS == 3, "TTC has three timers");

// Secure SGI (group 0 on every CPU, so a FIQ to the monitor) that stops a
// CPU for a secure-world-controlled system reset or power-off. Linux uses
// SGIs 0-7 for its IPIs.
constexpr uint32_t kStopSgi = 15;

// What the board init found and left, for the boot log and the docs.
struct Report {
  bool pll_programmed;     // ARM PLL was at its reset value and got set
  uint32_t tz_ddr_readback;
  uint32_t tz_ocm0_readback;
  uint32_t gic_lines;
  bool l2_enabled_here;    // false if it was already on or did not settle
  bool l2_settled;
};

// Enables UART0's clocks and takes it out of reset (the ZC702 FSBL only
// sets up UART1). Call before the console is used.
void init_console_clocks();

// What rearm_console_clocks() found off and turned back on.
enum ConsoleClockFix : uint32_t {
  kFixAperClock = 1u << 0,  // APER_CLK_CTRL UART0 AMBA clock was gated
  kFixRefClock = 1u << 1,   // UART_CLK_CTRL CLKACT0 was clear
  kFixReset = 1u << 2,      // UART0 was held in reset: its setup is lost
};

// UART0 clocked and out of reset again, whatever the normal world did to
// the SLCR since (Linux's clk_disable_unused gates UART0, whose DT node is
// disabled for it). Only reads when all is well; otherwise unlocks the
// SLCR, fixes the bits and restores the lock state it found (Linux leaves
// the SLCR unlocked and relies on that). Returns the kFix* bits it fixed.
// The shared SRCSEL/DIVISOR are left alone: they also clock Linux's UART1.
uint32_t rearm_console_clocks();

// SLCR PLL, TrustZone partitioning, bus-master security, SCU non-secure
// access, PL310, GIC distributor, secure timer quiesced. Boot CPU, once.
void init(Report* out);

// Per-CPU part of the GIC, on each CPU: banked SGI/PPI groups (all group 1
// for Linux's IPIs and A9 timers, except kStopSgi) and the CPU interface
// (both groups on, group 0 signalled as FIQ, every priority unmasked).
void init_gic_cpu();

// Soft reset of the whole PS through the SLCR (does not return on the
// board; under QEMU -no-reboot the emulator exits).
[[noreturn]] void system_reset();

// Enables one of kSecureIrqs (group 0, already set up by init()) at the
// distributor. Only the secure world can: NS writes to a group 0 line's
// enable bits are ignored.
void enable_secure_irq(uint32_t id);

}  // namespace board

#endif  // TZUCON_PLATFORM_ZC702_BOARD_H
