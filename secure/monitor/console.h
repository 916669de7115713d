// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// console.h - the secure console on UART0 (polled, no interrupts) and a
// small printf: %s %c %d %u %x %p, with an optional 0-padded width.
#ifndef TZUCON_MONITOR_CONSOLE_H
#define TZUCON_MONITOR_CONSOLE_H

#include <stdarg.h>
#include <stdint.h>

namespace console {

void init(uint32_t uart_base, uint32_t ref_hz, uint32_t baud);
void putc(char c);
void puts(const char* s);
// Not declared format(printf): uint32_t is `unsigned long` on arm-none-eabi,
// and every caller passes 32-bit values for %d %u %x.
void printf(const char* fmt, ...);
void vprintf(const char* fmt, va_list ap);
void flush();

}  // namespace console

#endif  // TZUCON_MONITOR_CONSOLE_H
