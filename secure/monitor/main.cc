// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// main.cc - secure boot flow on the boot CPU: console, board, CPU security
// state, MMU, engine and dispatcher, then Linux (or a test payload) in the
// normal world. Any failure stops here: the normal world never runs without
// a working secure world.
#include "board.h"
#include "console.h"
#include "cpu.h"
#include "crypto.h"
#include "engine.h"
#include "memmap.h"
#include "mmu.h"
#include "runtime.h"

namespace monitor {

Dispatcher g_dispatcher;

namespace {

ucon::Engine g_engine;

// Staging buffers: a request is copied here before it is parsed; a response
// is built here before it is copied out. The request buffer fits the
// largest LOAD_POLICY (header + the engine's blob limit).
constexpr uint32_t kMaxBlob = 256u << 10;
constexpr uint32_t kReqCap = sizeof(tzu_load_policy_req) + kMaxBlob;
constexpr uint32_t kRspCap =
    sizeof(tzu_read_audit_rsp) + 64 * sizeof(tzu_audit_record);
alignas(8) uint8_t g_req[kReqCap];
alignas(8) uint8_t g_rsp[kRspCap];

void setup_cpu_security() {
  // The normal world may use VFP/NEON and set ACTLR.SMP itself; nothing else.
  cpu::write_nsacr(cpu::kNsacrCp10 | cpu::kNsacrCp11 | cpu::kNsacrNsSmp);
}

void init_engine() {
  ucon::EngineConfig cfg;
  cfg.max_blob_bytes = kMaxBlob;
  const size_t need = ucon::Engine::arena_bytes(cfg);
  if (need > PLAT_ENGINE_ARENA_SIZE) panic("engine arena too small");
  void* arena = reinterpret_cast<void*>(uintptr_t{PLAT_ENGINE_ARENA_BASE});
  if (g_engine.init(arena, PLAT_ENGINE_ARENA_SIZE, cfg, kDeviceKey,
                    sizeof(kDeviceKey)) != ucon::Status::kOk)
    panic("engine init failed");
  uint8_t id[ucon::kSha256Len];
  ucon::sha256(kDeviceKey, sizeof(kDeviceKey), id);
  console::printf(
      "[tzucon] engine: arena %u KiB at %08x (needs %u KiB), device key id "
      "%02x%02x%02x%02x\n",
      PLAT_ENGINE_ARENA_SIZE >> 10, PLAT_ENGINE_ARENA_BASE,
      static_cast<uint32_t>(need >> 10), id[0], id[1], id[2], id[3]);

  DispatcherConfig d;
  d.engine = &g_engine;
  d.window = ShmWindow(reinterpret_cast<uint8_t*>(uintptr_t{PLAT_SHM_BASE}),
                       PLAT_SHM_SIZE);
  d.nr_slots = PLAT_NR_CPUS;
  d.req = g_req;
  d.req_cap = kReqCap;
  d.rsp = g_rsp;
  d.rsp_cap = kRspCap;
  d.ns_ram_base = PLAT_DDR_BASE;
  d.ns_ram_size = PLAT_DDR_SIZE;
  d.secure_base = PLAT_SECURE_BASE;
  d.secure_size = PLAT_SECURE_SIZE;
  if (g_dispatcher.init(d) != ucon::Status::kOk) panic("dispatcher init");
}

}  // namespace
}  // namespace monitor

extern "C" void secure_main() {
  using monitor::panic;
  board::init_console_clocks();
  console::init(PLAT_SECURE_UART_BASE, PLAT_UART_REF_HZ, PLAT_CONSOLE_BAUD);
  console::printf(
      "\n[tzucon] secure monitor (ABI %u, SMCCC rev %u.%u) on ZC702, CPU%u, "
      "cpsr=%08x\n",
      TZU_ABI_VERSION, TZU_REVISION_MAJOR, TZU_REVISION_MINOR,
      cpu::current_cpu(), cpu::read_cpsr());
  if ((cpu::read_cpsr() & 0x1F) != 0x13 || (cpu::read_scr() & 1))
    panic("not started in Secure SVC");

  board::Report rep;
  board::init(&rep);
  board::init_gic_cpu();
  console::printf(
      "[tzucon] board: ARM PLL %s, TZ_DDR_RAM=%08x (wrote %08x), "
      "TZ_OCM_RAM0=%08x, L2 %s, GIC %u lines, secure IRQs 59 69-71\n",
      rep.pll_programmed ? "set to QEMU boot value" : "left as found",
      rep.tz_ddr_readback, board::tz_ddr_ns_mask(), rep.tz_ocm0_readback,
      rep.l2_enabled_here ? "enabled"
                          : (rep.l2_settled ? "already on" : "did not settle"),
      rep.gic_lines);

  monitor::setup_cpu_security();
  mmu::enable();
  console::printf(
      "[tzucon] memory: secure %08x+%08x, shared window %08x+%08x (NS), "
      "MMU+caches on\n",
      PLAT_SECURE_BASE, PLAT_SECURE_SIZE, PLAT_SHM_BASE, PLAT_SHM_SIZE);
  monitor::init_engine();
  console::printf(
      "[tzucon] normal world: entry %08x dtb %08x, NS SVC, SCR=%08x\n",
      PLAT_NS_KERNEL_ADDR, PLAT_NS_DTB_ADDR, SCR_NORMAL_WORLD);
  console::flush();
  enter_normal_world(PLAT_NS_KERNEL_ADDR, PLAT_NS_DTB_ADDR);
}
