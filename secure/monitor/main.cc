// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// main.cc - secure boot flow on the boot CPU: console, board, CPU security
// state, MMU, engine and dispatcher, then Linux (or a test payload) in the
// normal world. Any failure stops here: the normal world never runs without
// a working secure world.
#include "authority.h"
#include "blob_format.h"
#include "board.h"
#include "boot_info.h"
#include "compare.h"
#include "console.h"
#include "cpu.h"
#include "crypto.h"
#include "device_secret.h"
#include "ed25519.h"
#include "engine.h"
#include "flash_store.h"
#include "kernel_integrity.h"
#include "memmap.h"
#include "mmu.h"
#include "persist.h"
#include "policy.h"
#include "psci_platform.h"
#include "runtime.h"
#include "secure_clock.h"
#include "spinlock.h"

#include <string.h>

namespace monitor {

Dispatcher g_dispatcher;

namespace {

ucon::Engine g_engine;
integrity::KernelIntegrity g_integrity;

uint64_t secure_now_us() { return secure_clock::now_us(); }

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
  d.integrity = &g_integrity;
  d.now_us = secure_now_us;
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
  // Through the integrity object, which tells the engine and the audit
  // chain (IntegritySink) and keeps the state sticky.
  g_integrity.set_violated(0);
}

// 64 KiB of the image (text, then rodata) as the sample.
extern "C" const uint8_t __text_start[], __rodata_end[];

// One-time figures for docs/performance.md: a word compare against a secure
// copy versus SHA-256 over the same bytes (what re-measuring costs either
// way). Uses the baseline area before anything is stored there.
void integrity_benchmark() {
  uint32_t n = static_cast<uint32_t>(__rodata_end - __text_start);
  if (n > (64u << 10)) n = 64u << 10;
  n &= ~63u;
  uint8_t* copy = reinterpret_cast<uint8_t*>(uintptr_t{PLAT_INTEGRITY_COPY_BASE});
  memcpy(copy, __text_start, n);
  // Each runs twice and the second run counts: under QEMU the first one
  // also pays for translating the code.
  size_t at = 0;
  uint32_t compare = 0, hash = 0;
  uint8_t digest[32];
  for (int run = 0; run < 2; ++run) {
    uint32_t t0 = pmu_now();
    at = integrity::first_diff_word(__text_start, copy, n / 4);
    compare = pmu_now() - t0;
    t0 = pmu_now();
    ucon::sha256(__text_start, n, digest);
    hash = pmu_now() - t0;
  }
  memset(copy, 0, n);
  console::printf(
      "[tzucon] integrity: compare %u bytes in %u cycles, sha256 %u bytes in "
      "%u cycles%s\n",
      n, compare, n, hash, at == n / 4 ? "" : " (compare FAILED)");
}

// The measurement object: normal-world DDR through the secure table's
// read-only NS alias (mmu.h), minus the shared window and the carve-out;
// the baseline in the carve-out; the secure timer's period.
void init_integrity() {
  integrity::Config c;
  c.ns.base = reinterpret_cast<const uint8_t*>(uintptr_t{mmu::kNsAliasBase});
  c.ns.pa_base = PLAT_DDR_BASE;
  c.ns.size = PLAT_DDR_SIZE;
  c.ns.hole_base = PLAT_SHM_BASE;
  c.ns.hole_size = PLAT_SECURE_BASE + PLAT_SECURE_SIZE - PLAT_SHM_BASE;
  c.copy = reinterpret_cast<uint8_t*>(uintptr_t{PLAT_INTEGRITY_COPY_BASE});
  c.copy_cap = PLAT_INTEGRITY_COPY_SIZE;
  // One pass over the 5.3 MB the manifest names takes 37 ticks (~0.37 s)
  // at 144 KiB a tick: the 0.5 s worst-case detection target with margin.
  // One tick costs ~97k instructions with compare_arm.S, under 1 % of a
  // 1 GIPS core (docs/performance/integrity.md). The heartbeat may be
  // 350 ms late: 7 periods of 50 ms.
  c.period_us = PLAT_INTEGRITY_TICK_US;
  c.chunk_bytes = 144u << 10;
  c.heartbeat_timeout_ms = 350;
  integrity_benchmark();
  if (g_integrity.init(c, g_dispatcher.integrity_sink()) != ucon::Status::kOk)
    panic("integrity init");
  secure_clock::init(PLAT_INTEGRITY_TICK_US);
}

// The signed kernel manifest Linux's loader put at PLAT_NS_MANIFEST_ADDR,
// read once before the normal world runs (afterwards Linux owns the page).
void load_kernel_manifest() {
  const uint8_t* m = reinterpret_cast<const uint8_t*>(
      uintptr_t{mmu::kNsAliasBase + PLAT_NS_MANIFEST_ADDR});
  tzu_kmanifest_hdr h;
  memcpy(&h, m, sizeof(h));
  const ucon::Status s = g_integrity.load_manifest(
      m, PLAT_NS_MANIFEST_MAX, kPolicyPublicKey, secure_clock::now_us());
  tzu_integrity_status st{};
  g_integrity.status(&st, nullptr, 0, 0);
  g_dispatcher.record(TZU_AUDIT_MANIFEST, s, 0, 0, h.magic ? h.size : 0,
                      st.manifest_sha256);
  console::printf(
      "[tzucon] integrity: manifest %s (%u bytes), state %u, sha256 "
      "%02x%02x%02x%02x\xe2\x80\xa6, tick %u us, %u KiB per tick\n",
      s == ucon::Status::kOk         ? "verified"
      : s == ucon::Status::kNotFound ? "absent"
                                     : ucon::status_name(s),
      h.magic ? h.size : 0u, g_integrity.state(),
      uint32_t{st.manifest_sha256[0]}, uint32_t{st.manifest_sha256[1]},
      uint32_t{st.manifest_sha256[2]}, uint32_t{st.manifest_sha256[3]},
      static_cast<uint32_t>(PLAT_INTEGRITY_TICK_US), 128u);
}

// CPU1 waits in the secure world from the start (start.S); the boot CPU
// points the board's boot ROM at the image and waits a bounded time for it.
void start_psci() {
  init_psci();
  release_boot_rom();
  const uint32_t n = wait_secondaries(200000);
  console::printf(
      "[tzucon] psci: PSCI 1.1, %u of %u secondary CPUs waiting in the secure "
      "world; trusted OS on CPU0 (MIGRATE_INFO_TYPE 1)\n",
      n, PLAT_NR_CPUS - 1u);
}

}  // namespace

void record_power_event(bool reset) {
  LockGuard g(g_secure_lock);
  if (g_dispatcher.failed()) return;  // a faulted engine is left alone
  uint8_t head[32];
  memcpy(head, g_engine.audit().head(), sizeof(head));
  g_dispatcher.record(reset ? TZU_AUDIT_SYSTEM_RESET : TZU_AUDIT_SYSTEM_OFF,
                      ucon::Status::kOk, 0, 0, g_dispatcher.decisions_served(),
                      head);
  console::printf(
      "[tzucon] psci: %s requested: %u decisions served, audit head "
      "%02x%02x%02x%02x\xe2\x80\xa6 recorded\n",
      reset ? "SYSTEM_RESET" : "SYSTEM_OFF",
      static_cast<uint32_t>(g_dispatcher.decisions_served()), uint32_t{head[0]},
      uint32_t{head[1]}, uint32_t{head[2]}, uint32_t{head[3]});
}

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
  monitor::init_integrity();
  monitor::start_psci();
  // ---- boot facts from the DTB handed to Linux (boot_info.h)
  monitor::start_audit_chain(monitor::boot_info());
  monitor::load_kernel_manifest();
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
  secure_clock::start();  // the first tick comes one period into Linux
  enter_normal_world(PLAT_NS_KERNEL_ADDR, 0, ~0u, PLAT_NS_DTB_ADDR);
}
