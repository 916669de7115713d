// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// console.cc - Cadence UART driver and formatter for the secure console.
#include "console.h"

#include "zynq_regs.h"

namespace console {
namespace {

uint32_t g_base = 0;

// Baud = ref / (CD * (BDIV + 1)); pick the BDIV (4..255) with least error.
void set_baud(uint32_t ref_hz, uint32_t baud) {
  uint32_t best_cd = 0, best_div = 0, best_err = 0xFFFFFFFFu;
  for (uint32_t div = 4; div < 256; ++div) {
    const uint32_t cd = ref_hz / (baud * (div + 1));
    if (cd < 2 || cd > 65535) continue;
    const uint32_t real = ref_hz / (cd * (div + 1));
    const uint32_t err = real > baud ? real - baud : baud - real;
    if (err < best_err) {
      best_err = err;
      best_cd = cd;
      best_div = div;
    }
  }
  if (!best_cd) return;
  zynq::reg(g_base + zynq::kUartBaudGen) = best_cd;
  zynq::reg(g_base + zynq::kUartBaudDiv) = best_div;
}

void put_unsigned(uint32_t v, uint32_t base, int width, char pad) {
  char buf[12];
  int n = 0;
  do {
    buf[n++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  while (width-- > n) putc(pad);
  while (n) putc(buf[--n]);
}

}  // namespace

void init(uint32_t uart_base, uint32_t ref_hz, uint32_t baud) {
  g_base = uart_base;
  zynq::reg(g_base + zynq::kUartCr) = zynq::kUartCrTxRst | zynq::kUartCrRxRst;
  zynq::reg(g_base + zynq::kUartIdr) = 0x1FFF;  // polled: no interrupts
  zynq::reg(g_base + zynq::kUartMr) = zynq::kUartMr8N1;
  set_baud(ref_hz, baud);
  zynq::reg(g_base + zynq::kUartCr) = zynq::kUartCrTxEn | zynq::kUartCrRxEn;
}

void putc(char c) {
  if (!g_base) return;
  if (c == '\n') putc('\r');
  while (zynq::reg(g_base + zynq::kUartSr) & zynq::kUartSrTxFull) {
  }
  zynq::reg(g_base + zynq::kUartFifo) = static_cast<uint8_t>(c);
}

void puts(const char* s) {
  while (*s) putc(*s++);
}

void flush() {
  if (!g_base) return;
  while (!(zynq::reg(g_base + zynq::kUartSr) & zynq::kUartSrTxEmpty)) {
  }
}

void vprintf(const char* fmt, va_list ap) {
  for (; *fmt; ++fmt) {
    if (*fmt != '%') {
      putc(*fmt);
      continue;
    }
    ++fmt;
    char pad = ' ';
    int width = 0;
    if (*fmt == '0') {
      pad = '0';
      ++fmt;
    }
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    switch (*fmt) {
      case 's': {
        const char* s = va_arg(ap, const char*);
        puts(s ? s : "(null)");
        break;
      }
      case 'c': putc(static_cast<char>(va_arg(ap, int))); break;
      case 'd': {
        const int v = va_arg(ap, int);
        if (v < 0) putc('-');
        put_unsigned(v < 0 ? 0u - static_cast<uint32_t>(v)
                           : static_cast<uint32_t>(v),
                     10, width, pad);
        break;
      }
      case 'u': put_unsigned(va_arg(ap, uint32_t), 10, width, pad); break;
      case 'x': put_unsigned(va_arg(ap, uint32_t), 16, width, pad); break;
      case 'p':
        puts("0x");
        put_unsigned(static_cast<uint32_t>(
                         reinterpret_cast<uintptr_t>(va_arg(ap, void*))),
                     16, 8, '0');
        break;
      case '%': putc('%'); break;
      case '\0': return;
      default: putc('?'); break;
    }
  }
}

void printf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
}

}  // namespace console
