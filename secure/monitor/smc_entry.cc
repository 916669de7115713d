// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// smc_entry.cc - C++ side of the world switch: hands the saved normal-world
// registers to the dispatcher and puts its results back (r0-r3 only), and
// masks any secure interrupt that fired although none is enabled yet.
#include "console.h"
#include "cpu.h"
#include "runtime.h"
#include "zynq_regs.h"

namespace monitor {

NsContext* ns_context(uint32_t cpu) {
  return reinterpret_cast<NsContext*>(monitor_cpu_area +
                                      cpu * CPU_AREA_SIZE + CPU_CTX_OFF);
}

}  // namespace monitor

extern "C" void monitor_smc_handler(monitor::NsContext* ctx) {
  ctx->in_smc = 1;
  monitor::SmcArgs a;
  for (uint32_t i = 0; i < 8; ++i) a.r[i] = ctx->r[i];
#ifdef TZUCON_FAULT_INJECT
  // Test builds only (-DTZUCON_FAULT_INJECT=ON): a real secure undefined-
  // instruction exception, to exercise the fault path and the FAILED state.
  if (a.r[0] == TZUCON_FAULT_INJECT_FID) asm volatile(".inst 0xe7f000f0");
#endif
  const monitor::SmcResult res =
      monitor::g_dispatcher.handle(a, cpu::current_cpu());
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

extern "C" void monitor_fiq_handler() {
  const uint32_t iar = zynq::reg(zynq::kGiccBase + zynq::kGiccIar);
  const uint32_t id = iar & 0x3FF;
  if (id >= 1020) return;  // spurious
  zynq::reg(zynq::kGicdBase + zynq::kGicdIcenabler + 4 * (id / 32)) =
      1u << (id % 32);
  zynq::reg(zynq::kGiccBase + zynq::kGiccEoir) = iar;
  console::printf("[tzucon] unexpected secure interrupt %u: masked\n", id);
}
