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
constexpr uint32_t kBase = PLAT_SECURE_TTC_BASE;
constexpr uint32_t kCtrlRunning = zynq::kTtcCounterInterval;  // as read back

uint32_t g_period_us = 0;
uint32_t g_interval = 0;
volatile uint64_t g_ticks = 0;
uint64_t g_last_now = 0;
// Silence evidence, gathered at SMC entries.
uint64_t g_seen_ticks = 0;
uint32_t g_last_value = 0;
uint32_t g_wraps = 0;
uint32_t g_smcs = 0;

void program() {
  reg(kBase + zynq::kTtcCounterCtrl0) = zynq::kTtcCounterDisable;
  reg(kBase + zynq::kTtcClkCtrl0) = zynq::kTtcClkPrescale32;
  reg(kBase + zynq::kTtcInterval0) = g_interval;
  reg(kBase + zynq::kTtcIntEn0) = zynq::kTtcIntInterval;
  const uint32_t stale = reg(kBase + zynq::kTtcIsr0);  // clear-on-read
  (void)stale;
}

void run() {
  reg(kBase + zynq::kTtcCounterCtrl0) =
      zynq::kTtcCounterInterval | zynq::kTtcCounterReset;
}

uint32_t value() { return reg(kBase + zynq::kTtcCounterValue0) & 0xFFFF; }

}  // namespace

void init(uint32_t period_us) {
  g_period_us = period_us;
  // (INTERVAL + 1) prescaled counts per period; 16 bits at /32 hold up to
  // 15.7 ms at 133 MHz.
  const uint64_t counts = uint64_t{kPrescaled} * period_us / 1000000u;
  g_interval = static_cast<uint32_t>(counts > 0x10000 ? 0xFFFF : counts - 1);
  program();
  board::enable_secure_irq(PLAT_SECURE_TTC_IRQ0);
}

void start() { run(); }

bool on_interrupt() {
  const uint32_t isr = reg(kBase + zynq::kTtcIsr0);  // clear-on-read
  if (!(isr & zynq::kTtcIntInterval)) return false;
  g_ticks = g_ticks + 1;
  return true;
}

uint64_t ticks() { return g_ticks; }

uint64_t now_us() {
  uint64_t in_tick = uint64_t{value()} * 1000000u / kPrescaled;
  if (in_tick >= g_period_us) in_tick = g_period_us - 1;
  const uint64_t t = g_ticks * g_period_us + in_tick;
  // A wrap whose FIQ is still pending (masked while we run) would read as
  // going back by up to one period: hold the clock instead.
  if (t > g_last_now) g_last_now = t;
  return g_last_now;
}

uint32_t check_on_smc() {
  uint32_t r = 0;
  const uint32_t ctrl = reg(kBase + zynq::kTtcCounterCtrl0) & 0x2F;
  if (ctrl != kCtrlRunning ||
      (reg(kBase + zynq::kTtcClkCtrl0) & 0x1F) != zynq::kTtcClkPrescale32 ||
      (reg(kBase + zynq::kTtcInterval0) & 0xFFFF) != g_interval ||
      (reg(kBase + zynq::kTtcIntEn0) & 0x3F) != zynq::kTtcIntInterval)
    r |= kTampered;
  const uint32_t v = value();
  if (g_ticks != g_seen_ticks) {
    g_seen_ticks = g_ticks;
    g_wraps = 0;
    g_smcs = 0;
  } else {
    g_wraps += v < g_last_value ? 1 : 0;
    ++g_smcs;
  }
  g_last_value = v;
  if (g_wraps >= kSilentWraps || g_smcs >= kSilentSmcs) r |= kSilent;
  return r;
}

void rearm() {
  program();
  run();
  g_seen_ticks = g_ticks;
  g_wraps = 0;
  g_smcs = 0;
  g_last_value = 0;
}

}  // namespace secure_clock
