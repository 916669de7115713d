// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// main.cc - secure boot flow on the boot CPU: console, board, CPU security
// state, MMU, engine and dispatcher, then Linux (or a test payload) in the
// normal world. Any failure stops here: the normal world never runs without
// a working secure world.
#include "authority.h"
#include "blob_format.h"
#include "board.h"
#include "boot_info.h"
#include "console.h"
#include "cpu.h"
#include "crypto.h"
#include "device_secret.h"
#include "ed25519.h"
#include "engine.h"
#include "flash_store.h"
#include "memmap.h"
#include "mmu.h"
#include "persist.h"
#include "policy.h"
#include "runtime.h"

#include <string.h>

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

// The image's boot policy (boot_policy.S, compiled and signed at image
// build from policies/boot.json): in force from the first decision.
extern "C" const uint8_t tzucon_boot_policy[];
extern "C" const uint8_t tzucon_boot_policy_end[];

Authority g_authority;

// Cortex-A9 global timer (MPCore private region): counter low/high words,
// control (bit 0 enables it). Started first thing at boot, read when the
// authority starts: the time in between varies with the host's timing.
volatile uint32_t* const kGlobalTimer = reinterpret_cast<volatile uint32_t*>(0xF8F00200u);

void start_entropy_timer() { kGlobalTimer[2] |= 1u; }

// The nonce is unique per boot through the persistent boot counter; this
// only adds unpredictability. The Zynq-7000 PS has no TRNG: on the emulator
// (deterministic with -icount) it adds little (docs/threat-model.md).
uint64_t boot_entropy() {
  const uint32_t lo = kGlobalTimer[0];
  return (static_cast<uint64_t>(kGlobalTimer[1]) << 32) | lo;
}

void log_event(uint32_t kind, uint32_t status, uint64_t arg) {
  console::printf("[tzucon] audit: kind %x status %u arg %u\n", kind, status,
                  static_cast<uint32_t>(arg));
}

void log_report(const uint8_t nonce[TZU_NONCE_LEN]) {
  console::printf("[tzucon] report nonce=");
  for (uint32_t i = 0; i < TZU_NONCE_LEN; ++i) console::printf("%02x", nonce[i]);
  console::printf("\n");
}

void init_authority() {
  DeviceKeys keys;
  memcpy(keys.policy_pub, kPolicyPublicKey, sizeof(keys.policy_pub));
  memcpy(keys.admin_pub, kAdminPublicKey, sizeof(keys.admin_pub));
  derive_device_keys(kDeviceSecret, &keys);
  g_authority.init(keys, persistent_store(), *boot_state(),
                   boot_storage_state(), boot_entropy());
  const uint8_t* id = g_authority.device_id();
  console::printf(
      "[tzucon] authority: device id %02x%02x%02x%02x%02x%02x%02x%02x..., "
      "boot %u, admin counter %u, rollback floor %u\n",
      id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7],
      static_cast<uint32_t>(g_authority.boot_counter()),
      static_cast<uint32_t>(g_authority.admin_counter()),
      g_authority.floor().version);
}

// PMU cycle counter: under QEMU -icount shift=0 one count is one guest
// instruction (docs/performance/secure-world.md), otherwise host-timed.
uint32_t pmu_now() {
  cpu::write_pmcr(cpu::read_pmcr() | 1u);  // PMCR.E
  cpu::write_pmcntenset(1u << 31);         // PMCCNTR
  return cpu::read_pmccntr();
}

void load_boot_policy() {
  const size_t len = static_cast<size_t>(tzucon_boot_policy_end - tzucon_boot_policy);
  // Cost of one Ed25519 verification here, for docs/performance.md.
  const uint32_t t0 = pmu_now();
  const bool sig_ok = len > ucon::kBlobSigLen &&
      ucon::ed25519_verify(kPolicyPublicKey, tzucon_boot_policy, len - ucon::kBlobSigLen,
                           tzucon_boot_policy + len - ucon::kBlobSigLen);
  const uint32_t t1 = pmu_now();
  ucon::LoadResult res;
  const ucon::Status s = g_engine.stage_policy(tzucon_boot_policy, len, true, &res);
  if (!sig_ok || s != ucon::Status::kOk) panic("boot policy rejected");
  g_engine.commit_policy(&res);
  g_engine.set_floor(g_authority.floor());
  console::printf(
      "[tzucon] boot policy: version %u, %u rules, mask %08x, %u bytes; "
      "ed25519 verify %u cycles\n",
      res.policy_version, res.n_rules, res.interest_mask,
      static_cast<uint32_t>(len), t1 - t0);
}

void init_engine() {
  ucon::EngineConfig cfg;
  cfg.max_blob_bytes = kMaxBlob;
  const size_t need = ucon::Engine::arena_bytes(cfg);
  if (need > PLAT_ENGINE_ARENA_SIZE) panic("engine arena too small");
  void* arena = reinterpret_cast<void*>(uintptr_t{PLAT_ENGINE_ARENA_BASE});
  init_authority();
  if (g_engine.init(arena, PLAT_ENGINE_ARENA_SIZE, cfg, kPolicyPublicKey,
                    g_authority.device_id()) != ucon::Status::kOk)
    panic("engine init failed");
  console::printf("[tzucon] engine: arena %u KiB at %08x (needs %u KiB)\n",
                  PLAT_ENGINE_ARENA_SIZE >> 10, PLAT_ENGINE_ARENA_BASE,
                  static_cast<uint32_t>(need >> 10));
  load_boot_policy();

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
  d.authority = &g_authority;
  d.log_event = log_event;
  d.log_report = log_report;
  if (g_dispatcher.init(d) != ucon::Status::kOk) panic("dispatcher init");
}

// The boot's first audit records, and what the boot policy says about a
// kernel command line that weakens tz_hooks: refuse to boot, or boot with
// integrity_state violated (a secure-written attribute: only this code and
// the secure world's measurements set it).
void start_audit_chain(const BootInfo& bi) {
  BootFacts f;
  memcpy(f.cmdline_sha256, bi.cmdline_sha256, sizeof(f.cmdline_sha256));
  f.cmdline_weak = bi.cmdline_weak || !bi.dtb_ok;
  g_dispatcher.set_boot_facts(f);
  g_dispatcher.record(TZU_AUDIT_BOOT, ucon::Status::kOk, 0, 0,
                      g_authority.boot_counter(), bi.cmdline_sha256);
  g_dispatcher.record(TZU_AUDIT_STORAGE,
                      g_authority.storage_usable() ? ucon::Status::kOk
                                                   : ucon::Status::kStorage,
                      0, 0, g_authority.storage_state(), nullptr);
  if (!f.cmdline_weak) return;
  if (g_engine.policy()->header().flags & ucon::kPolicyRefuseWeakBoot)
    panic("kernel command line weakens tz_hooks: boot refused by policy");
  static const char kAttr[] = "integrity_state";
  ucon::Revocations rev;
  const ucon::Status s = g_engine.set_secure_attr(
      kAttr, sizeof(kAttr) - 1, TZU_INTEGRITY_VIOLATED, &rev);
  g_dispatcher.record(TZU_AUDIT_INTEGRITY, s, 0, 0, TZU_INTEGRITY_VIOLATED,
                      bi.cmdline_sha256);
}

}  // namespace
}  // namespace monitor

extern "C" void secure_main() {
  using monitor::panic;
  monitor::start_entropy_timer();
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
  // ---- boot info (1/2, boot_info.h): read the DTB Linux will be given,
  // through its read-only NS mapping (mmu.cc; the MMU must be on: with it
  // off, memory is Strongly-ordered and the compiler's unaligned accesses
  // fault). The normal world has not run yet. Printed before Linux starts.
  monitor::init_boot_info(
      reinterpret_cast<const uint8_t*>(uintptr_t{PLAT_NS_DTB_ADDR}),
      PLAT_NS_INITRD_ADDR - PLAT_NS_DTB_ADDR);
  // ---- end boot info (1/2)
  // ---- persistent state (persist.h): counted and saved before the engine
  // and the normal world start. A TAMPERED / UNAVAILABLE outcome is only
  // reported here; the engine reads it through boot_storage_state().
  static monitor::FlashStateStore flash_store(
      PLAT_SECURE_FLASH_BASE, PLAT_STATE_SLOT_A_OFF, PLAT_STATE_SLOT_B_OFF,
      monitor::kDeviceSecret);
  monitor::PersistentState boot_state;
  uint32_t storage_state = 0;
  monitor::persist_boot(&flash_store, &boot_state, &storage_state);
  console::printf("[tzucon] storage: %s, boot %u\n",
                  monitor::storage_state_name(storage_state),
                  static_cast<uint32_t>(boot_state.boot_counter));
  // ---- end persistent state
  monitor::init_engine();
  // ---- boot facts from the DTB handed to Linux (boot_info.h)
  monitor::start_audit_chain(monitor::boot_info());
  // ---- boot info (2/2)
  {
    const monitor::BootInfo& bi = monitor::boot_info();
    console::printf(
        "[tzucon] boot: cmdline sha256 %02x%02x%02x%02x\xe2\x80\xa6 (%u "
        "bytes), tz_hooks %s%s\n",
        uint32_t{bi.cmdline_sha256[0]}, uint32_t{bi.cmdline_sha256[1]},
        uint32_t{bi.cmdline_sha256[2]}, uint32_t{bi.cmdline_sha256[3]},
        bi.cmdline_len, bi.cmdline_weak ? "WEAKENED: " : "intact",
        bi.cmdline_weak ? bi.reason : "");
  }
  // ---- end boot info (2/2)
  console::printf(
      "[tzucon] normal world: entry %08x dtb %08x, NS SVC, SCR=%08x\n",
      PLAT_NS_KERNEL_ADDR, PLAT_NS_DTB_ADDR, SCR_NORMAL_WORLD);
  console::flush();
  enter_normal_world(PLAT_NS_KERNEL_ADDR, PLAT_NS_DTB_ADDR);
}
