// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// page_walk.cc - NsMemory bounds and the ARMv7 short-descriptor walk
// (ARM DDI 0406C, B3.5).
#include "page_walk.h"

#include <string.h>

namespace integrity {

const uint8_t* NsMemory::at(uint64_t pa, uint32_t len) const {
  if (!base || pa < pa_base) return nullptr;
  const uint64_t off = pa - pa_base;
  if (off > size || size - off < len) return nullptr;
  // Overlap with the hole, 64-bit: none of these sums can wrap.
  if (hole_size && pa < hole_base + hole_size && hole_base < pa + len)
    return nullptr;
  return base + off;
}

namespace {

bool read_desc(const NsMemory& ns, uint64_t pa, uint32_t* d) {
  const uint8_t* p = ns.at(pa, 4);
  if (!p) return false;
  memcpy(d, p, 4);  // the table is little-endian, like both worlds
  return true;
}

WalkError walk_l2(const NsMemory& ns, uint32_t l1d, uint32_t va,
                  uint32_t* pa) {
  const uint32_t table = l1d & 0xFFFFFC00u;
  uint32_t d = 0;
  if (!read_desc(ns, uint64_t{table} + ((va >> 12) & 0xFFu) * 4, &d))
    return WalkError::kTableUnreadable;
  if (d & 0x2u) {  // small page, XN in bit 0
    *pa = (d & 0xFFFFF000u) | (va & 0xFFFu);
    return WalkError::kOk;
  }
  if ((d & 0x3u) == 0x1u) {  // large page
    *pa = (d & 0xFFFF0000u) | (va & 0xFFFFu);
    return WalkError::kOk;
  }
  return WalkError::kFaultL2;
}

}  // namespace

WalkError translate(const NsMemory& ns, uint32_t l1_pa, uint32_t va,
                    uint32_t* pa) {
  uint32_t d = 0;
  if (!read_desc(ns, uint64_t{l1_pa} + (va >> 20) * 4, &d))
    return WalkError::kTableUnreadable;
  switch (d & 0x3u) {
    case 0x1u:
      return walk_l2(ns, d, va, pa);
    case 0x2u:
      if (d & (1u << 18)) {  // supersection: extended base in [23:20], [8:5]
        if (d & 0x00F001E0u) return WalkError::kHighPa;
        *pa = (d & 0xFF000000u) | (va & 0x00FFFFFFu);
      } else {
        *pa = (d & 0xFFF00000u) | (va & 0x000FFFFFu);
      }
      return WalkError::kOk;
    case 0x3u:
      return WalkError::kReservedL1;
    default:
      return WalkError::kFaultL1;
  }
}

const char* walk_error_name(WalkError e) {
  switch (e) {
    case WalkError::kOk: return "ok";
    case WalkError::kTableUnreadable: return "table unreadable";
    case WalkError::kFaultL1: return "l1 fault";
    case WalkError::kReservedL1: return "l1 reserved";
    case WalkError::kHighPa: return "pa above 4 GiB";
    case WalkError::kFaultL2: return "l2 fault";
  }
  return "?";
}

}  // namespace integrity
