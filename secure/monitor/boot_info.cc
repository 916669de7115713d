// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// boot_info.cc - DTB -> /chosen/bootargs -> digest and tz_hooks check.
#include "boot_info.h"

#include "cmdline.h"
#include "crypto.h"
#include "fdt.h"

namespace monitor {
namespace {

static_assert(sizeof(BootInfo::cmdline_sha256) == ucon::kSha256Len, "digest");
static_assert(sizeof(BootInfo::reason) > kCmdlineReasonMax, "reason fits");

BootInfo g_info = {{}, 0, false, true, "not read"};
bool g_info_set = false;

// The command line is copied out of normal-world memory before it is
// hashed or parsed: one snapshot for both (the normal world is not running
// yet, but the copy keeps that an assumption of one function). Secure bss,
// word-aligned, so hashing it needs no unaligned loads with the MMU off.
alignas(8) char g_line[kCmdlineMax];

void set_text(char* dst, size_t cap, const char* a, const char* b) {
  size_t i = 0;
  for (; *a && i + 1 < cap; ++a) dst[i++] = *a;
  for (; b && *b && i + 1 < cap; ++b) dst[i++] = *b;
  dst[i] = '\0';
}

// What Linux copies: strscpy(cmdline, bootargs, min(len, COMMAND_LINE_SIZE))
// in early_init_dt_scan_chosen - up to the first NUL, at most size-1 bytes.
uint32_t snapshot_bootargs(const fdt::Property& p) {
  if (p.len == 0) return 0;
  const uint32_t n = p.len < kCmdlineMax ? p.len : kCmdlineMax;
  // volatile: one byte load each, never merged into an unaligned word.
  const volatile uint8_t* src = p.data;
  uint32_t i = 0;
  for (; i + 1 < n; ++i) {
    const uint8_t c = src[i];
    if (c == 0) break;
    g_line[i] = static_cast<char>(c);
  }
  g_line[i] = '\0';
  return i;
}

}  // namespace

ucon::Status read_boot_info(const uint8_t* dtb, size_t max_len,
                            BootInfo* out) {
  if (!out) return ucon::Status::kBadField;
  *out = BootInfo{{}, 0, false, true, ""};
  fdt::Blob blob;
  fdt::Property args;
  fdt::Error e = fdt::open(dtb, max_len, &blob);
  if (e == fdt::Error::kOk)
    e = fdt::find_root_child_prop(blob, "chosen", "bootargs", &args);
  if (e != fdt::Error::kOk && e != fdt::Error::kNotFound) {
    set_text(out->reason, sizeof(out->reason), "dtb: ", fdt::error_name(e));
    return ucon::Status::kMalformed;
  }
  out->dtb_ok = true;
  out->cmdline_len = e == fdt::Error::kOk ? snapshot_bootargs(args) : 0;
  ucon::sha256(g_line, out->cmdline_len, out->cmdline_sha256);
  const CmdlineCheck c = check_cmdline(g_line, out->cmdline_len);
  out->cmdline_weak = c.weak;
  set_text(out->reason, sizeof(out->reason), c.reason, nullptr);
  return ucon::Status::kOk;
}

ucon::Status init_boot_info(const uint8_t* dtb, size_t max_len) {
  if (g_info_set) return ucon::Status::kBadField;
  g_info_set = true;
  return read_boot_info(dtb, max_len, &g_info);
}

const BootInfo& boot_info() { return g_info; }

}  // namespace monitor
