// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// psci_platform.h - the ZC702's PSCI instance and the boot CPU's part in
// bringing up the others (bare metal only; psci.h is the portable part).
#ifndef TZUCON_MONITOR_PSCI_PLATFORM_H
#define TZUCON_MONITOR_PSCI_PLATFORM_H

#include <stdint.h>

#include "psci.h"

namespace monitor {

extern psci::Psci g_psci;

// Boot CPU, once, before the normal world runs.
void init_psci();
// Points the boot ROM's secondary-CPU jump at the image (the board; QEMU
// starts CPU1 at the image itself).
void release_boot_rom();
// Waits (at most `spins` polls each) for the other CPUs to reach the secure
// wait loop and marks them OFF; returns how many arrived.
uint32_t wait_secondaries(uint32_t spins);
// The secure FIQ handler's check for the stop SGI: true if `id` was it (the
// CPU is then marked OFF and must park).
bool stop_sgi(uint32_t id);

// main.cc: the audit record and console line of a SYSTEM_RESET (reset =
// true) or SYSTEM_OFF, written before the other CPUs stop.
void record_power_event(bool reset);

}  // namespace monitor

extern "C" [[noreturn]] void secondary_main(uint32_t cpu);

#endif  // TZUCON_MONITOR_PSCI_PLATFORM_H
