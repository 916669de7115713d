// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fuzz_fdt.cc - libFuzzer target for the DTB the normal world controls:
// read_boot_info over the input as a DTB, check_cmdline over it as a
// command line. Invariants: no crash/UB (ASan/UBSan), the kernel's length
// limit holds, reasons are NUL-terminated printable text, a rejected DTB
// is reported weak.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "boot_info.h"
#include "cmdline.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

bool printable(const char* s, size_t cap) {
  const void* nul = std::memchr(s, '\0', cap);
  if (!nul) return false;
  for (const char* p = s; p != nul; ++p)
    if (*p < 0x20 || *p > 0x7E) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  // Word-aligned like the DTB at PLAT_NS_DTB_ADDR.
  std::vector<std::uint32_t> buf(size / 4 + 1);
  if (size) std::memcpy(buf.data(), data, size);
  monitor::BootInfo bi;
  const ucon::Status s = monitor::read_boot_info(
      reinterpret_cast<const std::uint8_t*>(buf.data()), size, &bi);
  require(s == ucon::Status::kOk || s == ucon::Status::kMalformed);
  require(bi.cmdline_len < monitor::kCmdlineMax);
  require(printable(bi.reason, sizeof(bi.reason)));
  require(s == ucon::Status::kOk ? bi.dtb_ok : (!bi.dtb_ok && bi.cmdline_weak));

  const monitor::CmdlineCheck c =
      monitor::check_cmdline(reinterpret_cast<const char*>(data), size);
  require(printable(c.reason, sizeof(c.reason)));
  require(c.weak == (c.why != monitor::CmdlineWeakness::kNone));
  return 0;
}
