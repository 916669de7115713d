// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// console.cc - Cadence UART driver and formatter for the secure console.
#include "console.h"

#include "board.h"
#include "cpu.h"
#include "spinlock.h"
#include "zynq_regs.h"

namespace console {
namespace {

// Polls of the status register before a wait gives up. A character leaves
// a working UART in 87 us at 115200 baud (a few hundred polls on silicon);
// on QEMU the FIFO only stays full while the host side of the chardev does
// not read, so the bound is generous (~0.1-1 s) to ride out a slow host
// reader, yet finite: interrupts are masked while the secure world prints.
constexpr uint32_t kMaxSpins = 1u << 20;

struct State {
  uint32_t base = 0;
  uint32_t cd = 0;    // BAUDGEN as programmed (0: left at reset value)
  uint32_t bdiv = 0;  // BAUDDIV as programmed
  bool dropping = false;  // the FIFO stayed full: drop the rest of the burst
  uint32_t rearms = 0;
  uint32_t reprograms = 0;
  uint32_t drops = 0;
};
State g;

// Both CPUs print; a line stays whole. A CPU that faults while printing
// (the fault path prints too) must not wait for itself.
monitor::SpinLock g_lock;
class Guard {
 public:
  Guard() : taken_(!g_lock.held_by(cpu::current_cpu())) {
    if (taken_) g_lock.lock();
  }
  ~Guard() {
    if (taken_) g_lock.unlock();
  }

 private:
  bool taken_;
};

uint32_t uart(uint32_t off) { return zynq::reg(g.base + off); }
void set_uart(uint32_t off, uint32_t v) { zynq::reg(g.base + off) = v; }

// Baud = ref / (CD * (BDIV + 1)); pick the BDIV (4..255) with least error.
void pick_baud(uint32_t ref_hz, uint32_t baud) {
  uint32_t best_err = 0xFFFFFFFFu;
  g.cd = g.bdiv = 0;
  for (uint32_t div = 4; div < 256; ++div) {
    const uint32_t cd = ref_hz / (baud * (div + 1));
    if (cd < 2 || cd > 65535) continue;
    const uint32_t real = ref_hz / (cd * (div + 1));
    const uint32_t err = real > baud ? real - baud : baud - real;
    if (err < best_err) {
      best_err = err;
      g.cd = cd;
      g.bdiv = div;
    }
  }
}

void program_uart() {
  set_uart(zynq::kUartCr, zynq::kUartCrTxRst | zynq::kUartCrRxRst);
  set_uart(zynq::kUartIdr, 0x1FFF);  // polled: no interrupts
  set_uart(zynq::kUartMr, zynq::kUartMr8N1);
  if (g.cd) {
    set_uart(zynq::kUartBaudGen, g.cd);
    set_uart(zynq::kUartBaudDiv, g.bdiv);
  }
  set_uart(zynq::kUartCr, zynq::kUartCrTxEn | zynq::kUartCrRxEn);
}

// The normal world can write UART0 directly wherever the APB slave
// security is not set up (QEMU models none): disabled TX, loopback mode or
// another baud rate would silence or garble the console.
bool uart_as_programmed() {
  const uint32_t cr = uart(zynq::kUartCr);
  if (!(cr & zynq::kUartCrTxEn) || (cr & zynq::kUartCrTxDis)) return false;
  if (uart(zynq::kUartMr) != zynq::kUartMr8N1) return false;
  return !g.cd || (uart(zynq::kUartBaudGen) == g.cd &&
                   uart(zynq::kUartBaudDiv) == g.bdiv);
}

// One character into the TX FIFO, or dropped after a bounded wait.
void emit(char c) {
  if (g.dropping) {
    ++g.drops;
    return;
  }
  if (c == '\n') emit('\r');
  uint32_t spins = kMaxSpins;
  while ((uart(zynq::kUartSr) & zynq::kUartSrTxFull) && --spins) {
  }
  if (!spins) {
    g.dropping = true;
    ++g.drops;
    return;
  }
  set_uart(zynq::kUartFifo, static_cast<uint8_t>(c));
}

void emit_str(const char* s) {
  while (*s) emit(*s++);
}

void emit_unsigned(uint32_t v, uint32_t base, int width, char pad) {
  char buf[12];
  int n = 0;
  do {
    buf[n++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  while (width-- > n) emit(pad);
  while (n) emit(buf[--n]);
}

void notice() {
  emit_str("[tzucon] console: uart0 clock re-armed ");
  emit_unsigned(g.rearms, 10, 0, ' ');
  emit_str(" times (uart reprogrammed ");
  emit_unsigned(g.reprograms, 10, 0, ' ');
  emit_str(", chars dropped ");
  emit_unsigned(g.drops, 10, 0, ' ');
  emit_str(")\n");
}

// Before any UART access: on QEMU an access to an unclocked Cadence UART
// is a bus error (a secure data abort), on silicon it hangs or reads junk.
bool begin_burst() {
  if (!g.base) return false;
  g.dropping = false;
  const uint32_t fixed = board::rearm_console_clocks();
  if (fixed) ++g.rearms;
  const bool reprogram = (fixed & board::kFixReset) || !uart_as_programmed();
  if (reprogram) {
    ++g.reprograms;
    program_uart();
  }
  const uint32_t seen = g.rearms + g.reprograms;
  if ((fixed || reprogram) && (seen & (seen - 1)) == 0) notice();
  return true;
}

void format(const char* fmt, va_list ap) {
  for (; *fmt; ++fmt) {
    if (*fmt != '%') {
      emit(*fmt);
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
        emit_str(s ? s : "(null)");
        break;
      }
      case 'c': emit(static_cast<char>(va_arg(ap, int))); break;
      case 'd': {
        const int v = va_arg(ap, int);
        if (v < 0) emit('-');
        emit_unsigned(v < 0 ? 0u - static_cast<uint32_t>(v)
                            : static_cast<uint32_t>(v),
                      10, width, pad);
        break;
      }
      case 'u': emit_unsigned(va_arg(ap, uint32_t), 10, width, pad); break;
      case 'x': emit_unsigned(va_arg(ap, uint32_t), 16, width, pad); break;
      case 'p':
        emit_str("0x");
        emit_unsigned(static_cast<uint32_t>(
                          reinterpret_cast<uintptr_t>(va_arg(ap, void*))),
                      16, 8, '0');
        break;
      case '%': emit('%'); break;
      case '\0': return;
      default: emit('?'); break;
    }
  }
}

}  // namespace

void init(uint32_t uart_base, uint32_t ref_hz, uint32_t baud) {
  g = State{};
  g.base = uart_base;
  pick_baud(ref_hz, baud);
  program_uart();
}

void putc(char c) {
  Guard l;
  if (begin_burst()) emit(c);
}

void puts(const char* s) {
  Guard l;
  if (begin_burst()) emit_str(s);
}

void flush() {
  Guard l;
  if (!begin_burst()) return;
  uint32_t spins = kMaxSpins;
  while (!(uart(zynq::kUartSr) & zynq::kUartSrTxEmpty) && --spins) {
  }
}

void vprintf(const char* fmt, va_list ap) {
  Guard l;
  if (begin_burst()) format(fmt, ap);
}

void printf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
}

void release_if_held(uint32_t cpu) {
  if (g_lock.held_by(cpu)) g_lock.unlock();
}

uint32_t rearm_count() { return g.rearms; }
uint32_t reprogram_count() { return g.reprograms; }
uint32_t drop_count() { return g.drops; }

}  // namespace console
