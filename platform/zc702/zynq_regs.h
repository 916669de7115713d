// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// zynq_regs.h - Zynq-7000 register addresses and bits the secure world
// programs (UG585 appendix B; Cortex-A9 MPCore TRM; GIC v1 / PL390; PL310).
#ifndef TZUCON_PLATFORM_ZC702_ZYNQ_REGS_H
#define TZUCON_PLATFORM_ZC702_ZYNQ_REGS_H

#include <stdint.h>

namespace zynq {

// --- SLCR (system level control registers) ---------------------------
constexpr uint32_t kSlcrBase = 0xF8000000u;
constexpr uint32_t kSlcrLock = kSlcrBase + 0x004;
constexpr uint32_t kSlcrUnlock = kSlcrBase + 0x008;
constexpr uint32_t kSlcrLockKey = 0x767B;
constexpr uint32_t kSlcrUnlockKey = 0xDF0D;
// SLCR_LOCKSTA bit 0: 1 = locked. Linux unlocks the SLCR once at boot
// (arch/arm/mach-zynq/slcr.c) and never locks it again, so the secure
// world must leave the lock the way it found it.
constexpr uint32_t kSlcrLocksta = kSlcrBase + 0x00C;
constexpr uint32_t kSlcrLockstaLocked = 1u << 0;
constexpr uint32_t kArmPllCtrl = kSlcrBase + 0x100;
// Power-on value of ARM_PLL_CTRL (FDIV 26, bypass-qualified). Any FSBL
// (ps7_init) changes it; only then do we leave the PLL alone.
constexpr uint32_t kArmPllCtrlReset = 0x0001A008u;
// What QEMU's own zynq boot code writes for -kernel boots (FDIV 20).
constexpr uint32_t kArmPllCtrlBoot = 0x00014008u;
constexpr uint32_t kAperClkCtrl = kSlcrBase + 0x12C;
// APER_CLK_CTRL: UART0_CPU_1XCLKACT, the AMBA (register interface) clock.
// Linux's clk driver calls it "uart0_aper" and gates it when unused.
constexpr uint32_t kAperClkUart0 = 1u << 20;
// UART_CLK_CTRL: the reference clock of both UARTs. CLKACT0/1 gate each
// UART; SRCSEL and DIVISOR are shared by UART0 and UART1 (Linux's ttyPS0).
constexpr uint32_t kUartClkCtrl = kSlcrBase + 0x154;
constexpr uint32_t kUartClkAct0 = 1u << 0;
constexpr uint32_t kUartClkAct1 = 1u << 1;
constexpr uint32_t kUartClkSrcselMask = 0x3u << 4;    // 0,1 IO PLL; 2 ARM; 3 DDR
constexpr uint32_t kUartClkDivisorMask = 0x3Fu << 8;  // 0 = bypass (QEMU, Linux)
// PSS_RST_CTRL bit 0: soft reset of the whole PS (QEMU: a system reset,
// which -no-reboot turns into an exit).
constexpr uint32_t kPssRstCtrl = kSlcrBase + 0x200;
constexpr uint32_t kPssRstSoft = 1u << 0;
constexpr uint32_t kUartRstCtrl = kSlcrBase + 0x228;
constexpr uint32_t kUartRst0 = (1u << 0) | (1u << 2);  // UART0 AMBA + ref
// TrustZone partitioning. In all of them a set bit means non-secure.
constexpr uint32_t kTzOcmRam0 = kSlcrBase + 0x400;  // OCM 4 KiB pages 0..31
constexpr uint32_t kTzOcmRam1 = kSlcrBase + 0x404;  // OCM 4 KiB pages 32..63
constexpr uint32_t kTzDdrRam = kSlcrBase + 0x430;   // DDR, 64 MiB per bit
constexpr uint32_t kTzDmaNs = kSlcrBase + 0x440;    // DMAC manager thread
constexpr uint32_t kTzDmaIrqNs = kSlcrBase + 0x444;
constexpr uint32_t kTzDmaPeriphNs = kSlcrBase + 0x448;
constexpr uint32_t kTzGem = kSlcrBase + 0x450;      // GEM0/1 as bus masters
constexpr uint32_t kTzSdio = kSlcrBase + 0x454;     // SDIO0/1 as masters
constexpr uint32_t kTzUsb = kSlcrBase + 0x458;      // USB0/1 as masters
constexpr uint32_t kTzFpgaM = kSlcrBase + 0x484;    // PL masters (M_AXI_GP)
constexpr uint32_t kTzFpgaAfi = kSlcrBase + 0x488;  // PL HP ports (AFI0..3)
constexpr uint32_t kL2cRam = kSlcrBase + 0xA1C;     // must be set before L2 on
constexpr uint32_t kL2cRamValue = 0x00020202u;

// --- Cortex-A9 MPCore private region ---------------------------------
constexpr uint32_t kMpcoreBase = 0xF8F00000u;
constexpr uint32_t kScuCtrl = kMpcoreBase + 0x00;
constexpr uint32_t kScuInvAll = kMpcoreBase + 0x0C;  // invalidate tags (secure)
constexpr uint32_t kScuCtrlEnable = 1u << 0;
constexpr uint32_t kScuSnsac = kMpcoreBase + 0x54;  // SCU non-secure access
// NS access for CPUs 0..3 to SCU regs [3:0], private timers [7:4],
// global timer [11:8]: Linux (non-secure) uses all three.
constexpr uint32_t kScuSnsacAll = 0x00000FFFu;
constexpr uint32_t kGiccBase = kMpcoreBase + 0x100;
constexpr uint32_t kGicdBase = kMpcoreBase + 0x1000;
constexpr uint32_t kL2cBase = 0xF8F02000u;  // PL310

// GIC distributor / CPU interface (offsets)
constexpr uint32_t kGicdCtlr = 0x000;
constexpr uint32_t kGicdTyper = 0x004;
constexpr uint32_t kGicdIgroupr = 0x080;
constexpr uint32_t kGicdIsenabler = 0x100;
constexpr uint32_t kGicdIcenabler = 0x180;
constexpr uint32_t kGicdIpriorityr = 0x400;
constexpr uint32_t kGicdItargetsr = 0x800;
constexpr uint32_t kGicdSgir = 0xF00;  // [23:16] targets, [15] NSATT, [3:0] id
constexpr uint32_t kGiccCtlr = 0x000;
constexpr uint32_t kGiccPmr = 0x004;
constexpr uint32_t kGiccIar = 0x00C;
constexpr uint32_t kGiccEoir = 0x010;
// Secure GICC_CTLR: enable both groups, signal group 0 as FIQ.
constexpr uint32_t kGiccCtlrEnableGrp0 = 1u << 0;
constexpr uint32_t kGiccCtlrEnableGrp1 = 1u << 1;
constexpr uint32_t kGiccCtlrFiqEn = 1u << 3;

// PL310 L2 cache controller (offsets)
constexpr uint32_t kL2cCtrl = 0x100;
constexpr uint32_t kL2cAux = 0x104;
constexpr uint32_t kL2cTagLat = 0x108;
constexpr uint32_t kL2cDataLat = 0x10C;
constexpr uint32_t kL2cInvWay = 0x77C;
constexpr uint32_t kL2cSync = 0x730;
constexpr uint32_t kL2cCleanInvPa = 0x7F0;  // clean+invalidate line by PA

// Cadence UART (offsets)
constexpr uint32_t kUartCr = 0x00;
constexpr uint32_t kUartMr = 0x04;
constexpr uint32_t kUartIdr = 0x0C;
constexpr uint32_t kUartBaudGen = 0x18;
constexpr uint32_t kUartSr = 0x2C;
constexpr uint32_t kUartFifo = 0x30;
constexpr uint32_t kUartBaudDiv = 0x34;
constexpr uint32_t kUartCrRxRst = 1u << 0;
constexpr uint32_t kUartCrTxRst = 1u << 1;
constexpr uint32_t kUartCrRxEn = 1u << 2;
constexpr uint32_t kUartCrTxEn = 1u << 4;
constexpr uint32_t kUartCrTxDis = 1u << 5;
constexpr uint32_t kUartMr8N1 = 0x20;  // 8 data bits, no parity, 1 stop
constexpr uint32_t kUartMrChmodeMask = 0x3u << 8;  // 0 = normal (not loopback)
constexpr uint32_t kUartSrTxFull = 1u << 4;
constexpr uint32_t kUartSrTxEmpty = 1u << 3;

// Cadence TTC (offsets of timer 0; timers 1, 2 at +4, +8). UG585 ch. 8.5;
// QEMU hw/timer/cadence_ttc.c (build/QEMU-FACTS.md Q3).
constexpr uint32_t kTtcClkCtrl0 = 0x00;      // bit 0 PS_EN, bits 4:1 PS_V
constexpr uint32_t kTtcCounterCtrl0 = 0x0C;
constexpr uint32_t kTtcCounterValue0 = 0x18;  // 16-bit, read-only
constexpr uint32_t kTtcInterval0 = 0x24;      // 16-bit
constexpr uint32_t kTtcIsr0 = 0x54;           // clear-on-read
constexpr uint32_t kTtcIntEn0 = 0x60;
constexpr uint32_t kTtcCounterDisable = 1u << 0;
constexpr uint32_t kTtcCounterInterval = 1u << 1;  // count to INTERVAL, wrap
constexpr uint32_t kTtcCounterReset = 1u << 4;     // self-clearing restart
constexpr uint32_t kTtcIntInterval = 1u << 0;      // IV: the interval wrapped
// Prescaler: divide by 2^(PS_V + 1) when PS_EN.
constexpr uint32_t kTtcClkPrescale32 = (4u << 1) | 1u;

inline volatile uint32_t& reg(uint32_t addr) {
  return *reinterpret_cast<volatile uint32_t*>(static_cast<uintptr_t>(addr));
}

}  // namespace zynq

#endif  // TZUCON_PLATFORM_ZC702_ZYNQ_REGS_H
