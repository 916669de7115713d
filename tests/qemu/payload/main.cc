// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// main.cc - normal-world payload for the `qemu` ctest label. Booted by the
// secure image in place of Linux; probes what the normal world can and cannot
// reach, drives every SMC of the ABI with valid and malformed input, and
// prints "PASS/FAIL <check>" lines and a final "N passed, M failed" on UART1.
#include "memmap.h"
#include "nw.h"
#include "psci_test.h"

namespace {

using nw::check;
using nw::smc;

// Test policy blobs loaded by QEMU next to the payload (tests/qemu/CMakeLists).
constexpr uint32_t kBlobGood = 0x02000000u;  // version 2, rule 7 denies tgid 666
constexpr uint32_t kBlobOld = 0x02100000u;   // version 1: a rollback
constexpr uint32_t kDenyRule = 7;
constexpr uint32_t kDenyTgid = 666;

constexpr uint32_t kReqOff = TZU_SHM_CMD_OFFSET;
constexpr uint32_t kRspOff = 0x80000;
constexpr uint32_t kRspCap = 0x10000;

uint8_t* shm() { return reinterpret_cast<uint8_t*>(uintptr_t{PLAT_SHM_BASE}); }

void copy(void* d, const void* s, uint32_t n) {
  auto* dp = static_cast<volatile uint8_t*>(d);
  const auto* sp = static_cast<const volatile uint8_t*>(s);
  for (uint32_t i = 0; i < n; ++i) dp[i] = sp[i];
}

tzu_hdr hdr(uint32_t cmd, uint32_t size) {
  tzu_hdr h{};
  h.magic = TZU_MAGIC;
  h.version = TZU_ABI_VERSION;
  h.command = static_cast<tzu_u16>(cmd);
  h.size = size;
  return h;
}

// Writes a request into the window and issues its yielding call.
template <class T>
nw::Regs call(uint32_t cmd, const T& req, uint32_t len = sizeof(T),
              uint32_t rsp_cap = kRspCap) {
  copy(shm() + kReqOff, &req, sizeof(T));
  return smc(TZU_SMC_YIELD(cmd), kReqOff, len, kRspOff, rsp_cap);
}

template <class T>
T response() {
  T r;
  copy(&r, shm() + kRspOff, sizeof(T));
  return r;
}

tzu_event event(uint32_t hook, uint32_t tgid) {
  tzu_event ev{};
  ev.hdr = hdr(TZU_CMD_DECIDE, sizeof(ev));
  ev.seq = 1;
  ev.hook = hook;
  ev.cpu = 0;
  ev.subject.tgid = tgid;
  ev.subject.pid = tgid;
  return ev;
}

nw::Regs decide(const tzu_event& ev) {
  copy(shm(), &ev, sizeof(ev));
  return smc(TZU_SMC_DECIDE, 0);
}

uint32_t verdict(const nw::Regs& r) { return r.r[1] & 0xFF; }
uint32_t flags(const nw::Regs& r) { return r.r[1] >> 8; }

void probe_isolation(uint32_t entry_cpsr) {
  check("entered in NS SVC", (entry_cpsr & 0x1F) == 0x13, entry_cpsr, 0x13);
  uint32_t before = nw::g_undefs;
  uint32_t v = 0;
  asm volatile("mrc p15, 0, %0, c1, c1, 0" : "+r"(v));  // SCR
  check("SCR read from NS is UNDEF", nw::g_undefs == before + 1, v, 0);
  before = nw::g_undefs;
  asm volatile("mrc p15, 0, %0, c12, c0, 1" : "+r"(v));  // MVBAR
  check("MVBAR read from NS is UNDEF", nw::g_undefs == before + 1);
  asm volatile("mrc p15, 0, %0, c1, c1, 2" : "=r"(v));  // NSACR (readable)
  check("NSACR = CP10|CP11|NS_SMP", v == 0x00040C00u, v, 0x00040C00u);
  before = nw::g_undefs;
  asm volatile("mcr p15, 0, %0, c1, c1, 2" ::"r"(0xFFFFFFFFu));
  check("NSACR write from NS is UNDEF", nw::g_undefs == before + 1);
  // GIC: a secure (group 0) interrupt cannot be enabled from NS; a
  // non-secure one can.
  volatile uint32_t* isen =
      reinterpret_cast<volatile uint32_t*>(uintptr_t{0xF8F01100u});
  volatile uint32_t* icen =
      reinterpret_cast<volatile uint32_t*>(uintptr_t{0xF8F01180u});
  isen[PLAT_SECURE_TTC_IRQ0 / 32] = 1u << (PLAT_SECURE_TTC_IRQ0 % 32);
  check("NS cannot enable secure IRQ 69 (TTC1)",
        !(isen[PLAT_SECURE_TTC_IRQ0 / 32] & (1u << (PLAT_SECURE_TTC_IRQ0 % 32))),
        isen[2], 0);
  isen[82 / 32] = 1u << (82 % 32);  // UART1, the normal world's
  const bool ns_ok = isen[82 / 32] & (1u << (82 % 32));
  icen[82 / 32] = 1u << (82 % 32);
  check("NS can enable its own IRQ 82 (UART1)", ns_ok);
  // Secure memory: TZ_DDR_RAM makes the carve-out secure on a real Zynq;
  // QEMU does not model it, so this is reported, not asserted.
  const uint32_t dabts = nw::g_dabts;
  const uint32_t sec =
      *reinterpret_cast<volatile uint32_t*>(uintptr_t{PLAT_SECURE_BASE});
  nw::info("NS read of secure carve-out 0x3c000000",
           nw::g_dabts != dabts ? "blocked (data abort), value "
                                : "NOT blocked by QEMU, value ",
           sec);
}

void queries() {
  nw::Regs r = smc(TZU_SMC_CALLS_UID);
  check("UID", r.r[0] == TZU_UID_0 && r.r[1] == TZU_UID_1 &&
                   r.r[2] == TZU_UID_2 && r.r[3] == TZU_UID_3,
        r.r[0], TZU_UID_0);
  r = smc(TZU_SMC_CALLS_REVISION);
  check("revision 1.0", r.r[0] == TZU_REVISION_MAJOR &&
                            r.r[1] == TZU_REVISION_MINOR, r.r[0], 1);
  r = smc(TZU_SMC_CALLS_COUNT);
  check("call count", r.r[0] == TZU_CMD_COUNT - 1, r.r[0], TZU_CMD_COUNT - 1);
  const uint32_t kUnknown[] = {0xB2000063u, 0xF2000003u, 0x32000003u,
                               0xBF00FF02u, 0x32000063u, 0x84000100u,
                               0x00000000u};
  bool all = true;
  uint32_t bad = 0;
  for (uint32_t fid : kUnknown) {
    if (smc(fid, 1, 2, 3, 4).r[0] != TZU_E_NOT_SUPPORTED) {
      all = false;
      bad = fid;
    }
  }
  check("unknown fids -> NOT_SUPPORTED", all, bad, TZU_E_NOT_SUPPORTED);
  check("r4-r12, SVC lr, UND/ABT sp preserved (UID)",
        smc_preserves(TZU_SMC_CALLS_UID) == 0);
  check("r4-r12, SVC lr, UND/ABT sp preserved (bad fid)",
        smc_preserves(0xB2000063u) == 0);
}

uint32_t open_session() {
  tzu_open_session_req req{};
  req.hdr = hdr(TZU_CMD_OPEN_SESSION, sizeof(req));
  req.client_kind = TZU_CLIENT_KERNEL;
  nw::Regs r = call(TZU_CMD_OPEN_SESSION, req);
  auto rsp = response<tzu_open_session_rsp>();
  check("open session", r.r[0] == TZU_OK && r.r[1] == sizeof(rsp) &&
                            rsp.session != 0 && rsp.slot_size == TZU_SLOT_SIZE &&
                            rsp.nr_slots == PLAT_NR_CPUS &&
                            rsp.hdr.magic == TZU_MAGIC,
        r.r[0], TZU_OK);
  return rsp.session;
}

void malformed(uint32_t session) {
  tzu_event ev = event(TZU_HOOK_FILE_MPROTECT, 100);
  copy(shm(), &ev, sizeof(ev));
  check("decide: other CPU's slot -> BAD_FIELD",
        smc(TZU_SMC_DECIDE, 1).r[0] == TZU_E_BAD_FIELD);
  check("decide: slot out of range -> BAD_FIELD",
        smc(TZU_SMC_DECIDE, 0xFFFFFFFFu).r[0] == TZU_E_BAD_FIELD);
  tzu_event bad = ev;
  bad.hdr.magic = 0x12345678;
  nw::Regs r = decide(bad);
  tzu_decision d;
  copy(&d, shm() + TZU_SLOT_DECISION_OFFSET, sizeof(d));
  check("decide: bad magic -> BAD_MAGIC, deny in slot",
        r.r[0] == TZU_E_BAD_MAGIC && d.verdict == TZU_VERDICT_DENY &&
            d.hdr.status == TZU_E_BAD_MAGIC, r.r[0], TZU_E_BAD_MAGIC);
  bad = ev;
  bad.cpu = 1;
  check("decide: event from another CPU -> BAD_FIELD",
        decide(bad).r[0] == TZU_E_BAD_FIELD);
  bad = ev;
  bad.hook = 99;
  check("decide: unknown hook -> BAD_FIELD", decide(bad).r[0] == TZU_E_BAD_FIELD);

  tzu_set_mode_req m{};
  m.hdr = hdr(TZU_CMD_SET_MODE, sizeof(m));
  m.session = session;
  m.mode = TZU_MODE_ENFORCE;
  copy(shm() + kReqOff, &m, sizeof(m));
  const uint32_t y = TZU_SMC_YIELD(TZU_CMD_SET_MODE);
  check("yield: request in the slot area -> BAD_OFFSET",
        smc(y, 0, sizeof(m), kRspOff, 64).r[0] == TZU_E_BAD_OFFSET);
  check("yield: request past the window -> BAD_OFFSET",
        smc(y, PLAT_SHM_SIZE - 8, sizeof(m), kRspOff, 64).r[0] ==
            TZU_E_BAD_OFFSET);
  check("yield: wrapping length -> BAD_OFFSET",
        smc(y, kReqOff, 0xFFFFFFF0u, kRspOff, 64).r[0] == TZU_E_BAD_OFFSET);
  check("yield: response overlaps request -> BAD_OFFSET",
        smc(y, kReqOff, sizeof(m), kReqOff + 8, 64).r[0] == TZU_E_BAD_OFFSET);
  check("yield: response past the window -> BAD_OFFSET",
        smc(y, kReqOff, sizeof(m), PLAT_SHM_SIZE - 4, 64).r[0] ==
            TZU_E_BAD_OFFSET);
  check("yield: response capacity 8 -> BAD_SIZE",
        smc(y, kReqOff, sizeof(m), kRspOff, 8).r[0] == TZU_E_BAD_SIZE);
  check("yield: request shorter than a header -> BAD_SIZE",
        smc(y, kReqOff, 8, kRspOff, 64).r[0] == TZU_E_BAD_SIZE);
  check("yield: length != hdr.size -> BAD_SIZE",
        smc(y, kReqOff, sizeof(m) + 8, kRspOff, 64).r[0] == TZU_E_BAD_SIZE);
  tzu_set_mode_req b = m;
  b.hdr.magic = 0;
  check("yield: bad magic -> BAD_MAGIC",
        call(TZU_CMD_SET_MODE, b).r[0] == TZU_E_BAD_MAGIC);
  b = m;
  b.hdr.version = 7;
  check("yield: bad ABI version -> BAD_VERSION",
        call(TZU_CMD_SET_MODE, b).r[0] == TZU_E_BAD_VERSION);
  b = m;
  b.hdr.command = TZU_CMD_GET_STATS;
  r = call(TZU_CMD_SET_MODE, b);
  auto eh = response<tzu_hdr>();
  check("yield: header command != fid -> BAD_COMMAND, error header",
        r.r[0] == TZU_E_BAD_COMMAND && r.r[1] == sizeof(tzu_hdr) &&
            eh.status == TZU_E_BAD_COMMAND, r.r[0], TZU_E_BAD_COMMAND);
  b = m;
  b.session = session + 1000;
  check("yield: unknown session -> BAD_SESSION",
        call(TZU_CMD_SET_MODE, b).r[0] == TZU_E_BAD_SESSION);
  b = m;
  b.mode = 9;
  // Arguments are checked before the authorization, so that a signed
  // token for an impossible mode cannot use up the admin counter.
  check("yield: unknown mode -> BAD_FIELD (before the authorization)",
        call(TZU_CMD_SET_MODE, b).r[0] == TZU_E_BAD_FIELD);
}

bool blob_at(uint32_t addr, uint32_t* size) {
  const volatile uint32_t* p =
      reinterpret_cast<const volatile uint32_t*>(uintptr_t{addr});
  *size = p[2];  // BlobHeader.total_size
  return p[0] == 0x42505A54u && *size >= 104 && *size <= (256u << 10);
}

// A LOAD_POLICY request: header + blob copied into the window.
nw::Regs load(uint32_t session, uint32_t blob_addr, uint32_t size,
              int32_t flip = -1) {
  tzu_load_policy_req req{};
  req.hdr = hdr(TZU_CMD_LOAD_POLICY, sizeof(req) + size);
  req.session = session;
  req.blob_size = size;
  copy(shm() + kReqOff, &req, sizeof(req));
  uint8_t* dst = shm() + kReqOff + sizeof(req);
  copy(dst, reinterpret_cast<const void*>(uintptr_t{blob_addr}), size);
  if (flip >= 0) dst[flip] = static_cast<uint8_t>(dst[flip] ^ 0x01);
  return smc(TZU_SMC_YIELD(TZU_CMD_LOAD_POLICY), kReqOff,
             sizeof(req) + size, kRspOff, kRspCap);
}

void policy(uint32_t session) {
  uint32_t good = 0, old = 0;
  const bool have = blob_at(kBlobGood, &good) && blob_at(kBlobOld, &old);
  check("test policy blobs present", have);
  if (!have) return;
  nw::Regs r = decide(event(TZU_HOOK_FILE_MPROTECT, kDenyTgid));
  // Before any load the image's boot policy decides (it has no mprotect
  // rule, so this hook is outside its interest mask).
  check("decide before any load -> boot policy, allow",
        r.r[0] == TZU_OK && verdict(r) == TZU_VERDICT_ALLOW &&
            (flags(r) & TZU_DF_BOOT_POLICY) && !(flags(r) & TZU_DF_NO_POLICY),
        r.r[1], (TZU_DF_BOOT_POLICY | TZU_DF_FILTERED) << 8);
  check("load: HMAC mismatch -> AUTH",
        load(session, kBlobGood, good, static_cast<int32_t>(good - 1)).r[0] ==
            TZU_E_AUTH);
  check("load: flipped body byte -> AUTH",
        load(session, kBlobGood, good, 40).r[0] == TZU_E_AUTH);
  r = load(session, kBlobGood, good - 8);
  check("load: truncated blob -> error", r.r[0] != TZU_OK, r.r[0], 1);
  r = load(session, kBlobGood, good);
  auto rsp = response<tzu_load_policy_rsp>();
  check("load: signed v2 blob -> OK", r.r[0] == TZU_OK &&
                                          rsp.policy_version == 2 &&
                                          rsp.n_rules >= 1, r.r[0], TZU_OK);
  check("load: v1 after v2 -> ROLLBACK",
        load(session, kBlobOld, old).r[0] == TZU_E_ROLLBACK);
  r = decide(event(TZU_HOOK_FILE_MPROTECT, kDenyTgid));
  tzu_decision d;
  copy(&d, shm() + TZU_SLOT_DECISION_OFFSET, sizeof(d));
  check("decide tgid 666 mprotect -> deny by rule 7 (v2 still active)",
        r.r[0] == TZU_OK && verdict(r) == TZU_VERDICT_DENY &&
            r.r[3] == kDenyRule && d.rule_id == kDenyRule &&
            d.verdict == TZU_VERDICT_DENY && d.epoch == rsp.epoch,
        r.r[1], TZU_VERDICT_DENY);
  r = decide(event(TZU_HOOK_FILE_MPROTECT, 100));
  check("decide tgid 100 mprotect -> allow by default",
        r.r[0] == TZU_OK && verdict(r) == TZU_VERDICT_ALLOW &&
            (flags(r) & TZU_DF_DEFAULT), r.r[1], TZU_DF_DEFAULT << 8);
  r = decide(event(TZU_HOOK_KEY_ALLOC, kDenyTgid));
  check("decide outside the interest mask -> allow, FILTERED",
        r.r[0] == TZU_OK && verdict(r) == TZU_VERDICT_ALLOW &&
            (flags(r) & TZU_DF_FILTERED), r.r[1], TZU_DF_FILTERED << 8);

  tzu_set_mode_req m{};
  m.hdr = hdr(TZU_CMD_SET_MODE, sizeof(m));
  m.session = session;
  m.mode = TZU_MODE_PERMISSIVE;
  // The payload holds no admin key: root's "mode permissive" is refused.
  r = call(TZU_CMD_SET_MODE, m);
  check("unauthorized set mode permissive -> AUTH_REQUIRED",
        r.r[0] == TZU_E_AUTH_REQUIRED, r.r[0], TZU_E_AUTH_REQUIRED);
  r = decide(event(TZU_HOOK_FILE_MPROTECT, kDenyTgid));
  check("still enforcing: the rule denies",
        r.r[0] == TZU_OK && verdict(r) == TZU_VERDICT_DENY &&
            !(flags(r) & TZU_DF_PERMISSIVE),
        r.r[1], TZU_VERDICT_DENY);

  tzu_read_audit_req a{};
  a.hdr = hdr(TZU_CMD_READ_AUDIT, sizeof(a));
  a.session = session;
  a.max_records = 32;
  r = call(TZU_CMD_READ_AUDIT, a);
  auto ar = response<tzu_read_audit_rsp>();
  // Secure-world records (boot, policy load, refused authorizations) and
  // decisions share the chain: find a decision of rule 7 among them.
  tzu_audit_record rec;
  bool found = false;
  for (uint32_t i = 0; i < ar.n_records && !found; ++i) {
    copy(&rec, shm() + kRspOff + sizeof(ar) + i * sizeof(rec), sizeof(rec));
    found = rec.hook < TZU_AUDIT_KIND_BASE && rec.rule_id == kDenyRule;
  }
  check("read audit: records of rule 7",
        r.r[0] == TZU_OK && ar.n_records >= 1 &&
            r.r[1] == sizeof(ar) + ar.n_records * sizeof(rec) && found,
        ar.n_records, 1);
}

// ---- kernel integrity (no manifest is loaded for the payload) ----------

constexpr uint32_t kTtc1 = PLAT_SECURE_TTC_BASE;

nw::Regs integrity_call(uint32_t cmd, uint32_t session) {
  tzu_session_req q{};
  q.hdr = hdr(cmd, sizeof(q));
  q.session = session;
  return call(cmd, q);
}

uint64_t ticks_now() {
  integrity_call(TZU_CMD_INTEGRITY_STATUS, 0);
  return response<tzu_integrity_status>().ticks;
}

// No SMC in here: only the secure timer's FIQ can make ticks advance.
__attribute__((noinline)) void spin(uint32_t rounds) {
  for (uint32_t r = 0; r < rounds; ++r)
    for (volatile uint32_t i = 0; i < 1000000u; i = i + 1) {
    }
}

uint32_t cpsr() {
  uint32_t v;
  asm volatile("mrs %0, cpsr" : "=r"(v));
  return v;
}

void integrity(uint32_t session) {
  nw::Regs r = integrity_call(TZU_CMD_INTEGRITY_CHECK, session);
  auto st = response<tzu_integrity_status>();
  // This payload boots without a DTB: the secure world could not vouch for
  // the kernel command line and set integrity_state violated at boot; the
  // measurement outlives the policy swaps above (none of the test policies
  // declares the attribute). No manifest: nothing is measured.
  check("integrity check: answered, violated since boot (no DTB), no regions",
        r.r[0] == TZU_OK && r.r[1] == sizeof(st) && st.hdr.size == sizeof(st) &&
            st.state == TZU_INTEGRITY_VIOLATED && st.n_regions == 0 &&
            !(st.flags & TZU_IS_MANIFEST),
        st.state, TZU_INTEGRITY_VIOLATED);
  check("integrity status: period 10 ms, 144 KiB per tick",
        st.period_us == PLAT_INTEGRITY_TICK_US && st.chunk_bytes == (144u << 10),
        st.period_us, PLAT_INTEGRITY_TICK_US);
  // Kernel events need a kernel client session; /dev/tee0 users and raw
  // callers arrive as session 0.
  check("register from session 0 -> BAD_SESSION",
        integrity_call(TZU_CMD_INTEGRITY_REGISTER, 0).r[0] == TZU_E_BAD_SESSION);
  tzu_heartbeat_req hb{};
  hb.hdr = hdr(TZU_CMD_HEARTBEAT, sizeof(hb));
  hb.seq = 1;
  check("heartbeat from session 0 -> BAD_SESSION",
        call(TZU_CMD_HEARTBEAT, hb).r[0] == TZU_E_BAD_SESSION);
  tzu_integrity_module_req mod{};
  mod.hdr = hdr(TZU_CMD_INTEGRITY_MODULE, sizeof(mod));
  mod.op = TZU_KMOD_ADD;
  check("module from session 0 -> BAD_SESSION",
        call(TZU_CMD_INTEGRITY_MODULE, mod).r[0] == TZU_E_BAD_SESSION);
  check("register with a kernel session, no manifest -> NOT_FOUND",
        integrity_call(TZU_CMD_INTEGRITY_REGISTER, session).r[0] == TZU_E_NOT_FOUND);

  // (a) The secure timer ticks while the normal world spins with F set:
  // SCR.FW = 0 makes CPSR.F unwritable from NS and irrelevant to a FIQ
  // routed to Monitor mode.
  asm volatile("cpsie f" ::: "memory");
  const bool f_kept = cpsr() & (1u << 6);  // entered with F set
  asm volatile("cpsid f" ::: "memory");
  check("NS cannot clear CPSR.F (SCR.FW = 0)", f_kept && (cpsr() & (1u << 6)),
        cpsr(), 1u << 6);
  const uint64_t t0 = ticks_now();
  uint32_t rounds = 0;
  uint64_t t = t0;
  while (t < t0 + 5 && rounds < 400) {
    spin(1);
    ++rounds;
    t = ticks_now();
  }
  check("secure timer ticks with CPSR.F set (5 ticks)", t >= t0 + 5,
        static_cast<uint32_t>(t - t0), 5);
  nw::info("integrity", "spin rounds for 5 ticks: ", rounds);

  // (c) QEMU-only attack path: QEMU models no APB slave security, so the
  // normal world can stop TTC1 here (on silicon it is made secure-only).
  // The next SMC entry notices it, re-arms the timer and measures on SMC
  // entries too; ticks then resume without any SMC.
  volatile uint32_t* ttc = reinterpret_cast<volatile uint32_t*>(uintptr_t{kTtc1});
  ttc[0x0C / 4] = 0x21;  // counter 0 disabled
  const uint64_t s0 = ticks_now();  // this SMC sees the tampering
  r = integrity_call(TZU_CMD_INTEGRITY_STATUS, 0);
  st = response<tzu_integrity_status>();
  check("reprogrammed TTC1 noticed: TIMER_TAMPERED + SMC_FALLBACK",
        r.r[0] == TZU_OK &&
            (st.flags & (TZU_IS_TIMER_TAMPERED | TZU_IS_SMC_FALLBACK)) ==
                (TZU_IS_TIMER_TAMPERED | TZU_IS_SMC_FALLBACK),
        st.flags, TZU_IS_TIMER_TAMPERED | TZU_IS_SMC_FALLBACK);
  check("state stays the worse one (violated)", st.state == TZU_INTEGRITY_VIOLATED,
        st.state, TZU_INTEGRITY_VIOLATED);
  check("TTC1 counter 0 re-armed by the secure world",
        (ttc[0x0C / 4] & 0x2F) == 0x02, ttc[0x0C / 4], 0x02);
  spin(2 * rounds);  // ~10 ticks' worth, no SMC in between
  const uint64_t s1 = ticks_now();
  // The fallback adds at most one tick per SMC entry (one here).
  check("ticks resume after the re-arm (>= 3 without SMCs)", s1 >= s0 + 4,
        static_cast<uint32_t>(s1 - s0), 4);
}

void stats_and_rest(uint32_t session) {
  tzu_hdr s = hdr(TZU_CMD_GET_STATS, sizeof(tzu_hdr));
  nw::Regs r = call(TZU_CMD_GET_STATS, s);
  auto st = response<tzu_stats>();
  check("stats: counted decisions, denials, errors, rejected loads",
        r.r[0] == TZU_OK && r.r[1] == sizeof(st) && st.decisions >= 4 &&
            st.denied >= 1 && st.errors >= 15 && st.policy_rejects >= 3 &&
            st.policy_version == 2,
        static_cast<uint32_t>(st.errors), 15);
  integrity(session);
  r = smc(TZU_SMC_CALLS_UID);
  check("still serving after malformed calls", r.r[0] == TZU_UID_0);
  tzu_session_req c{};
  c.hdr = hdr(TZU_CMD_CLOSE_SESSION, sizeof(c));
  c.session = session;
  check("close session", call(TZU_CMD_CLOSE_SESSION, c).r[0] == TZU_OK);
  check("close again -> BAD_SESSION",
        call(TZU_CMD_CLOSE_SESSION, c).r[0] == TZU_E_BAD_SESSION);
}

// Cost of a round trip, from the normal world: PMU cycle counter around a
// batch of calls (the secure side does not stop it: PMCR.DP = 0). Under
// QEMU with -icount shift=0 the counter advances once per instruction, so
// the totals are instruction counts (docs/performance/secure-world.md).
__attribute__((noinline)) nw::Regs no_smc(uint32_t fid) {
  asm volatile("" ::: "memory");
  return nw::Regs{{fid, 0, 0, 0}};
}

void perf_line(const char* what, uint32_t total) {
  nw::puts(" ");
  nw::puts(what);
  nw::puts("=");
  nw::put_dec(total);
}

void perf() {
  asm volatile("mcr p15, 0, %0, c9, c12, 0" ::"r"(0x7u));  // PMCR: E, P, C
  asm volatile("mcr p15, 0, %0, c9, c12, 1" ::"r"(0x80000000u));
  constexpr uint32_t kN = 1000;
  uint32_t t0 = nw::pmccntr();
  for (uint32_t i = 0; i < kN; ++i) no_smc(TZU_SMC_CALLS_COUNT);
  const uint32_t base = nw::pmccntr() - t0;
  t0 = nw::pmccntr();
  for (uint32_t i = 0; i < kN; ++i) smc(TZU_SMC_CALLS_COUNT);
  const uint32_t empty = nw::pmccntr() - t0;
  tzu_event ev = event(TZU_HOOK_FILE_MPROTECT, 100);
  copy(shm(), &ev, sizeof(ev));
  t0 = nw::pmccntr();
  for (uint32_t i = 0; i < kN; ++i) smc(TZU_SMC_DECIDE, 0);
  const uint32_t dec = nw::pmccntr() - t0;
  ev = event(TZU_HOOK_FILE_MPROTECT, kDenyTgid);
  copy(shm(), &ev, sizeof(ev));
  t0 = nw::pmccntr();
  for (uint32_t i = 0; i < kN; ++i) smc(TZU_SMC_DECIDE, 0);
  const uint32_t deny = nw::pmccntr() - t0;
  nw::puts("PERF calls=");
  nw::put_dec(kN);
  perf_line("loop_no_smc_total", base);
  perf_line("empty_call_total", empty);
  perf_line("decide_default_allow_total", dec);
  perf_line("decide_deny_audited_total", deny);
  nw::puts("\n");
}

#ifdef TZUCON_FAULT_INJECT_FID
// Test image only: a secure fault during an SMC must return TZU_E_INTERNAL,
// keep the normal world's registers, and leave the secure world FAILED
// (queries answer, everything else is TZU_E_INTERNAL).
void fault_path() {
  nw::Regs r = smc(TZU_SMC_CALLS_UID);
  check("before the fault: UID", r.r[0] == TZU_UID_0);
  check("secure fault -> INTERNAL, r4-r12/SVC lr/UND+ABT sp kept",
        smc_preserves(TZUCON_FAULT_INJECT_FID) == 0);
  r = smc(TZUCON_FAULT_INJECT_FID);
  check("secure fault returns TZU_E_INTERNAL", r.r[0] == TZU_E_INTERNAL,
        r.r[0], TZU_E_INTERNAL);
  r = decide(event(TZU_HOOK_FILE_MPROTECT, 100));
  check("FAILED state: DECIDE -> INTERNAL + deny",
        r.r[0] == TZU_E_INTERNAL && verdict(r) == TZU_VERDICT_DENY, r.r[0],
        TZU_E_INTERNAL);
  tzu_hdr s = hdr(TZU_CMD_GET_STATS, sizeof(tzu_hdr));
  check("FAILED state: yielding call -> INTERNAL",
        call(TZU_CMD_GET_STATS, s).r[0] == TZU_E_INTERNAL);
  r = smc(TZU_SMC_CALLS_UID);
  check("FAILED state: UID still answers", r.r[0] == TZU_UID_0);
  // Our own UND/ABT handlers still work: the monitor restored their SPs.
  const uint32_t before = nw::g_undefs;
  uint32_t v = 0;
  asm volatile("mrc p15, 0, %0, c1, c1, 0" : "+r"(v));
  check("NS UNDEF handling intact after the secure fault",
        nw::g_undefs == before + 1);
}
#endif

}  // namespace

extern "C" void payload_main(uint32_t entry_cpsr, uint32_t dtb) {
  nw::puts("\n== tzucon normal-world test payload ==\n");
  nw::info("entry", "dtb=", dtb);
  probe_isolation(entry_cpsr);
  queries();
  const uint32_t session = open_session();
  malformed(session);
  policy(session);
  stats_and_rest(session);
  perf();
  // After the timer checks: a false "silenced" during the concurrent phase
  // (seen on an overloaded host, docs/secure-world.md) must not hide the
  // tampering report those checks look for.
  psci_tests();
#ifdef TZUCON_FAULT_INJECT_FID
  fault_path();
#endif
  nw::puts("RESULT: ");
  nw::put_dec(nw::passed());
  nw::puts(" passed, ");
  nw::put_dec(nw::failed());
  nw::puts(" failed\n");
  // Through the secure world (it records, stops CPU1 and resets: QEMU
  // -no-reboot exits); the SLCR reset only if that returned.
  psci_system_reset();
  nw::puts("FAIL PSCI SYSTEM_RESET returned\n");
  nw::exit_qemu();
}
