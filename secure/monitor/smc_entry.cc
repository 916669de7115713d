// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// smc_entry.cc - C++ side of the world switch: hands the saved normal-world
// registers to the dispatcher and puts its results back (r0-r3 only); the
// secure timer's FIQ (a measurement tick) and the timer check every SMC
// entry makes (which also counts the ticks that SMCs keep from the FIQ).
// PSCI calls go to psci.h, outside the lock below.
//
// Both CPUs run the secure world at the same time: each on its own monitor
// stack and NsContext, DECIDE from its own slot. The dispatcher, the engine,
// the staging buffers, the measurement and the secure clock are shared and
// not reentrant, so every SMC (but PSCI) and the measurement FIQ run them
// under g_secure_lock. On one CPU the SMC and FIQ paths cannot interleave
// (the FIQ is taken only from the normal world: the secure world never
// unmasks F, and Monitor mode is entered with F masked); across CPUs the
// lock orders them. Lock order: g_secure_lock, then the console's.
#include "console.h"
#include "cpu.h"
#include "memmap.h"
#include "psci_platform.h"
#include "runtime.h"
#include "secure_clock.h"
#include "zynq_regs.h"

namespace monitor {

SpinLock g_secure_lock;

NsContext* ns_context(uint32_t cpu) {
  return reinterpret_cast<NsContext*>(monitor_cpu_area +
                                      cpu * CPU_AREA_SIZE + CPU_CTX_OFF);
}

namespace {

// After the normal world reprogrammed or silenced the timer, every SMC
// entry may also measure one chunk, at most one per tick period of the
// secure clock (or per kFallbackSmcs entries while that clock stands still
// because the timer keeps being stopped): a bound on what the fallback
// costs the normal world, whatever its SMC rate.
constexpr uint32_t kFallbackSmcs = 256;
// The CPU the secure timer's FIQ goes to (board.cc: ITARGETSR = CPU0); only
// it reads the timer at SMC entry (secure_clock.h, count_smc()).
constexpr uint32_t kTimerCpu = 0;
bool g_fallback = false;
uint64_t g_fallback_last_us = 0;
uint32_t g_fallback_smcs = 0;

void check_timer(uint32_t cpu) {
  const uint32_t res = cpu == kTimerCpu ? secure_clock::check_on_smc()
                                        : secure_clock::count_smc();
  const uint32_t bad = res & (secure_clock::kTampered | secure_clock::kSilent);
  if (bad) {
    g_dispatcher.integrity_degrade(TZU_IS_TIMER_TAMPERED);
    g_dispatcher.integrity_note(TZU_IS_SMC_FALLBACK);
    secure_clock::rearm();
    if (!g_fallback)
      console::printf(
          "[tzucon] integrity: secure timer %s by the normal world: re-armed, "
          "measuring on SMC entries too\n",
          bad & secure_clock::kTampered ? "reprogrammed" : "silenced");
    g_fallback = true;
  }
  const uint64_t now = secure_clock::now_us();
  // The check restarted the counter: a period completed here is a tick
  // (with frequent SMCs, every tick is counted here, not by the FIQ).
  if (!g_fallback) {
    if (res & secure_clock::kTick) g_dispatcher.integrity_tick(now);
    return;
  }
  if (now - g_fallback_last_us < secure_clock::period_us() &&
      ++g_fallback_smcs < kFallbackSmcs)
    return;
  g_fallback_last_us = now;
  g_fallback_smcs = 0;
  g_dispatcher.integrity_tick(now);
}

}  // namespace
}  // namespace monitor

extern "C" void monitor_smc_handler(monitor::NsContext* ctx) {
  ctx->in_smc = CTX_IN_SMC_CALL;
  monitor::SmcArgs a;
  for (uint32_t i = 0; i < 8; ++i) a.r[i] = ctx->r[i];
#ifdef TZUCON_FAULT_INJECT
  // Test builds only (-DTZUCON_FAULT_INJECT=ON): a real secure undefined-
  // instruction exception, to exercise the fault path and the FAILED state.
  if (a.r[0] == TZUCON_FAULT_INJECT_FID) {
#ifdef __thumb__
    asm volatile(".inst.w 0xf7f0a000");  // UDF.W #0
#else
    asm volatile(".inst 0xe7f000f0");  // UDF #0
#endif
  }
#endif
  const uint32_t cpu_id = cpu::current_cpu();
  if (psci::is_psci_fid(a.r[0])) {
    // Not under g_secure_lock: CPU_OFF does not return (the CPU parks), and
    // PSCI has its own lock.
    const monitor::SmcResult res = monitor::g_psci.handle(a, cpu_id);
    for (uint32_t i = 0; i < 4; ++i) ctx->r[i] = res.r[i];
    ctx->in_smc = 0;
    return;
  }
  monitor::LockGuard guard(monitor::g_secure_lock);
  monitor::check_timer(cpu_id);
  const monitor::SmcResult res = monitor::g_dispatcher.handle(a, cpu_id);
  for (uint32_t i = 0; i < 4; ++i) ctx->r[i] = res.r[i];
  // The secure console records rejected yielding calls and the
  // security-relevant successful ones (policy load, mode change); a line
  // costs milliseconds of UART time on silicon, so not every call.
  const uint32_t fid = a.r[0];
  if (!(fid >> 31) &&
      (res.r[0] != TZU_OK || fid == TZU_SMC_YIELD(TZU_CMD_LOAD_POLICY) ||
       fid == TZU_SMC_YIELD(TZU_CMD_SET_MODE)))
    console::printf("[tzucon] yield fid=%08x status=%x len=%u\n", fid,
                    res.r[0], res.r[1]);
  ctx->in_smc = 0;
}

// A group 0 interrupt taken from the normal world (monitor_vectors.S saved
// its whole context, as for an SMC, and restores it unchanged).
extern "C" void monitor_fiq_handler(monitor::NsContext* ctx) {
  ctx->in_smc = CTX_IN_SMC_FIQ;
  const uint32_t iar = zynq::reg(zynq::kGiccBase + zynq::kGiccIar);
  const uint32_t id = iar & 0x3FF;
  if (id >= 1020) {  // spurious
    ctx->in_smc = 0;
    return;
  }
  if (id == PLAT_SECURE_TTC_IRQ0) {
    monitor::LockGuard guard(monitor::g_secure_lock);
    const bool tick = secure_clock::on_interrupt();  // drops the level
    zynq::reg(zynq::kGiccBase + zynq::kGiccEoir) = iar;
    if (tick) monitor::g_dispatcher.integrity_tick(secure_clock::now_us());
    ctx->in_smc = 0;
    return;
  }
  if (monitor::stop_sgi(id)) {  // SYSTEM_RESET/OFF from the other CPU
    zynq::reg(zynq::kGiccBase + zynq::kGiccEoir) = iar;
    park();
  }
  zynq::reg(zynq::kGicdBase + zynq::kGicdIcenabler + 4 * (id / 32)) =
      1u << (id % 32);
  zynq::reg(zynq::kGiccBase + zynq::kGiccEoir) = iar;
  console::printf("[tzucon] unexpected secure interrupt %u: masked\n", id);
  ctx->in_smc = 0;
}
