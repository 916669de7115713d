// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// nw.cc - UART1 console, SMC wrapper and check bookkeeping for the payload.
#include "nw.h"

#include <stddef.h>

namespace nw {
namespace {

constexpr uint32_t kUart1 = 0xE0001000u;
volatile uint32_t& reg(uint32_t a) {
  return *reinterpret_cast<volatile uint32_t*>(static_cast<uintptr_t>(a));
}
uint32_t g_pass = 0;
uint32_t g_fail = 0;
bool g_uart_on = false;

void putc(char c) {
  if (!g_uart_on) {
    reg(kUart1 + 0x00) = 0x14;  // TXEN | RXEN
    g_uart_on = true;
  }
  if (c == '\n') putc('\r');
  while (reg(kUart1 + 0x2C) & (1u << 4)) {
  }
  reg(kUart1 + 0x30) = static_cast<uint8_t>(c);
}

}  // namespace

volatile uint32_t g_undefs = 0;
volatile uint32_t g_dabts = 0;

Regs smc(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4) {
  register uint32_t r0 asm("r0") = fid;
  register uint32_t r1 asm("r1") = a1;
  register uint32_t r2 asm("r2") = a2;
  register uint32_t r3 asm("r3") = a3;
  register uint32_t r4 asm("r4") = a4;
  asm volatile(".arch_extension sec\n\tsmc #0"
               : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
               : "r"(r4)
               : "memory");
  return Regs{{r0, r1, r2, r3}};
}

void puts(const char* s) {
  while (*s) putc(*s++);
}

void put_hex(uint32_t v) {
  puts("0x");
  for (int i = 28; i >= 0; i -= 4) putc("0123456789abcdef"[(v >> i) & 0xF]);
}

void put_dec(uint32_t v) {
  char b[11];
  int i = 10;
  b[i] = 0;
  do {
    b[--i] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  puts(&b[i]);
}

void check(const char* name, bool ok, uint32_t got, uint32_t want) {
  if (ok) {
    ++g_pass;
    puts("PASS ");
    puts(name);
    puts("\n");
    return;
  }
  ++g_fail;
  puts("FAIL ");
  puts(name);
  puts(" (got ");
  put_hex(got);
  puts(", want ");
  put_hex(want);
  puts(")\n");
}

void info(const char* name, const char* text, uint32_t value) {
  puts("INFO ");
  puts(name);
  puts(": ");
  puts(text);
  put_hex(value);
  puts("\n");
}

uint32_t passed() { return g_pass; }
uint32_t failed() { return g_fail; }

// QEMU is started with -no-reboot: a system reset request ends it. The SLCR
// soft reset is that request on the Zynq.
void exit_qemu() {
  while (!(reg(kUart1 + 0x2C) & (1u << 3))) {
  }
  reg(0xF8000008) = 0xDF0D;  // SLCR unlock
  reg(0xF8000200) = 1;       // PSS_RST_CTRL.SOFT_RST
  for (;;) asm volatile("wfi");
}

}  // namespace nw

extern "C" {

void on_undef(uint32_t pc) {
  (void)pc;
  ++nw::g_undefs;
}

void on_dabt(uint32_t pc) {
  (void)pc;
  ++nw::g_dabts;
}

void on_pabt(uint32_t pc) {
  nw::puts("FAIL unexpected prefetch abort at ");
  nw::put_hex(pc);
  nw::puts("\nRESULT: payload crashed\n");
  nw::exit_qemu();
}

// The compiler may emit calls to these for struct copies.
void* memcpy(void* d, const void* s, size_t n) {
  auto* dp = static_cast<unsigned char*>(d);
  const auto* sp = static_cast<const unsigned char*>(s);
  while (n--) *dp++ = *sp++;
  return d;
}

void* memset(void* d, int c, size_t n) {
  auto* dp = static_cast<unsigned char*>(d);
  while (n--) *dp++ = static_cast<unsigned char>(c);
  return d;
}

}  // extern "C"
