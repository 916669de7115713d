// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// secure_clock.h - the secure world's timer and clock: TTC1 counter 0 in
// interval mode at about PLAT_INTEGRITY_TICK_US, its interrupt (GIC ID 69)
// a group 0 FIQ that Monitor mode takes (SCR.FIQ = 1, SCR.FW = 0: the
// normal world can neither mask nor take it). The clock is built from the
// ticks and the counts carried over at SMC entries, because Linux zeroes
// and reprograms the Cortex-A9 global timer.
//
// Every access to TTC1 is followed by a counter restart. QEMU's TTC model
// (hw/timer/cadence_ttc.c) converts between nanoseconds and counts with
// truncation at each register access; under -icount, where virtual time
// stands still while timers run, a period left a fraction of a nanosecond
// short re-arms its timer at the current time forever and QEMU hangs.
// A restarted period of a whole number of 32 us (133 counts at 133 MHz/32)
// converts exactly, so it always ends in a wrap (build/QEMU-FACTS.md Q3).
//
// Limits (docs/threat-model.md): QEMU models no APB slave security, so the
// normal world can reprogram TTC1 there (and, under -icount, hang QEMU by
// reading it); on silicon TTC1 must be made secure-only through the APB
// security setting (UG585, TrustZone: the nic301 security_apb register),
// which this image does not program yet. check_on_smc() notices a
// reprogrammed or silent timer on the next SMC.
#ifndef TZUCON_MONITOR_SECURE_CLOCK_H
#define TZUCON_MONITOR_SECURE_CLOCK_H

#include <stdint.h>

namespace secure_clock {

// Programs counter 0 (stopped) and enables ID 69 at the GIC. Boot, once.
// The period is period_us rounded down to a multiple of 32 us (>= 32 us).
void init(uint32_t period_us);
// Starts counting: just before the normal world first runs.
void start();
// From the FIQ handler: reads (and so clears) the interrupt register and
// restarts the period; true if it held an interval wrap, which is then
// counted as a tick.
bool on_interrupt();
// Microseconds since start(): ticks x period + the counts carried over at
// SMC entries since the last tick; never decreasing. Reads no register:
// fresh at each SMC entry and tick.
uint64_t now_us();
uint64_t ticks();
uint32_t period_us();

// Results of check_on_smc().
constexpr uint32_t kTampered = 1u << 0;  // a register is not what we wrote
constexpr uint32_t kSilent = 1u << 1;    // kSilentSmcs entries, no tick
constexpr uint32_t kTick = 1u << 2;      // a tick was counted here: do its work
// On every SMC entry (six register reads and a restart): counts the time
// since the last restart (a whole period is a tick), checks the registers.
// Silence: kSilentSmcs SMC entries without a tick; re-arms nothing by
// itself. A wrap found pending at an SMC entry is not silence evidence: the
// FIQ is group 0 at priority 0x40 with SCR.FW = 0, so the normal world can
// neither mask it (CPSR.F, its half of GICC_PMR) nor disable, retarget or
// reprioritise it in the GIC; only TTC1's own registers can hold it off,
// and those are what kTampered checks (the exact-value rewrite that
// stops the counter shows as no ticks: kSilentSmcs). The wrap is a tick
// whose FIQ the SMC overtook - under QEMU without -icount also one whose
// timer callback a loaded host delayed, which a "three wraps" rule took
// for silence (false degradations in most loaded two-CPU boots) - and it
// is counted as a tick.
constexpr uint32_t kSilentSmcs = 50000;
uint32_t check_on_smc();
// On an SMC entry of a CPU other than the timer's (CPU0, where its FIQ is
// routed): no register access, only the silence count. A second CPU must not
// read TTC1: reading the interrupt register clears it, so its wraps would
// look like FIQs never taken, and each restart drops the counts in flight
// (with two CPUs entering, enough to miss ticks: seen as "silenced" under
// QEMU MTTCG). Silence is still noticed when the normal world makes all its
// SMCs from CPU1 (kSilentSmcs entries without a tick); a reprogrammed timer
// only on CPU0's next SMC or through that silence.
uint32_t count_smc();
// Reprograms counter 0 as init() + start() did and forgets the silence
// evidence; the tick count (and so the clock) carries on.
void rearm();

}  // namespace secure_clock

#endif  // TZUCON_MONITOR_SECURE_CLOCK_H
