// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// psci_test.h - the payload's PSCI checks (psci_test.cc).
#ifndef TZUCON_TESTS_QEMU_PAYLOAD_PSCI_TEST_H
#define TZUCON_TESTS_QEMU_PAYLOAD_PSCI_TEST_H

#include <stdint.h>

// PSCI calls, CPU1 brought up twice (needs QEMU -smp 2).
void psci_tests();
// SYSTEM_RESET: the secure world records, stops CPU1, resets (QEMU exits).
void psci_system_reset();

extern "C" {
extern uint8_t cpu1_entry;  // start.S: CPU1's normal-world entry
void payload_cpu1(uint32_t r0, uint32_t cpsr);
}

#endif  // TZUCON_TESTS_QEMU_PAYLOAD_PSCI_TEST_H
