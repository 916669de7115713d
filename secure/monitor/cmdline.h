// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmdline.h - does a Linux kernel command line weaken tz_hooks? Tokenised
// the way the kernel does it (lib/cmdline.c next_arg, kernel/params.c
// parse_args), so a quote or an exotic blank cannot hide a parameter.
#ifndef TZUCON_MONITOR_CMDLINE_H
#define TZUCON_MONITOR_CMDLINE_H

#include <stddef.h>
#include <stdint.h>

namespace monitor {

// Linux/ARM COMMAND_LINE_SIZE: the kernel keeps at most 1023 bytes.
constexpr size_t kCmdlineMax = 1024;
constexpr size_t kCmdlineReasonMax = 48;

enum class CmdlineWeakness : uint8_t {
  kNone = 0,
  kLsmWithoutTzHooks,   // lsm=LIST without tz_hooks: the LSM is not started
  kSecurityOther,       // security=NAME other than tz_hooks
  kPermissive,          // tz_hooks.permissive= other than 0/n/N (or no value)
  kUnknownTzHooksParam, // tz_hooks.X, X unknown here: fail closed
  kInitcallBlacklist,   // initcall_blacklist= naming a tz_hooks/driver init
  kIomemRelaxed,        // iomem=relaxed: /dev/mem reaches busy ranges again
  kProcMemForce,        // proc_mem.force_override= other than ptrace/never
};

struct CmdlineCheck {
  bool weak = false;
  CmdlineWeakness why = CmdlineWeakness::kNone;
  // The first offending token as the kernel splits it (param[=value]),
  // truncated to kCmdlineReasonMax bytes; NUL-terminated.
  char reason[kCmdlineReasonMax + 1] = {};
};

// Checks the first min(len, kCmdlineMax - 1) bytes of s (up to a NUL), as
// the kernel would see them; parameters after a bare "--" go to init and
// are not the kernel's. init= and rdinit= do not weaken tz_hooks.
CmdlineCheck check_cmdline(const char* s, size_t len);

}  // namespace monitor

#endif  // TZUCON_MONITOR_CMDLINE_H
