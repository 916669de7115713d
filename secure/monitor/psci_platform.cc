// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// psci_platform.cc - the ZC702 side of PSCI (psci.h): how CPU1 waits in the
// secure world, is started, brings up its own secure state and enters the
// normal world; how the system is reset or halted under the secure world's
// control. Also the secondary CPU's C entry from start.S.
//
// A secondary CPU enters the image at _start (QEMU: `-device loader,addr=
// <entry>,cpu-num=1`; the board: the boot ROM's wait loop jumps through the
// word at 0xFFFFFFF0, which release_boot_rom() points at _start) and waits
// there, MMU off, on its mailbox (psci_mailbox.h). CPU_ON writes the entry
// into the mailbox, cleans it to the point of coherency and signals SEV.
#include "psci_platform.h"

#include "board.h"
#include "console.h"
#include "cpu.h"
#include "memmap.h"
#include "mmu.h"
#include "psci_mailbox.h"
#include "runtime.h"
#include "spinlock.h"
#include "zynq_regs.h"

// In .data: loaded with the image, never zeroed by CPU0's .bss pass, which
// may run while CPU1 already writes `arrived`.
__attribute__((section(".data.psci_mailbox")))
monitor::PsciMailbox psci_mailbox[PLAT_NR_CPUS] = {};
extern "C" uint8_t _start[];

namespace monitor {

psci::Psci g_psci;

namespace {

SpinLock g_psci_lock;

constexpr uint32_t kBootRomJump = 0xFFFFFFF0u;

void psci_lock() { g_psci_lock.lock(); }
void psci_unlock() { g_psci_lock.unlock(); }

// Cleans and invalidates one line in L1 and the PL310 to DDR: the mailbox
// is shared with a CPU whose caches are off. (QEMU models no cache; on the
// board this is what makes the hand-over work.)
void flush_line(const volatile void* p) {
  const uint32_t a = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(p)) &
                     ~31u;
  asm volatile("mcr p15, 0, %0, c7, c14, 1\n\tdsb" ::"r"(a) : "memory");
  zynq::reg(zynq::kL2cBase + zynq::kL2cCleanInvPa) = a;
  zynq::reg(zynq::kL2cBase + zynq::kL2cSync) = 0;
  asm volatile("dsb" ::: "memory");
}

// Normal-world DDR below the shared window: never the window, the carve-out
// above it, OCM or a device.
bool entry_ok(uint32_t pa) {
  static_assert(PLAT_DDR_BASE == 0, "normal-world DDR starts at 0");
  return pa < PLAT_SHM_BASE;
}

void start_cpu(uint32_t cpu, uint32_t entry, uint32_t context_id) {
  PsciMailbox& m = psci_mailbox[cpu];
  m.entry = entry;
  m.context_id = context_id;
  asm volatile("dmb" ::: "memory");
  m.start = m.start + 1;
  flush_line(&m);
  asm volatile("sev" ::: "memory");
}

// The secure state every CPU needs before it may run the normal world
// (the boot CPU: main.cc; a secondary: secondary_main()).
[[noreturn]] void enter_ns_after_on(uint32_t cpu) {
  board::init_gic_cpu();  // banked: SGIs/PPIs group 1, CPU interface on
  const PsciMailbox& m = psci_mailbox[cpu];
  enter_normal_world(m.entry, m.context_id, 0, 0);
}

// CPU_OFF: this CPU waits here, in the secure world, for the next CPU_ON.
// MMU and caches stay on (coherent with CPU0), so the state is read as is.
[[noreturn]] void park_self(uint32_t cpu) {
  console::printf("[tzucon] psci: CPU%u off (parked in the secure world)\n",
                  cpu);
  for (;;) {
    if (g_psci.state(cpu) == psci::CpuState::kPending) {
      asm volatile("dmb" ::: "memory");
      if (g_psci.on_finished(cpu)) {
        console::printf(
            "[tzucon] psci: CPU%u on again, entering the normal world at "
            "%08x\n",
            cpu, psci_mailbox[cpu].entry);
        enter_ns_after_on(cpu);
      }
    }
    asm volatile("wfe" ::: "memory");
  }
}

// Stops the other CPUs: a secure SGI (group 0, a FIQ to the monitor) makes
// a CPU running the normal world park; a CPU already off is parked.
void stop_others(uint32_t self) {
  for (uint32_t c = 0; c < PLAT_NR_CPUS; ++c) {
    if (c == self || g_psci.state(c) != psci::CpuState::kOn) continue;
    zynq::reg(zynq::kGicdBase + zynq::kGicdSgir) = 
        (1u << (16 + c)) | board::kStopSgi;
  }
  // Bounded: the normal world cannot mask the FIQ (SCR.FW = 0), but a CPU
  // inside a long secure call answers only after it.
  for (uint32_t spin = 0; spin < 1000000; ++spin) {
    bool all = true;
    for (uint32_t c = 0; c < PLAT_NR_CPUS; ++c)
      if (c != self && g_psci.state(c) == psci::CpuState::kOn) all = false;
    if (all) return;
  }
}

void power_event(uint32_t cpu, bool reset) {
  record_power_event(reset);
  stop_others(cpu);
  console::printf("[tzucon] psci: %s from CPU%u, other CPUs stopped\n",
                  reset ? "SYSTEM_RESET" : "SYSTEM_OFF", cpu);
  console::flush();
}

[[noreturn]] void system_reset(uint32_t cpu) {
  power_event(cpu, true);
  board::system_reset();
  park();
}

// The Zynq has no power-off control the PS can drive: both CPUs stay
// parked in the secure world (QEMU keeps running until it is killed).
[[noreturn]] void system_off(uint32_t cpu) {
  power_event(cpu, false);
  console::printf("[tzucon] psci: no power-off device on the ZC702: halted\n");
  console::flush();
  park();
}

const psci::Platform kPlatform = {
    psci_lock, psci_unlock, entry_ok, start_cpu, park_self, system_reset,
    system_off,
};

}  // namespace

void init_psci() { g_psci.init(kPlatform, PLAT_NR_CPUS, cpu::current_cpu()); }

void release_boot_rom() {
  // The boot ROM parks CPU1 in a WFE loop that jumps to the word at
  // 0xFFFFFFF0 (OCM, high): point it at our entry. board.cc made that OCM
  // page secure (TZ_OCM_RAM1 bit 31), so the normal world cannot change the
  // jump: a CPU it resets through the SLCR comes back here, not to its code.
  zynq::reg(kBootRomJump) = static_cast<uint32_t>(
      reinterpret_cast<uintptr_t>(_start));
  asm volatile("dsb\n\tsev" ::: "memory");
}

uint32_t wait_secondaries(uint32_t spins) {
  uint32_t arrived = 0;
  for (uint32_t c = 0; c < PLAT_NR_CPUS; ++c) {
    if (c == cpu::current_cpu()) continue;
    for (uint32_t i = 0; i < spins; ++i) {
      flush_line(&psci_mailbox[c]);
      if (psci_mailbox[c].arrived == MBOX_ARRIVED_MAGIC) break;
    }
    if (psci_mailbox[c].arrived != MBOX_ARRIVED_MAGIC) continue;
    g_psci.arrived(c);
    ++arrived;
  }
  return arrived;
}

bool stop_sgi(uint32_t id) {
  if (id != board::kStopSgi) return false;
  g_psci.stopped(cpu::current_cpu());  // the reset follows from the other CPU
  return true;
}

}  // namespace monitor

// A secondary CPU after CPU_ON (start.S; Monitor mode, on its monitor
// stack, MMU still off): its own secure state, then the normal world.
extern "C" void secondary_main(uint32_t cpu) {
  cpu::write_nsacr(cpu::kNsacrCp10 | cpu::kNsacrCp11 | cpu::kNsacrNsSmp);
  mmu::enable_secondary();
  if (!monitor::g_psci.on_finished(cpu)) monitor::park_self(cpu);
  console::printf("[tzucon] psci: CPU%u on, entering the normal world at %08x\n",
                  cpu, psci_mailbox[cpu].entry);
  monitor::enter_ns_after_on(cpu);
}
