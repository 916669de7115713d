// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// board.cc - ZC702 bring-up: leaves the SoC the way a non-secure Linux with a
// secure world beside it needs it (register facts: UG585, A9 MPCore TRM).
#include "board.h"

#include "zynq_regs.h"

namespace board {
namespace {

using zynq::reg;

void slcr_unlock() { reg(zynq::kSlcrUnlock) = zynq::kSlcrUnlockKey; }
void slcr_lock() { reg(zynq::kSlcrLock) = zynq::kSlcrLockKey; }

// ARM PLL: the Linux clock driver derives the CPU clock from it. A real FSBL
// has already configured it (and changing a running PLL needs a bypass
// sequence), so only the untouched power-on value gets QEMU's boot value.
bool setup_pll() {
  if (reg(zynq::kArmPllCtrl) != zynq::kArmPllCtrlReset) return false;
  reg(zynq::kArmPllCtrl) = zynq::kArmPllCtrlBoot;
  return true;
}

// Memory and bus-master partitioning: DDR except the carve-out, all of OCM
// except its top 4 KiB page and every DMA-capable master the normal world
// drives are non-secure, so no normal-world-driven DMA can reach the
// carve-out. The top OCM page holds the boot ROM's secondary-CPU jump word
// (0xFFFFFFF0, psci_platform.cc): secure, so a CPU reset through the SLCR
// re-enters the secure image, never normal-world code in the secure state.
// (Linux starts CPU1 through PSCI, not through OCM.)
void setup_trustzone(Report* out) {
  reg(zynq::kTzDdrRam) = tz_ddr_ns_mask();
  reg(zynq::kTzOcmRam0) = 0xFFFFFFFFu;
  reg(zynq::kTzOcmRam1) = 0x7FFFFFFFu;  // page 63 (0xFFFFF000) secure
  reg(zynq::kTzDmaNs) = 1;
  reg(zynq::kTzDmaIrqNs) = 0xFFFFu;
  reg(zynq::kTzDmaPeriphNs) = 0xFu;
  reg(zynq::kTzGem) = 0x3;
  reg(zynq::kTzSdio) = 0x3;
  reg(zynq::kTzUsb) = 0x3;
  reg(zynq::kTzFpgaM) = 0x3;
  reg(zynq::kTzFpgaAfi) = 0xF;
  out->tz_ddr_readback = reg(zynq::kTzDdrRam);
  out->tz_ocm0_readback = reg(zynq::kTzOcmRam0);
}

// PL310: its control, auxiliary and latency registers are secure-only, so a
// non-secure Linux finds it enabled (and then leaves it alone) or not at all.
void setup_l2(Report* out) {
  const uint32_t base = zynq::kL2cBase;
  out->l2_enabled_here = false;
  out->l2_settled = true;
  if (reg(base + zynq::kL2cCtrl) & 1u) return;
  reg(zynq::kL2cRam) = zynq::kL2cRamValue;  // SLCR still unlocked here
  reg(base + zynq::kL2cTagLat) = 0x111;      // Xilinx-recommended latencies
  reg(base + zynq::kL2cDataLat) = 0x121;
  reg(base + zynq::kL2cInvWay) = 0xFF;
  uint32_t spins = 1000000;
  while ((reg(base + zynq::kL2cInvWay) & 0xFF) && --spins) {
  }
  if (!spins) {
    out->l2_settled = false;  // leave it off rather than enable stale ways
    return;
  }
  reg(base + zynq::kL2cSync) = 0;
  reg(base + zynq::kL2cCtrl) = 1;
  out->l2_enabled_here = true;
}

void setup_gic_distributor(Report* out) {
  const uint32_t d = zynq::kGicdBase;
  reg(d + zynq::kGicdCtlr) = 0;
  const uint32_t lines = 32 * ((reg(d + zynq::kGicdTyper) & 0x1F) + 1);
  out->gic_lines = lines;
  for (uint32_t i = 1; i < lines / 32; ++i)  // word 0 is banked per CPU
    reg(d + zynq::kGicdIgroupr + 4 * i) = 0xFFFFFFFFu;
  for (uint32_t irq : kSecureIrqs) {
    const uint32_t word = zynq::kGicdIgroupr + 4 * (irq / 32);
    reg(d + word) = reg(d + word) & ~(1u << (irq % 32));
    // Disabled until a secure driver wants them; secure-range priority.
    reg(d + zynq::kGicdIcenabler + 4 * (irq / 32)) = 1u << (irq % 32);
    volatile uint8_t* prio = reinterpret_cast<volatile uint8_t*>(
        static_cast<uintptr_t>(d + zynq::kGicdIpriorityr + irq));
    *prio = 0x40;
    volatile uint8_t* target = reinterpret_cast<volatile uint8_t*>(
        static_cast<uintptr_t>(d + zynq::kGicdItargetsr + irq));
    *target = 0x01;
  }
  reg(d + zynq::kGicdCtlr) = 0x3;  // enable group 0 and group 1
}

// TTC1 belongs to the secure world: stopped and silent whatever the boot
// ROM or FSBL left running, until secure_clock.cc programs counter 0.
void quiesce_secure_timer() {
  for (uint32_t t = 0; t < PLAT_SECURE_TTC_NR_IRQS; ++t) {
    reg(PLAT_SECURE_TTC_BASE + zynq::kTtcIntEn0 + 4 * t) = 0;
    reg(PLAT_SECURE_TTC_BASE + zynq::kTtcCounterCtrl0 + 4 * t) =
        zynq::kTtcCounterDisable;
  }
}

}  // namespace

void init_console_clocks() { (void)rearm_console_clocks(); }

uint32_t rearm_console_clocks() {
  const uint32_t aper = reg(zynq::kAperClkCtrl);
  const uint32_t ref = reg(zynq::kUartClkCtrl);
  const uint32_t rst = reg(zynq::kUartRstCtrl);
  uint32_t fixed = 0;
  if (!(aper & zynq::kAperClkUart0)) fixed |= kFixAperClock;
  if (!(ref & zynq::kUartClkAct0)) fixed |= kFixRefClock;
  if (rst & zynq::kUartRst0) fixed |= kFixReset;
  if (!fixed) return 0;
  const bool was_locked = reg(zynq::kSlcrLocksta) & zynq::kSlcrLockstaLocked;
  slcr_unlock();
  // Clocks before reset release: a block leaves reset only while clocked.
  if (fixed & kFixAperClock) reg(zynq::kAperClkCtrl) = aper | zynq::kAperClkUart0;
  if (fixed & kFixRefClock) reg(zynq::kUartClkCtrl) = ref | zynq::kUartClkAct0;
  if (fixed & kFixReset) reg(zynq::kUartRstCtrl) = rst & ~zynq::kUartRst0;
  if (was_locked) slcr_lock();
  return fixed;
}

void init(Report* out) {
  *out = Report{};
  slcr_unlock();
  out->pll_programmed = setup_pll();
  setup_trustzone(out);
  setup_l2(out);
  slcr_lock();
  // The SCU keeps the L1s coherent once CPU1 runs: Linux enables it only
  // in its own SMP bring-up (mach-zynq), which PSCI replaces.
  if (!(reg(zynq::kScuCtrl) & zynq::kScuCtrlEnable)) {
    reg(zynq::kScuInvAll) = 0xFFFF;
    reg(zynq::kScuCtrl) = reg(zynq::kScuCtrl) | zynq::kScuCtrlEnable;
  }
  // Linux drives the SCU, its private timers and the global timer.
  reg(zynq::kScuSnsac) = zynq::kScuSnsacAll;
  setup_gic_distributor(out);
  quiesce_secure_timer();
}

void init_gic_cpu() {
  const uint32_t d = zynq::kGicdBase;
  // SGIs and PPIs (IGROUPR0, banked): Linux IPIs and the A9 timers; the
  // stop SGI is group 0 (secure) at a secure-range priority.
  reg(d + zynq::kGicdIgroupr) = ~(1u << kStopSgi);
  volatile uint8_t* prio = reinterpret_cast<volatile uint8_t*>(
      static_cast<uintptr_t>(d + zynq::kGicdIpriorityr + kStopSgi));
  *prio = 0x40;
  reg(d + zynq::kGicdIsenabler) = 1u << kStopSgi;
  reg(zynq::kGiccBase + zynq::kGiccPmr) = 0xFF;
  reg(zynq::kGiccBase + zynq::kGiccCtlr) = zynq::kGiccCtlrEnableGrp0 |
                                           zynq::kGiccCtlrEnableGrp1 |
                                           zynq::kGiccCtlrFiqEn;
}

void system_reset() {
  slcr_unlock();
  reg(zynq::kPssRstCtrl) = zynq::kPssRstSoft;
  for (;;) asm volatile("wfi");
}

void enable_secure_irq(uint32_t id) {
  reg(zynq::kGicdBase + zynq::kGicdIsenabler + 4 * (id / 32)) = 1u << (id % 32);
}

}  // namespace board
