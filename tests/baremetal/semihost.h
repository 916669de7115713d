// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// semihost.h - the two Arm semihosting calls the smoke test needs (console
// output and exit with a status), plus tiny formatters: no newlib stdio.
#ifndef TZUCON_TESTS_BAREMETAL_SEMIHOST_H
#define TZUCON_TESTS_BAREMETAL_SEMIHOST_H

#include <stdint.h>

namespace smoke {

void put(const char* s);              // SYS_WRITE0
void put_dec(uint64_t v);
void put_hex(uint32_t v);             // "0x..." without leading zeros
[[noreturn]] void exit_with(int status);  // SYS_EXIT_EXTENDED

}  // namespace smoke

#endif  // TZUCON_TESTS_BAREMETAL_SEMIHOST_H
