// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// console.h - the secure console on UART0 (polled, no interrupts) and a
// small printf: %s %c %d %u %x %p, with an optional 0-padded width.
//
// Every output call is one burst: it first re-arms UART0's clocks and, if
// the normal world changed the UART, reprograms it (the normal world can
// write the SLCR and, on QEMU, UART0 itself). Every wait is bounded: a
// character that cannot enter the TX FIFO in time is dropped, and so is the
// rest of that burst, so a dead UART costs one bounded wait per burst.
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
// Waits (bounded) until the TX FIFO has drained.
void flush();
// The fault path: frees the console lock if CPU `cpu` held it when it
// faulted (its print was abandoned).
void release_if_held(uint32_t cpu);

// Interference seen since boot: bursts that found UART0's clock gated or
// its reset asserted (and re-armed it), bursts that found the UART's own
// setup changed (and reprogrammed it), characters dropped on a full FIFO.
// "[tzucon] console: uart0 clock re-armed N times" is printed when the sum
// of the first two reaches 1, 2, 4, 8, ...: visible, but never a flood.
uint32_t rearm_count();
uint32_t reprogram_count();
uint32_t drop_count();

}  // namespace console

#endif  // TZUCON_MONITOR_CONSOLE_H
