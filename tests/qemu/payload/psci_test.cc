// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// psci_test.cc - the payload's PSCI checks: every function id through
// PSCI_FEATURES, the normal world's bad arguments (MPIDR, entry address,
// affinity level), CPU0's Trusted OS residency, and CPU1 really started
// through CPU_ON: it runs payload code in NS SVC with the context id in r0,
// makes DECIDE calls from its own slot while CPU0 makes them from slot 0,
// turns itself off with CPU_OFF, and comes back on a second CPU_ON.
#include "psci_test.h"

#include "memmap.h"
#include "nw.h"

namespace {

using nw::check;
using nw::smc;

constexpr uint32_t kVersion = 0x84000000u;
constexpr uint32_t kCpuSuspend = 0x84000001u;
constexpr uint32_t kCpuOff = 0x84000002u;
constexpr uint32_t kCpuOn = 0x84000003u;
constexpr uint32_t kAffinityInfo = 0x84000004u;
constexpr uint32_t kMigrate = 0x84000005u;
constexpr uint32_t kMigrateInfoType = 0x84000006u;
constexpr uint32_t kMigrateInfoUpCpu = 0x84000007u;
constexpr uint32_t kSystemReset = 0x84000009u;
constexpr uint32_t kFeatures = 0x8400000Au;
constexpr uint32_t kCpuOn64 = 0xC4000003u;

constexpr uint32_t kNotSupported = 0xFFFFFFFFu;    // -1
constexpr uint32_t kInvalidParams = 0xFFFFFFFEu;   // -2
constexpr uint32_t kDenied = 0xFFFFFFFDu;          // -3
constexpr uint32_t kAlreadyOn = 0xFFFFFFFCu;       // -4
constexpr uint32_t kOnPending = 0xFFFFFFFBu;       // -5
constexpr uint32_t kInvalidAddress = 0xFFFFFFF7u;  // -9
constexpr uint32_t kOn = 0, kOff = 1;

constexpr uint32_t kCpu1Context = 0xC0FFEE01u;
constexpr uint32_t kDecides = 2000;

uint32_t entry_pa() {
  return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(&cpu1_entry));
}

// Each PSCI 1.1 id (and a few beyond) against what FEATURES must say.
void features() {
  const uint32_t implemented[] = {kVersion,         kCpuOff,     kCpuOn,
                                  kAffinityInfo,    kMigrateInfoType,
                                  kMigrateInfoUpCpu, 0x84000008u,
                                  kSystemReset,     kFeatures};
  bool ok = true;
  uint32_t bad = 0;
  for (uint32_t fid = 0x84000000u; fid <= 0x84000014u; ++fid) {
    bool impl = false;
    for (uint32_t f : implemented) impl |= f == fid;
    const uint32_t r = smc(kFeatures, fid).r[0];
    if (r != (impl ? 0u : kNotSupported)) {
      ok = false;
      bad = fid;
    }
  }
  check("PSCI_FEATURES: each 0x84000000..14 implemented or NOT_SUPPORTED", ok,
        bad, 0);
  check("PSCI_FEATURES(CPU_ON SMC64) NOT_SUPPORTED",
        smc(kFeatures, kCpuOn64).r[0] == kNotSupported);
  check("PSCI_FEATURES(SMCCC_VERSION) NOT_SUPPORTED (SMCCC 1.0)",
        smc(kFeatures, 0x80000000u).r[0] == kNotSupported);
  check("CPU_SUSPEND NOT_SUPPORTED", smc(kCpuSuspend, 0, 0, 0).r[0] == kNotSupported);
  check("MIGRATE NOT_SUPPORTED", smc(kMigrate, 1).r[0] == kNotSupported);
  check("SMC64 CPU_ON NOT_SUPPORTED",
        smc(kCpuOn64, 1, entry_pa(), 0).r[0] == kNotSupported);
}

void arguments() {
  nw::Regs r = smc(kVersion);
  check("PSCI_VERSION 1.1", r.r[0] == 0x00010001u, r.r[0], 0x00010001u);
  r = smc(kMigrateInfoType);
  check("MIGRATE_INFO_TYPE 1 (UP trusted OS, not migratable)", r.r[0] == 1,
        r.r[0], 1);
  r = smc(kMigrateInfoUpCpu);
  check("MIGRATE_INFO_UP_CPU = CPU0", r.r[0] == 0, r.r[0], 0);
  check("AFFINITY_INFO(CPU0) ON", smc(kAffinityInfo, 0, 0).r[0] == kOn);
  r = smc(kAffinityInfo, 1, 0);
  check("AFFINITY_INFO(CPU1) OFF before CPU_ON", r.r[0] == kOff, r.r[0], kOff);
  check("AFFINITY_INFO level 1 -> INVALID_PARAMETERS",
        smc(kAffinityInfo, 0, 1).r[0] == kInvalidParams);
  const uint32_t bad_mpidr[] = {2, 3, 0x100, 0x101, 0x10000, 0x80000001u,
                                0xFFFFFFFFu};
  bool ok = true;
  uint32_t bad = 0;
  for (uint32_t m : bad_mpidr) {
    if (smc(kCpuOn, m, entry_pa(), 0).r[0] != kInvalidParams ||
        smc(kAffinityInfo, m, 0).r[0] != kInvalidParams) {
      ok = false;
      bad = m;
    }
  }
  check("CPU_ON/AFFINITY_INFO bad MPIDR -> INVALID_PARAMETERS", ok, bad, 0);
  const uint32_t bad_entry[] = {
      PLAT_SECURE_BASE, PLAT_SECURE_BASE + 0x1000u, PLAT_SHM_BASE,
      PLAT_SHM_BASE + PLAT_SHM_SIZE - 4u, 0x40000000u, 0xE0001000u,
      0xFFFFFFF0u, 0xFFFC0000u, entry_pa() + 2u, 0xFFFFFFFFu};
  ok = true;
  for (uint32_t e : bad_entry) {
    const uint32_t got = smc(kCpuOn, 1, e, 0).r[0];
    if (got != kInvalidAddress) {
      ok = false;
      bad = e;
    }
  }
  check("CPU_ON secure/window/device/misaligned entry -> INVALID_ADDRESS", ok,
        bad, 0);
  check("CPU1 still OFF after the refused CPU_ONs",
        smc(kAffinityInfo, 1, 0).r[0] == kOff);
  r = smc(kCpuOn, 0, entry_pa(), 0);
  check("CPU_ON(CPU0) -> ALREADY_ON", r.r[0] == kAlreadyOn, r.r[0], kAlreadyOn);
  r = smc(kCpuOff);
  check("CPU_OFF on CPU0 (trusted OS) -> DENIED", r.r[0] == kDenied, r.r[0],
        kDenied);
}

// What the board's second path to CPU1 does here: the normal world puts
// CPU1 into reset and releases it through the SLCR (what stock Linux does).
// QEMU stores the register and resets nothing (docs/secure-world.md): CPU1
// stays in the secure wait loop, which the CPU_ON checks below then use.
void slcr_cpu_reset_probe() {
  auto reg = [](uint32_t a) -> volatile uint32_t& {
    return *reinterpret_cast<volatile uint32_t*>(uintptr_t{a});
  };
  reg(0xF8000008u) = 0xDF0Du;          // SLCR unlock (public key)
  reg(0xF8000244u) = 0x22u;            // A9_RST1 | A9_CLKSTOP1
  const uint32_t held = reg(0xF8000244u);
  reg(0xF8000244u) = 0;                // release
  nw::info("NS write of A9_CPU_RST_CTRL (reset CPU1)", "accepted, read back ",
           held);
  check("AFFINITY_INFO(CPU1) still OFF after the SLCR reset attempt",
        smc(kAffinityInfo, 1, 0).r[0] == kOff);
}

tzu_event event(uint32_t cpu, uint32_t seq) {
  tzu_event ev{};
  ev.hdr.magic = TZU_MAGIC;
  ev.hdr.version = TZU_ABI_VERSION;
  ev.hdr.command = TZU_CMD_DECIDE;
  ev.hdr.size = sizeof(ev);
  ev.seq = seq;
  ev.hook = TZU_HOOK_FILE_MPROTECT;
  ev.cpu = cpu;
  ev.subject.tgid = 100;
  ev.subject.pid = 100;
  return ev;
}

void put_event(uint32_t cpu, const tzu_event& ev) {
  auto* d = reinterpret_cast<volatile uint8_t*>(
      uintptr_t{PLAT_SHM_BASE + cpu * TZU_SLOT_SIZE});
  const auto* s = reinterpret_cast<const uint8_t*>(&ev);
  for (uint32_t i = 0; i < sizeof(ev); ++i) d[i] = s[i];
}

// DECIDE calls from `cpu`'s slot; how many came back allowed and OK.
uint32_t decide_loop(uint32_t cpu, uint32_t n) {
  put_event(cpu, event(cpu, 1));
  uint32_t ok = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const nw::Regs r = smc(TZU_SMC_DECIDE, cpu);
    ok += r.r[0] == TZU_OK && (r.r[1] & 0xFF) == TZU_VERDICT_ALLOW;
  }
  return ok;
}

volatile uint32_t g_cpu1_entries = 0;
volatile uint32_t g_cpu1_r0 = 0;
volatile uint32_t g_cpu1_cpsr = 0;
volatile uint32_t g_cpu1_go = 0;
volatile uint32_t g_cpu1_ok = 0;
volatile uint32_t g_cpu1_done = 0;

uint64_t decisions() {
  tzu_hdr h{};
  h.magic = TZU_MAGIC;
  h.version = TZU_ABI_VERSION;
  h.command = TZU_CMD_GET_STATS;
  h.size = sizeof(h);
  auto* d = reinterpret_cast<volatile uint8_t*>(
      uintptr_t{PLAT_SHM_BASE + TZU_SHM_CMD_OFFSET});
  const auto* s = reinterpret_cast<const uint8_t*>(&h);
  for (uint32_t i = 0; i < sizeof(h); ++i) d[i] = s[i];
  const nw::Regs r = smc(TZU_SMC_YIELD(TZU_CMD_GET_STATS), TZU_SHM_CMD_OFFSET,
                         sizeof(h), 0x80000, 0x10000);
  if (r.r[0] != TZU_OK) return 0;
  tzu_stats st;
  auto* o = reinterpret_cast<uint8_t*>(&st);
  auto* in = reinterpret_cast<volatile uint8_t*>(uintptr_t{PLAT_SHM_BASE + 0x80000});
  for (uint32_t i = 0; i < sizeof(st); ++i) o[i] = in[i];
  return st.decisions;
}

// Generous bounds: on a loaded host QEMU may run one vCPU thread seconds
// behind the other.
bool wait_for(volatile uint32_t* v, uint32_t want) {
  for (uint32_t i = 0; i < 2000000000u; ++i)
    if (*v == want) return true;
  return false;
}

bool wait_affinity(uint32_t want) {
  for (uint32_t i = 0; i < 10000000u; ++i)
    if (smc(kAffinityInfo, 1, 0).r[0] == want) return true;
  return false;
}

// Wall-clock context for docs/performance.md, not a check: QEMU's cycle
// counter follows host time without -icount, and the two vCPU threads
// share a loaded host.
uint32_t g_t_single = 0, g_t_dual = 0, g_t_psci = 0;

void cpu1_cycle(uint32_t round) {
  g_cpu1_done = 0;
  g_cpu1_go = 0;
  if (round == 1) {
    uint32_t t0 = nw::pmccntr();
    decide_loop(0, kDecides);
    g_t_single = nw::pmccntr() - t0;
    // The same number of world switches without the secure lock: what a
    // DECIDE costs outside its critical section (under -icount: guest
    // instructions).
    t0 = nw::pmccntr();
    for (uint32_t i = 0; i < kDecides; ++i) smc(kVersion);
    g_t_psci = nw::pmccntr() - t0;
  }
  const uint64_t before = decisions();
  nw::Regs r = smc(kCpuOn, 1, entry_pa(), kCpu1Context + round);
  check(round == 1 ? "CPU_ON(CPU1) SUCCESS" : "CPU_ON(CPU1) again SUCCESS",
        r.r[0] == 0, r.r[0], 0);
  r = smc(kCpuOn, 1, entry_pa(), 0);
  check("CPU_ON(CPU1) twice -> ON_PENDING or ALREADY_ON",
        r.r[0] == kOnPending || r.r[0] == kAlreadyOn, r.r[0], kAlreadyOn);
  check("CPU1 runs payload code", wait_for(&g_cpu1_entries, round),
        g_cpu1_entries, round);
  check("CPU1 entered NS SVC with r0 = context id",
        g_cpu1_r0 == kCpu1Context + round && (g_cpu1_cpsr & 0x1F) == 0x13,
        g_cpu1_r0, kCpu1Context + round);
  check("AFFINITY_INFO(CPU1) ON", smc(kAffinityInfo, 1, 0).r[0] == kOn);
  const uint32_t t0 = nw::pmccntr();
  g_cpu1_go = 1;  // both CPUs decide at once
  const uint32_t mine = decide_loop(0, kDecides);
  const bool cpu1_finished = wait_for(&g_cpu1_done, 1);
  if (round == 1) g_t_dual = nw::pmccntr() - t0;
  check("concurrent DECIDE: CPU0 all allowed", mine == kDecides, mine, kDecides);
  check("concurrent DECIDE: CPU1 all allowed",
        cpu1_finished && g_cpu1_ok == kDecides, g_cpu1_ok, kDecides);
  const uint64_t counted = decisions() - before;
  check("concurrent DECIDE: secure counter exact (no lost update)",
        counted == 2 * kDecides, static_cast<uint32_t>(counted), 2 * kDecides);
  check("CPU1 CPU_OFF -> AFFINITY_INFO OFF", wait_affinity(kOff));
}

}  // namespace

// CPU1's C entry (start.S cpu1_entry), NS SVC, its own stack.
extern "C" void payload_cpu1(uint32_t r0, uint32_t cpsr) {
  g_cpu1_r0 = r0;
  g_cpu1_cpsr = cpsr;
  g_cpu1_entries = g_cpu1_entries + 1;
  while (!g_cpu1_go) {
  }
  g_cpu1_ok = decide_loop(1, kDecides);
  g_cpu1_done = 1;
  smc(kCpuOff);
  for (;;) {  // CPU_OFF does not return
    g_cpu1_done = 0xDEAD;
  }
}

void psci_tests() {
  features();
  arguments();
  slcr_cpu_reset_probe();
  cpu1_cycle(1);
  cpu1_cycle(2);
  nw::puts("PERF smp calls=");
  nw::put_dec(kDecides);
  nw::puts(" decide_1cpu_total=");
  nw::put_dec(g_t_single);
  nw::puts(" decide_2cpu_each_total=");
  nw::put_dec(g_t_dual);
  nw::puts(" psci_version_total=");
  nw::put_dec(g_t_psci);
  nw::puts("\n");
}

void psci_system_reset() { smc(kSystemReset); }
