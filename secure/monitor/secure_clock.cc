// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// secure_clock.cc - TTC1 counter 0 as the secure tick and clock (see
// secure_clock.h; register facts: build/QEMU-FACTS.md Q3, UG585 ch. 8.5).
#include "secure_clock.h"

#include "board.h"
#include "memmap.h"
#include "zynq_regs.h"

namespace secure_clock {
namespace {

using zynq::reg;

// TTC input clock: QEMU fixes it at 133 MHz whatever the SLCR says. On a
// ZC702 it is CPU_1x (about 111 MHz with the usual FSBL): take it from the
// SLCR clock setup before running this on silicon.
constexpr uint32_t kTtcHz = 133000000u;
constexpr uint32_t kPrescaled = kTtcHz / 32;  // kTtcClkPrescale32
// 133 counts at kPrescaled are exactly 32 us: QEMU's ns <-> count
// conversions of a period made of these units lose nothing.
constexpr uint32_t kUnitCounts = 133;
constexpr uint32_t kUnitUs = 32;
constexpr uint32_t kBase = PLAT_SECURE_TTC_BASE;
constexpr uint32_t kCtrlRunning = zynq::kTtcCounterInterval;  // as read back

uint32_t g_period_us = 0;
uint32_t g_counts = 0;  // per period: INTERVAL + 1
volatile uint64_t g_ticks = 0;
// Counts since the last tick, summed over the restarts at SMC entries.
uint32_t g_carry = 0;
uint64_t g_last_now = 0;
// Silence evidence, gathered at SMC entries.
uint64_t g_seen_ticks = 0;
uint32_t g_smcs = 0;

uint32_t read_isr() { return reg(kBase + zynq::kTtcIsr0); }  // clears it

void program() {
  reg(kBase + zynq::kTtcCounterCtrl0) = zynq::kTtcCounterDisable;
  reg(kBase + zynq::kTtcClkCtrl0) = zynq::kTtcClkPrescale32;
  reg(kBase + zynq::kTtcInterval0) = g_counts - 1;
  reg(kBase + zynq::kTtcIntEn0) = zynq::kTtcIntInterval;
  (void)read_isr();  // stale status
}

// A new period from count 0; ends every sequence of TTC1 accesses.
void restart() {
  reg(kBase + zynq::kTtcCounterCtrl0) =
      zynq::kTtcCounterInterval | zynq::kTtcCounterReset;
}

uint32_t read_value() { return reg(kBase + zynq::kTtcCounterValue0) & 0xFFFF; }

// Time since the last restart: a pending wrap is one period, value the
// counts after it (or after the restart). True if a tick was counted.
bool account(uint32_t isr, uint32_t value) {
  const uint64_t before = g_ticks;
  if (isr & zynq::kTtcIntInterval) g_ticks = g_ticks + 1;
  g_carry += value;
  if (g_carry >= g_counts) {
    g_ticks = g_ticks + 1;
    g_carry -= g_counts;
  }
  return g_ticks != before;
}

}  // namespace

void init(uint32_t period_us) {
  // 16 bits of counts at /32 hold up to 15.7 ms at 133 MHz.
  uint32_t units = period_us / kUnitUs;
  if (units == 0) units = 1;
  if (units > 0x10000 / kUnitCounts) units = 0x10000 / kUnitCounts;
  g_period_us = units * kUnitUs;
  g_counts = units * kUnitCounts;
  program();
  board::enable_secure_irq(PLAT_SECURE_TTC_IRQ0);
}

void start() { restart(); }

bool on_interrupt() {
  const uint32_t isr = read_isr();
  const uint32_t value = read_value();
  restart();
  return account(isr, value);
}

uint64_t ticks() { return g_ticks; }
uint32_t period_us() { return g_period_us; }

uint64_t now_us() {
  // g_carry < g_counts + 0x10000 <= 0x20000 (a read value is 16 bits), so
  // the product fits 32 bits: a 32-bit division by a constant (a multiply),
  // not the 64-bit library division that took a third of an empty fast call.
  static_assert(uint64_t{0x20000} * kUnitUs < (uint64_t{1} << 32));
  const uint64_t t = g_ticks * g_period_us +
                     uint32_t{g_carry * kUnitUs / kUnitCounts};
  if (t > g_last_now) g_last_now = t;
  return g_last_now;
}

uint32_t check_on_smc() {
  uint32_t r = 0;
  // The interrupt register first: a wrap after it shows as IV on the
  // next read, with a count from 0 now.
  const uint32_t isr = read_isr();
  const uint32_t value = read_value();
  const uint32_t ctrl = reg(kBase + zynq::kTtcCounterCtrl0) & 0x2F;
  const uint32_t clk = reg(kBase + zynq::kTtcClkCtrl0) & 0x1F;
  const uint32_t interval = reg(kBase + zynq::kTtcInterval0) & 0xFFFF;
  const uint32_t int_en = reg(kBase + zynq::kTtcIntEn0) & 0x3F;
  restart();
  if (ctrl != kCtrlRunning || clk != zynq::kTtcClkPrescale32 ||
      interval != g_counts - 1 || int_en != zynq::kTtcIntInterval)
    r |= kTampered;
  // A wrap pending here is a tick whose FIQ this SMC overtook (the FIQ
  // that follows finds the register clear): counted below (secure_clock.h).
  // The counts of a tampered counter mean nothing.
  if (!(r & kTampered) && account(isr, value)) r |= kTick;
  if (g_ticks != g_seen_ticks) {
    g_seen_ticks = g_ticks;
    g_smcs = 0;
  } else {
    ++g_smcs;
  }
  if (g_smcs >= kSilentSmcs) r |= kSilent;
  return r;
}

uint32_t count_smc() {
  if (g_ticks != g_seen_ticks) {
    g_seen_ticks = g_ticks;
    g_smcs = 0;
  } else {
    ++g_smcs;
  }
  return g_smcs >= kSilentSmcs ? kSilent : 0;
}

void rearm() {
  program();
  restart();
  g_seen_ticks = g_ticks;
  g_smcs = 0;
}

}  // namespace secure_clock
