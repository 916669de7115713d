// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// dispatcher.cc - SMCCC routing, the DECIDE fast call and the framing of
// yielding calls (window checks, copy in, run, copy out). The command bodies
// are in commands.cc.
#include "dispatcher.h"

#include <string.h>

#include "attributes.h"
#include "message.h"

namespace monitor {

using ucon::Status;
using ucon::to_wire;

namespace {

constexpr uint32_t kNotSupported = TZU_E_NOT_SUPPORTED;

SmcResult result(uint32_t r0, uint32_t r1 = 0, uint32_t r2 = 0,
                 uint32_t r3 = 0) {
  return SmcResult{{r0, r1, r2, r3}};
}

// Largest fixed-size request and response: the staging buffers must hold them.
constexpr uint32_t kMinReqCap = sizeof(tzu_update_attr_req);
constexpr uint32_t kMinRspCap =
    sizeof(tzu_stats) > sizeof(tzu_report) ? sizeof(tzu_stats) : sizeof(tzu_report);

}  // namespace

Status Dispatcher::init(const DispatcherConfig& cfg) {
  failed_ = true;
  if (!cfg.engine || !cfg.authority || !cfg.req || !cfg.rsp ||
      cfg.req_cap < kMinReqCap ||
      cfg.rsp_cap < kMinRspCap || cfg.nr_slots == 0 ||
      cfg.nr_slots > TZU_MAX_CPUS ||
      cfg.window.size() < TZU_SHM_CMD_OFFSET + sizeof(tzu_hdr))
    return Status::kBadField;
  if ((reinterpret_cast<uintptr_t>(cfg.req) | reinterpret_cast<uintptr_t>(cfg.rsp)) & 7)
    return Status::kBadField;
  cfg_ = cfg;
  clients_ = ClientSessions();
  errors_ = 0;
  auth_failures_ = 0;
  refusal_records_ = 0;
  unrecorded_ = 0;
  decides_ = 0;
  extra_flags_ = 0;
  published_ = tzu_shared_state{};  // publish_state() computes it in full
  sink_ = IntegritySink();
  sink_.bind(this, cfg.engine, cfg.integrity);
  ucon::LeaseWords words;
  words.ctx = this;
  words.exchange = &Dispatcher::lease_exchange;
  words.n_cpus = cfg.nr_slots;
  cfg.engine->set_lease_words(words);
  failed_ = false;
  publish_state();  // before Linux runs
  return Status::kOk;
}

// A use-lease word of a CPU's slot (tzucon_abi.h, TZU_SLOT_LEASE_OFFSET).
uint32_t Dispatcher::lease_exchange(void* ctx, uint32_t cpu, uint32_t slot,
                                    uint32_t value) {
  auto* d = static_cast<Dispatcher*>(ctx);
  uint32_t old;
  if (cpu >= d->cfg_.nr_slots || slot >= TZU_LEASE_WORDS) return 0;
  (void)d->cfg_.window.exchange32(
      cpu * TZU_SLOT_SIZE + TZU_SLOT_LEASE_OFFSET + 4 * slot, value, &old);
  return old;
}

SmcResult Dispatcher::handle(const SmcArgs& a, uint32_t cpu) {
  const SmcResult r = route(a, cpu);
  publish_state();
  return r;
}

// The kernel answers cached decisions only while the cache epoch it reads
// here is the one they were made in (docs/kernel.md, "Decision cache"):
// written before every return to the normal world (SMC or tick), changed
// or not, so a value the normal world wrote there lasts until the next call
// or tick (the kernel also refuses an epoch older than one it has seen). A hint,
// not authority.
//
// This runs on every SMC, so it rewrites from a secure copy and recomputes
// only the hooks whose epoch may have moved (Engine::take_moved_hooks(): a
// counted key use, key_permission alone); all of them on the first call
// and while failed.
void Dispatcher::publish_state() {
  tzu_shared_state& st = published_;
  uint32_t moved = cfg_.engine->take_moved_hooks();
  if (st.magic != TZU_STATE_MAGIC || failed_ || st.cache_epoch == 0)
    moved = ucon::AttributeStore::kAllHooks;
  st.magic = TZU_STATE_MAGIC;
  st.cache_epoch = failed_ ? 0 : cfg_.engine->cache_epoch();
  st.epoch = cfg_.engine->epoch();
  for (; moved; moved &= moved - 1) {
    const uint32_t h = static_cast<uint32_t>(__builtin_ctz(moved));
    st.hook_epoch[h] = failed_ ? 0 : cfg_.engine->cache_epoch(h);
  }
  (void)cfg_.window.copy_out(TZU_SHM_STATE_OFFSET, &st, sizeof(st));
}

SmcResult Dispatcher::route(const SmcArgs& a, uint32_t cpu) {
  const FunctionId f = FunctionId::decode(a.r[0]);
  if (f.smc64 || f.mbz != 0) {
    ++errors_;
    return result(kNotSupported);
  }
  if (f.fast) return fast_call(a.r[0], a, cpu);
  if (f.oen == kOenTrustedOs && f.func != 0 && f.func < TZU_CMD_COUNT &&
      f.func != TZU_CMD_DECIDE)
    return yielding_call(f.func, a);
  ++errors_;
  return result(kNotSupported);
}

SmcResult Dispatcher::fast_call(uint32_t fid, const SmcArgs& a, uint32_t cpu) {
  switch (fid) {
    case TZU_SMC_CALLS_COUNT:
      return result(kCallCount);
    case TZU_SMC_CALLS_UID:
      return result(TZU_UID_0, TZU_UID_1, TZU_UID_2, TZU_UID_3);
    case TZU_SMC_CALLS_REVISION:
      return result(TZU_REVISION_MAJOR, TZU_REVISION_MINOR);
    case TZU_SMC_DECIDE:
      return decide(a.r[1], cpu);
    default:
      ++errors_;
      return result(kNotSupported);
  }
}

// The event is copied out of the slot once, checked, and only the copy is
// given to the engine. Fixed work: one 320-byte copy in, one decision, one
// 144-byte copy out; nothing is allocated. A use-lease (engine.h, step 10)
// is granted for this CPU only: the engine writes its word in this slot.
SmcResult Dispatcher::decide(uint32_t slot, uint32_t cpu) {
  if (failed_) return result(TZU_E_INTERNAL, TZU_VERDICT_DENY);
  // A CPU may only use its own slot: another CPU's slot may be in use.
  if (slot != cpu || slot >= cfg_.nr_slots) {
    ++errors_;
    return result(TZU_E_BAD_FIELD, TZU_VERDICT_DENY);
  }
  const uint32_t base = slot * TZU_SLOT_SIZE;
  tzu_event ev;
  if (!cfg_.window.copy_in(Range{base, sizeof(ev)}, &ev)) {
    ++errors_;
    return result(TZU_E_INTERNAL, TZU_VERDICT_DENY);
  }
  tzu_decision d;
  Status s = check_request_header(ev.hdr, TZU_CMD_DECIDE, sizeof(ev));
  if (s == Status::kOk && ev.cpu != cpu) s = Status::kBadField;
  if (s != Status::kOk) {
    ++errors_;
    memset(&d, 0, sizeof(d));
    d.hdr = make_header(TZU_CMD_DECIDE, sizeof(d), s);
    d.seq = ev.seq;
    d.verdict = TZU_VERDICT_DENY;
  } else {
    ++decides_;  // what the kernel's heartbeat must agree with
    s = cfg_.engine->decide(ev, &d, nullptr, cpu);  // counts its own rejections
    if (s == Status::kOk) s = static_cast<Status>(d.hdr.status);
  }
  cfg_.window.copy_out(base + TZU_SLOT_DECISION_OFFSET, &d, sizeof(d));
  return result(to_wire(s), d.verdict | (d.flags << 8), d.obligations,
                d.rule_id);
}

SmcResult Dispatcher::yielding_call(uint32_t cmd, const SmcArgs& a) {
  if (failed_) return result(TZU_E_INTERNAL);
  const Range req{a.r[1], a.r[2]};
  const Range rsp{a.r[3], a.r[4]};
  // Both buffers inside the command area (never a CPU slot) and apart.
  if (!cfg_.window.contains(req, TZU_SHM_CMD_OFFSET) ||
      !cfg_.window.contains(rsp, TZU_SHM_CMD_OFFSET) || overlaps(req, rsp)) {
    ++errors_;
    return result(TZU_E_BAD_OFFSET);
  }
  if (rsp.len < sizeof(tzu_hdr)) {
    ++errors_;
    return result(TZU_E_BAD_SIZE);  // nowhere to put even an error header
  }
  uint32_t rsp_len = 0;
  Status s;
  if (req.len < sizeof(tzu_hdr) || req.len > cfg_.req_cap) {
    s = Status::kBadSize;
  } else {
    cfg_.window.copy_in(req, cfg_.req);
    const uint32_t cap = rsp.len < cfg_.rsp_cap ? rsp.len : cfg_.rsp_cap;
    s = run(cmd, req.len, cap, &rsp_len);
  }
  if (count(s) != Status::kOk) {
    const tzu_hdr h = make_header(cmd, sizeof(tzu_hdr), s);
    cfg_.window.copy_out(rsp.off, &h, sizeof(h));
    return result(to_wire(s), sizeof(h));
  }
  const tzu_hdr h = make_header(cmd, rsp_len, Status::kOk);
  memcpy(cfg_.rsp, &h, sizeof(h));
  cfg_.window.copy_out(rsp.off, cfg_.rsp, rsp_len);
  return result(TZU_OK, rsp_len);
}

// Frames the staged request, then runs its command. Nothing with a side
// effect runs before every size (including the response capacity) is known
// to be acceptable.
Status Dispatcher::run(uint32_t cmd, uint32_t req_len, uint32_t rsp_cap,
                       uint32_t* rsp_len) {
  tzu_hdr h;
  memcpy(&h, cfg_.req, sizeof(h));
  Status s = check_request_header(h, cmd, req_len);
  if (s != Status::kOk) return s;
  const uint32_t want = request_size(cmd);
  // LOAD_POLICY: fixed part + blob; GET_STATS: a bare header or one that
  // names a session (abi/tzucon_abi.h); every other request: exact size.
  const bool size_ok = cmd == TZU_CMD_LOAD_POLICY ? req_len >= want
                       : cmd == TZU_CMD_GET_STATS
                           ? req_len == want || req_len == sizeof(tzu_session_req)
                           : req_len == want;
  if (!size_ok) return Status::kBadSize;
  if (rsp_cap < response_size(cmd)) return Status::kBadSize;
  switch (cmd) {
    case TZU_CMD_OPEN_SESSION: return open_session(rsp_len);
    case TZU_CMD_CLOSE_SESSION: return close_session(rsp_len);
    case TZU_CMD_LOAD_POLICY: return load_policy(req_len, rsp_len);
    case TZU_CMD_SET_MODE: return set_mode(rsp_len);
    case TZU_CMD_GET_STATS: return get_stats(rsp_len);
    case TZU_CMD_READ_AUDIT: return read_audit(rsp_cap, rsp_len);
    case TZU_CMD_UPDATE_ATTR: return update_attr(rsp_len);
    case TZU_CMD_INTEGRITY_CHECK: return integrity_check(rsp_cap, rsp_len);
    case TZU_CMD_INTEGRITY_REGISTER: return integrity_register(rsp_cap, rsp_len);
    case TZU_CMD_INTEGRITY_MODULE: return integrity_module(rsp_len);
    case TZU_CMD_HEARTBEAT: return heartbeat(rsp_len);
    case TZU_CMD_INTEGRITY_STATUS: return integrity_status(rsp_cap, rsp_len);
    case TZU_CMD_END_USAGE: return end_usage(rsp_len);
    case TZU_CMD_GET_CHALLENGE: return get_challenge(rsp_len);
    case TZU_CMD_GET_REPORT: return get_report(rsp_len);
    case TZU_CMD_AUDIT_CONFIG: return audit_config(rsp_len);
    default: return Status::kBadCommand;
  }
}

}  // namespace monitor
