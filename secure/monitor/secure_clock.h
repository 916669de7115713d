// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// secure_clock.h - the secure world's timer and clock: TTC1 counter 0 in
// interval mode at PLAT_INTEGRITY_TICK_US, its interrupt (GIC ID 69) a
// group 0 FIQ that Monitor mode takes (SCR.FIQ = 1, SCR.FW = 0: the normal
// world can neither mask nor take it). The clock is built from the ticks
// and counter 0's value within the current tick, because Linux zeroes and
// reprograms the Cortex-A9 global timer.
//
// Limits (docs/threat-model.md): QEMU models no APB slave security, so the
// normal world can reprogram TTC1 there; on silicon TTC1 must be made
// secure-only through the APB security setting (UG585, TrustZone: the
// nic301 security_apb register), which this image does not program yet.
// check_on_smc() notices a reprogrammed or silent timer on the next SMC.
#ifndef TZUCON_MONITOR_SECURE_CLOCK_H
#define TZUCON_MONITOR_SECURE_CLOCK_H

#include <stdint.h>

namespace secure_clock {

// Programs counter 0 (stopped) and enables ID 69 at the GIC. Boot, once.
void init(uint32_t period_us);
// Starts counting: just before the normal world first runs.
void start();
// From the FIQ handler: reads (and so clears) the interrupt register;
// true if it held an interval wrap, which is then counted as a tick.
bool on_interrupt();
// Microseconds since start(): ticks x period + the time into this tick;
// never decreasing.
uint64_t now_us();
uint64_t ticks();

// Results of check_on_smc().
constexpr uint32_t kTampered = 1u << 0;  // a register is not what we wrote
constexpr uint32_t kSilent = 1u << 1;    // wraps seen, ticks not counted
// Cheap check on every SMC entry (five register reads). Silence: counter 0
// was seen wrapping kSilentWraps times at SMC entries without a tick in
// between (one wrap may be a FIQ pending behind this very SMC), or
// kSilentSmcs SMC entries passed without a tick (for a wrap count that
// sparse SMCs undercount). Either result re-arms nothing by itself.
constexpr uint32_t kSilentWraps = 3;
constexpr uint32_t kSilentSmcs = 50000;
uint32_t check_on_smc();
// Reprograms counter 0 as init() + start() did and forgets the silence
// evidence; the tick count (and so the clock) carries on.
void rearm();

}  // namespace secure_clock

#endif  // TZUCON_MONITOR_SECURE_CLOCK_H
