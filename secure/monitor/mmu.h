// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// mmu.h - the secure world's flat (VA = PA) translation table. The MMU is on
// because with it off every data access is Strongly-ordered (unaligned
// accesses fault, no caches); the table also limits what the secure world
// can touch: its image (text read-only+executable, rodata read-only, data
// and stacks non-executable, a guard page below the stacks), the engine
// arena, the integrity baseline, the shared window (mapped non-secure),
// normal-world DDR below the window (read-only, non-secure, at an alias:
// kNsAliasBase + PA) and the devices it drives (including the state
// flash). Everything else faults.
#ifndef TZUCON_MONITOR_MMU_H
#define TZUCON_MONITOR_MMU_H

#include <stdint.h>

namespace mmu {

// VA of normal-world physical address 0 in the secure table.
constexpr uint32_t kNsAliasBase = 0x40000000u;

// Builds the table and enables the MMU, D-cache, I-cache and branch
// prediction on this CPU (Secure PL1 regime).
void enable();
// The same table on a secondary CPU (the boot CPU built it): coherency,
// L1 invalidate, TTBR0, caches on.
void enable_secondary();

// First-level descriptor for a physical address (0 = fault; a page-table
// pointer for the image's MiBs): for tests/logging.
uint32_t descriptor(uint32_t pa);
// The image's 4 KiB page descriptor (0 = fault: guard page or past the
// image); outside the image, the first-level descriptor.
uint32_t page_descriptor(uint32_t pa);

}  // namespace mmu

#endif  // TZUCON_MONITOR_MMU_H
