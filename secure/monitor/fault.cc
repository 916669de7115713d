// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fault.cc - secure exception diagnostics and the defined error state.
//
// A fault while an SMC or a secure FIQ is being served puts the secure world in its FAILED
// state: the diagnostic goes to the secure console, the interrupted call
// returns TZU_E_INTERNAL, and every later call except the SMCCC queries
// returns TZU_E_INTERNAL without running the engine (the normal world then
// fails closed). A fault at boot stops the CPU before the normal world runs.
#include "console.h"
#include "cpu.h"
#include "memmap.h"
#include "runtime.h"

namespace {

const char* const kKinds[] = {
    "reset vector", "undefined instruction", "secure SVC", "prefetch abort",
    "data abort",   "unused vector",         "secure IRQ", "secure FIQ",
    "SMC from the secure world", "unexpected monitor exception"};

const char* mode_name(uint32_t m) {
  switch (m & 0x1F) {
    case 0x10: return "usr";
    case 0x11: return "fiq";
    case 0x12: return "irq";
    case 0x13: return "svc";
    case 0x16: return "mon";
    case 0x17: return "abt";
    case 0x1B: return "und";
    case 0x1F: return "sys";
    default: return "???";
  }
}

volatile uint32_t g_in_fault[PLAT_NR_CPUS] = {};

// Locks this CPU held when it faulted: the call is abandoned (no destructor
// runs), and the other CPU must not wait for them forever. After FAILED is
// set, so the other CPU finds the secure world failed, not half-updated.
void release_locks(uint32_t cpu) {
  if (monitor::g_secure_lock.held_by(cpu)) monitor::g_secure_lock.unlock();
  console::release_if_held(cpu);
}

}  // namespace

extern "C" uint32_t secure_fault(uint32_t kind, uint32_t pc, uint32_t spsr) {
  const uint32_t cpu_id = cpu::current_cpu();
  if (g_in_fault[cpu_id]) park();  // a fault inside the fault path: stop
  g_in_fault[cpu_id] = 1;
  console::printf(
      "\n[tzucon] SECURE FAULT on CPU%u: %s at pc=%08x (from %s mode, "
      "spsr=%08x)\n",
      cpu_id, kind < 10 ? kKinds[kind] : "?", pc, mode_name(spsr), spsr);
  console::printf("[tzucon]   DFSR=%08x DFAR=%08x IFSR=%08x IFAR=%08x\n",
                  cpu::read_dfsr(), cpu::read_dfar(), cpu::read_ifsr(),
                  cpu::read_ifar());
  monitor::NsContext* ctx = monitor::ns_context(cpu_id);
  if (ctx->in_smc) {
    monitor::g_dispatcher.set_failed();
    // An SMC returns TZU_E_INTERNAL; an interrupted normal world (secure
    // FIQ) resumes with its registers as they were.
    if (ctx->in_smc == CTX_IN_SMC_CALL) {
      ctx->r[0] = TZU_E_INTERNAL;
      ctx->r[1] = ctx->r[2] = ctx->r[3] = 0;
    }
    ctx->in_smc = 0;
    console::printf(
        "[tzucon]   secure world FAILED: this and later calls return "
        "TZU_E_INTERNAL\n");
    release_locks(cpu_id);
    g_in_fault[cpu_id] = 0;
    return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(ctx));
  }
  console::printf("[tzucon]   CPU%u parked\n", cpu_id);
  console::flush();
  release_locks(cpu_id);
  return 0;
}

namespace monitor {

void panic(const char* what) {
  console::printf("\n[tzucon] PANIC: %s\n[tzucon]   CPU%u parked\n", what,
                  cpu::current_cpu());
  console::flush();
  park();
}

}  // namespace monitor
