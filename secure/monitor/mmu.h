// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// mmu.h - the secure world's flat (VA = PA) translation table. The MMU is on
// because with it off every data access is Strongly-ordered (unaligned
// accesses fault, no caches); the table also limits what the secure world
// can touch: its carve-out, the shared window (mapped non-secure) and the
// devices it drives. Everything else - the normal world's RAM - faults.
#ifndef TZUCON_MONITOR_MMU_H
#define TZUCON_MONITOR_MMU_H

#include <stdint.h>

namespace mmu {

// Builds the table and enables the MMU, D-cache, I-cache and branch
// prediction on this CPU (Secure PL1 regime).
void enable();

// Section descriptor for a physical address (0 = fault): for tests/logging.
uint32_t descriptor(uint32_t pa);

}  // namespace mmu

#endif  // TZUCON_MONITOR_MMU_H
