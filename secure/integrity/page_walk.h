// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// page_walk.h - ARMv7 short-descriptor (non-LPAE) translation of a kernel
// virtual address through the kernel's first-level table, every descriptor
// read through NsMemory (the secure carve-out is never read).
#ifndef TZUCON_INTEGRITY_PAGE_WALK_H
#define TZUCON_INTEGRITY_PAGE_WALK_H

#include <stdint.h>

#include "kernel_integrity.h"

namespace integrity {

// Why a translation failed (kOk = none), for tests and audit text.
enum class WalkError : uint32_t {
  kOk = 0,
  kTableUnreadable,  // an L1/L2 descriptor lies outside NS RAM or in the hole
  kFaultL1,          // L1 descriptor type 0b00
  kReservedL1,       // type 0b11 (PXN section: not on Cortex-A9)
  kHighPa,           // supersection with PA bits above 4 GiB
  kFaultL2,          // L2 descriptor type 0b00
};

// Translates `va` with the first-level table at physical `l1_pa` (16 KiB,
// 4096 entries: Linux's two hardware entries per pgd entry and 256-entry
// hardware L2 tables make this a plain hardware walk). Sections (1 MiB),
// supersections (16 MiB), coarse tables with small (4 KiB) and large
// (64 KiB) pages. Access permissions and domains are not checked: content
// is what is measured.
WalkError translate(const NsMemory& ns, uint32_t l1_pa, uint32_t va,
                    uint32_t* pa);

const char* walk_error_name(WalkError e);

}  // namespace integrity

#endif  // TZUCON_INTEGRITY_PAGE_WALK_H
