// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// runtime.cc - the runtime entry points start.S calls instead of newlib's
// crt0: exit with main's status, and a report for unexpected exceptions.
// The engine itself needs nothing else (no heap, no syscalls, no C++ ABI
// hooks): the link proves it.
#include "semihost.h"

namespace {

const char* exception_name(unsigned kind) {
  switch (kind) {
    case 1: return "undefined instruction";
    case 2: return "unexpected svc";
    case 3: return "prefetch abort";
    case 4: return "data abort";
    case 6: return "irq";
    case 7: return "fiq";
    default: return "reserved vector";
  }
}

}  // namespace

extern "C" [[noreturn]] void smoke_exit(int status) { smoke::exit_with(status); }

// Called from start.S's vectors: r0 = kind, r1 = faulting instruction.
extern "C" [[noreturn]] void fatal_exception(unsigned kind, unsigned addr) {
  smoke::put("engine_smoke: FATAL: ");
  smoke::put(exception_name(kind));
  smoke::put(" at ");
  smoke::put_hex(addr);
  smoke::put("\n");
  smoke::exit_with(3);
}
