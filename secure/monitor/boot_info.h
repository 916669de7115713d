// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// boot_info.h - what the secure world learnt from the DTB it hands to
// Linux: a digest of the kernel command line and whether that command line
// weakens tz_hooks. Read once at boot; what to do about a weak command line
// (refuse to boot, degrade integrity) is the boot flow's policy, not here.
#ifndef TZUCON_MONITOR_BOOT_INFO_H
#define TZUCON_MONITOR_BOOT_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

namespace monitor {

struct BootInfo {
  uint8_t cmdline_sha256[32];  // of the command line as the kernel sees it
  uint32_t cmdline_len;        // its length (<= 1023, the kernel's limit)
  bool dtb_ok;                 // header and structure block are valid
  bool cmdline_weak;           // weakens tz_hooks, or the DTB is unusable
  char reason[64];             // offending token or DTB error; "" if intact
};

// Parses the DTB at dtb (at most max_len readable bytes) and fills *out.
// An unusable DTB is reported as weak, fail-closed: nothing can be vouched
// for. A DTB without /chosen or bootargs gives an empty command line.
// Works with the MMU off (Strongly-ordered: aligned loads only; the command
// line is copied into secure memory with byte loads first).
// Returns kOk, kMalformed (DTB rejected; *out still filled) or kBadField.
ucon::Status read_boot_info(const uint8_t* dtb, size_t max_len, BootInfo* out);

// Boot CPU, once, before the normal world first runs. Returns what
// read_boot_info() returned, or kBadField if called again (the record must
// describe the DTB Linux is actually given).
ucon::Status init_boot_info(const uint8_t* dtb, size_t max_len);

// The record init_boot_info() made (zeroed, weak, until then).
const BootInfo& boot_info();

}  // namespace monitor

#endif  // TZUCON_MONITOR_BOOT_INFO_H
