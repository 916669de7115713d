// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// semihost.cc - Arm semihosting (A32: SVC 0x123456) for console and exit.
#include "semihost.h"

namespace smoke {
namespace {

constexpr uint32_t kSysWrite0 = 0x04;
constexpr uint32_t kSysExitExtended = 0x20;
constexpr uint32_t kAdpStoppedApplicationExit = 0x20026;

uint32_t semihost_call(uint32_t op, const void* arg) {
  register uint32_t r0 asm("r0") = op;
  register const void* r1 asm("r1") = arg;
  asm volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

}  // namespace

void put(const char* s) { semihost_call(kSysWrite0, s); }

void put_dec(uint64_t v) {
  char buf[24];
  char* p = buf + sizeof(buf) - 1;
  *p = '\0';
  do {
    *--p = static_cast<char>('0' + v % 10u);
    v /= 10u;
  } while (v != 0);
  put(p);
}

void put_hex(uint32_t v) {
  static const char kDigits[] = "0123456789abcdef";
  char buf[12];
  char* p = buf + sizeof(buf) - 1;
  *p = '\0';
  do {
    *--p = kDigits[v & 0xfu];
    v >>= 4;
  } while (v != 0);
  *--p = 'x';
  *--p = '0';
  put(p);
}

void exit_with(int status) {
  // SYS_EXIT_EXTENDED passes the status through to QEMU's exit code; plain
  // SYS_EXIT on AArch32 can only say "success" or "failure".
  const uint32_t block[2] = {kAdpStoppedApplicationExit,
                             static_cast<uint32_t>(status)};
  semihost_call(kSysExitExtended, block);
  for (;;) asm volatile("wfi");
}

}  // namespace smoke
