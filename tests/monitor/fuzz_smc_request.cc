// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fuzz_smc_request.cc - libFuzzer target for the SMC ABI as the normal world
// drives it, structure-aware so that inputs reach the handlers behind the
// framing and the authorization.
//
// Set-up once per process (test_policy.h HostSecureWorld: engine, authority,
// RAM store, dispatcher; the test policy loaded, one kernel and one user
// client session open), snapshotted; every input starts from the snapshot.
//
// Input: byte 0 picks the call (% (TZU_CMD_COUNT + 1)): 0 = raw, else the
// command (TZU_CMD_DECIDE = the fast call). Byte 1 is flags (kF*), then:
//  raw:      6 u32 (r0..r4, cpu), the rest lands in the CPU slots and at
//            the command area (the original, unstructured format);
//  DECIDE:   the event body after its header (header, cpu and hook made
//            valid, strings NUL-terminated unless kFRawStrings);
//  yielding: [u32 session if kFSessionFuzzed][u8 corrupt pos if kFCorrupt]
//            [u16 rsp cap if kFRspCap] then the arguments after the session
//            field (zero-padded; LOAD_POLICY: the blob, re-signed for this
//            device if kFSignBlob). [admin] commands get a tzu_auth signed by
//            the test admin key over those arguments if kFSign (counter + 1
//            with kFStale).
// Invariants: no crash/UB (ASan/UBSan), r0 is a known status, a reply fits
// the response capacity, nothing outside the response buffer or the caller's
// decision slot changes, an [admin] command succeeds only with our
// signature, LOAD_POLICY only with a blob we signed (or the test policy).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "memmap.h"
#include "message.h"
#include "test_policy.h"
#include "test_util.h"

namespace {

using monitor_test::HostSecureWorld;

constexpr std::uint8_t kFSession = 0x03;  // 0: none, 1: kernel, 2: user, 3: u32
constexpr std::uint8_t kFSign = 0x04;
constexpr std::uint8_t kFCorrupt = 0x08;
constexpr std::uint8_t kFSignBlob = 0x10;
constexpr std::uint8_t kFRspCap = 0x20;
constexpr std::uint8_t kFStale = 0x40;
constexpr std::uint8_t kFRawStrings = 0x80;

constexpr std::uint32_t kWindow = TZU_SHM_CMD_OFFSET + 0x9000;

struct Cursor {
  const std::uint8_t* p;
  std::size_t n;
  std::uint8_t u8() {
    if (!n) return 0;
    --n;
    return *p++;
  }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= std::uint32_t{u8()} << (8 * i);
    return v;
  }
  // Copies up to len bytes into dst (rest zero).
  void fill(void* dst, std::size_t len) {
    const std::size_t k = std::min(len, n);
    if (k) std::memcpy(dst, p, k);
    std::memset(static_cast<std::uint8_t*>(dst) + k, 0, len - k);
    p += k;
    n -= k;
  }
};

bool is_admin(std::uint32_t cmd) {
  return cmd == TZU_CMD_SET_MODE || cmd == TZU_CMD_UPDATE_ATTR ||
         cmd == TZU_CMD_END_USAGE || cmd == TZU_CMD_AUDIT_CONFIG;
}

bool known_status(std::uint32_t s) {
  return s <= TZU_E_STORAGE || s == TZU_E_NOT_SUPPORTED || s == TZU_UID_0 ||
         s == TZU_REVISION_MAJOR || s == TZU_CMD_COUNT - 1;
}

void check(bool ok) {
  if (!ok) std::abort();
}

// The world after set-up, restored before every input. Engine, authority,
// store and dispatcher are plain objects whose pointers all point into
// memory that stays where it is (arena, window, staging buffers), so
// copying them back together with the arena bytes restores the exact state
// without re-verifying the policy signature per input.
struct Fuzz {
  HostSecureWorld w;
  std::vector<std::uint8_t> policy;
  std::uint32_t kernel_session = 0, user_session = 0;
  std::vector<std::uint64_t> arena0;
  ucon::Engine engine0;
  monitor::Authority authority0;
  monitor::RamStateStore store0;
  monitor::Dispatcher disp0;
  // The integrity object (no manifest in this world: the kernel events are
  // refused or NOT_FOUND, the queries answer UNKNOWN; its RAM and baseline
  // buffers are never written, so they need no snapshot).
  integrity::KernelIntegrity ki0;
  std::vector<std::uint8_t> before;
  // TZUCON_FUZZ_VERBOSE=1: one line per yielding call (seed checks).
  const bool verbose = std::getenv("TZUCON_FUZZ_VERBOSE") != nullptr;

  static HostSecureWorld::Config config() {
    HostSecureWorld::Config c;
    c.engine.max_blob_bytes = 16u << 10;
    c.engine.audit_records = 64;
    c.engine.max_sessions = 32;
    c.engine.max_attr_entries = 128;
    c.window_size = kWindow;
    c.rsp_cap = 8192;
    c.ns_ram_size = 1u << 20;
    c.copy_size = 64u << 10;
    return c;
  }

  std::uint32_t open(std::uint32_t kind) {
    tzu_open_session_req q{};
    q.hdr = monitor::make_header(TZU_CMD_OPEN_SESSION, sizeof(q), ucon::Status::kOk);
    q.client_kind = kind;
    std::memcpy(w.window.data() + TZU_SHM_CMD_OFFSET, &q, sizeof(q));
    const std::uint32_t rsp = TZU_SHM_CMD_OFFSET + 256;
    check(w.smc(TZU_SMC_YIELD(TZU_CMD_OPEN_SESSION), TZU_SHM_CMD_OFFSET,
                sizeof(q), rsp, 256).r[0] == TZU_OK);
    tzu_open_session_rsp r;
    std::memcpy(&r, w.window.data() + rsp, sizeof(r));
    return r.session;
  }

  Fuzz() : w(config()) {
    policy = monitor_test::test_policy(2, ucon_test::kTestKey, w.device_id());
    ucon::LoadResult lr;
    check(w.engine.stage_policy(policy.data(), policy.size(), false, &lr) ==
          ucon::Status::kOk);
    check(w.authority.persist_floor(lr.policy_version, lr.digest) ==
          ucon::Status::kOk);
    w.engine.commit_policy(&lr);
    kernel_session = open(TZU_CLIENT_KERNEL);
    user_session = open(TZU_CLIENT_USER);
    std::memset(w.window.data(), 0, w.window.size());
    arena0.assign(w.arena.begin(), w.arena.end());
    engine0 = w.engine;
    authority0 = w.authority;
    store0 = w.store;
    disp0 = w.disp;
    ki0 = *w.ki;
  }

  void reset() {
    std::copy(arena0.begin(), arena0.end(), w.arena.begin());
    w.engine = engine0;
    w.authority = authority0;
    w.store = store0;
    w.disp = disp0;
    *w.ki = ki0;
    std::memset(w.window.data(), 0, w.window.size());
  }

  std::uint32_t session(std::uint8_t flags, Cursor* c) {
    switch (flags & kFSession) {
      case 0: return 0;
      case 1: return kernel_session;
      case 2: return user_session;
      default: return c->u32();
    }
  }

  void run(const std::uint8_t* data, std::size_t size);
  void raw(Cursor c);
  void decide(std::uint8_t flags, Cursor c);
  void yielding(std::uint32_t cmd, std::uint8_t flags, Cursor c);
  void call_and_check(const monitor::SmcArgs& a, std::uint32_t cpu,
                      monitor::SmcResult* r);
};

// Only the response buffer or the caller's decision may change.
void Fuzz::call_and_check(const monitor::SmcArgs& a, std::uint32_t cpu,
                          monitor::SmcResult* out) {
  before = w.window;
  const monitor::SmcResult r = w.disp.handle(a, cpu);
  check(known_status(r.r[0]));
  const bool fast = a.r[0] >> 31;
  std::size_t lo = 0, hi = 0;
  if (fast) {
    lo = cpu * TZU_SLOT_SIZE + TZU_SLOT_DECISION_OFFSET;
    hi = lo + sizeof(tzu_decision);
  } else {
    lo = a.r[3];
    hi = lo + r.r[1];
    if (r.r[0] != TZU_E_NOT_SUPPORTED) check(r.r[1] <= a.r[4]);
  }
  lo = std::min(lo, before.size());
  hi = std::min(std::max(hi, lo), before.size());
  // The shared state is rewritten on every return, whatever the input put
  // there: it must hold what the engine says now (or no cache epoch once
  // the dispatcher failed), and is left out of the comparison.
  tzu_shared_state st;
  std::memcpy(&st, w.window.data() + TZU_SHM_STATE_OFFSET, sizeof(st));
  check(st.magic == TZU_STATE_MAGIC && st.epoch == w.engine.epoch() &&
        st.cache_epoch == (w.disp.failed() ? 0 : w.engine.cache_epoch()));
  for (std::uint32_t h = 0; h < TZU_HOOK_COUNT; ++h)
    check(st.hook_epoch[h] == (w.disp.failed() ? 0 : w.engine.cache_epoch(h)));
  std::memcpy(before.data() + TZU_SHM_STATE_OFFSET, &st, sizeof(st));
  check(std::memcmp(before.data(), w.window.data(), lo) == 0 &&
        std::memcmp(before.data() + hi, w.window.data() + hi,
                    before.size() - hi) == 0);
  if (out) *out = r;
}

void Fuzz::raw(Cursor c) {
  monitor::SmcArgs a{};
  for (int i = 0; i < 5; ++i) a.r[i] = c.u32();
  const std::uint32_t cpu = c.u32() & 3;
  const std::size_t slots = std::min<std::size_t>(c.n, TZU_SHM_CMD_OFFSET);
  if (slots) std::memcpy(w.window.data(), c.p, slots);
  const std::size_t cmd = std::min<std::size_t>(c.n, kWindow - TZU_SHM_CMD_OFFSET);
  if (cmd) std::memcpy(w.window.data() + TZU_SHM_CMD_OFFSET, c.p, cmd);
  call_and_check(a, cpu, nullptr);
}

void Fuzz::decide(std::uint8_t flags, Cursor c) {
  const std::uint32_t cpu = flags & 1;
  tzu_event ev;
  c.fill(&ev, sizeof(ev));
  ev.hdr = monitor::make_header(TZU_CMD_DECIDE, sizeof(ev), ucon::Status::kOk);
  ev.cpu = cpu;
  ev.hook = 1 + ev.hook % (TZU_HOOK_COUNT - 1);
  if (!(flags & kFRawStrings)) {
    ev.subject.comm[TZU_COMM_LEN - 1] = 0;
    ev.object.type[sizeof(ev.object.type) - 1] = 0;
    ev.object.name[sizeof(ev.object.name) - 1] = 0;
    ev.flags &= TZU_EVF_ALL;
  }
  std::memcpy(w.window.data() + cpu * TZU_SLOT_SIZE, &ev, sizeof(ev));
  monitor::SmcArgs a{};
  a.r[0] = TZU_SMC_DECIDE;
  a.r[1] = cpu;
  call_and_check(a, cpu, nullptr);
}

void Fuzz::yielding(std::uint32_t cmd, std::uint8_t flags, Cursor c) {
  const std::uint32_t sess = session(flags, &c);
  const std::uint32_t corrupt = flags & kFCorrupt ? c.u8() : 0xffffffffu;
  std::uint32_t rsp_cap = monitor::response_size(cmd);
  if (cmd == TZU_CMD_READ_AUDIT) rsp_cap += 4 * sizeof(tzu_audit_record);
  if (flags & kFRspCap) rsp_cap = c.u8() | (std::uint32_t{c.u8()} << 8);
  std::vector<std::uint8_t> req;
  std::uint32_t fixed = monitor::request_size(cmd);
  if (cmd == TZU_CMD_GET_STATS) fixed = sizeof(tzu_hdr);
  req.assign(fixed, 0);
  bool blob_ours = false;
  if (cmd == TZU_CMD_LOAD_POLICY) {
    std::vector<std::uint8_t> blob(c.p, c.p + c.n);
    if ((flags & kFSignBlob) && blob.size() >= sizeof(ucon::BlobHeader) + ucon::kBlobSigLen) {
      auto* h = reinterpret_cast<ucon::BlobHeader*>(blob.data());
      h->magic = ucon::kBlobMagic;
      h->format_version = ucon::kBlobFormatVersion;
      h->header_size = sizeof(ucon::BlobHeader);
      h->total_size = static_cast<std::uint32_t>(blob.size());
      if (!(h->flags & ucon::kPolicyAnyDevice))
        std::memcpy(h->device_id, w.keys.device_id, sizeof(h->device_id));
      ucon_test::sign_blob(&blob);
      blob_ours = true;
    }
    blob_ours = blob_ours || blob == policy;
    tzu_load_policy_req q{};
    q.blob_size = static_cast<std::uint32_t>(blob.size());
    req.resize(sizeof(q));
    std::memcpy(req.data(), &q, sizeof(q));
    req.insert(req.end(), blob.begin(), blob.end());
  } else if (fixed > TZU_AUTH_ARGS_OFFSET) {
    c.fill(req.data() + TZU_AUTH_ARGS_OFFSET, fixed - TZU_AUTH_ARGS_OFFSET);
  }
  const auto len = static_cast<std::uint32_t>(req.size());
  const tzu_hdr h = monitor::make_header(cmd, len, ucon::Status::kOk);
  std::memcpy(req.data(), &h, sizeof(h));
  if (fixed >= TZU_AUTH_ARGS_OFFSET) std::memcpy(req.data() + 16, &sess, 4);
  const bool admin = is_admin(cmd);
  if (admin && (flags & kFSign)) {
    const auto auth_off = static_cast<std::uint32_t>(fixed - sizeof(tzu_auth));
    const std::uint64_t counter =
        w.authority.admin_counter() + ((flags & kFStale) ? 1 : 0);
    monitor_test::sign_auth(req.data(), auth_off, cmd, w.keys.device_id,
                            w.authority.nonce(), counter);
  }
  if (corrupt < len) req[corrupt] ^= 0x01 | (corrupt & 0xfe);
  if (len > w.window.size() - TZU_SHM_CMD_OFFSET) return;
  std::memcpy(w.window.data() + TZU_SHM_CMD_OFFSET, req.data(), len);
  const std::uint32_t rsp_off = TZU_SHM_CMD_OFFSET + ((len + 7) & ~7u);
  rsp_cap = std::min<std::uint32_t>(rsp_cap, kWindow - rsp_off);
  monitor::SmcArgs a{};
  a.r[0] = TZU_SMC_YIELD(cmd);
  a.r[1] = TZU_SHM_CMD_OFFSET;
  a.r[2] = len;
  a.r[3] = rsp_off;
  a.r[4] = rsp_cap;
  monitor::SmcResult r;
  call_and_check(a, 0, &r);
  if (verbose) std::fprintf(stderr, "cmd %u flags %#x -> r0 %u\n", cmd, flags, r.r[0]);
  if (r.r[0] == TZU_OK && admin)
    check((flags & kFSign) && !(flags & kFStale) &&
          (corrupt >= len || corrupt < TZU_AUTH_ARGS_OFFSET));
  if (r.r[0] == TZU_OK && cmd == TZU_CMD_LOAD_POLICY) check(blob_ours);
}

void Fuzz::run(const std::uint8_t* data, std::size_t size) {
  reset();
  Cursor c{data, size};
  const std::uint32_t sel = c.u8() % (TZU_CMD_COUNT + 1);
  const std::uint8_t flags = c.u8();
  if (sel == 0 || sel == TZU_CMD_COUNT) raw(c);
  else if (sel == TZU_CMD_DECIDE) decide(flags, c);
  else yielding(sel, flags, c);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  static Fuzz* f = new Fuzz;
  f->run(data, size);
  return 0;
}
